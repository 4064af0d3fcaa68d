// Vite: `?url` emits the .wasm builds as assets and imports their URLs; `?worker&url` bundles
// the pool worker (the package's `wasmrec/worker` export) and imports its URL. vite.config.mjs
// asks for ES-module workers (the pool worker uses top-level await).
import simd from 'wasmrec/wasm/simd?url';
import shared from 'wasmrec/wasm/shared?url';
import worker from 'wasmrec/worker?worker&url';
import { trainInPage } from './train.js';

await trainInPage({ simd: new URL(simd, location.href), shared: new URL(shared, location.href), worker: new URL(worker, location.href) });
