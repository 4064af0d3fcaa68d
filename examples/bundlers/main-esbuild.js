// esbuild: `loader: { '.wasm': 'file' }` emits each build beside the bundle and imports its
// path; build-esbuild.mjs bundles the pool worker (the package's `wasmrec/worker` export) as
// wasmrec-worker.js next to it.
import simd from 'wasmrec/wasm/simd';
import shared from 'wasmrec/wasm/shared';
import { trainInPage } from './train.js';

await trainInPage({
  simd: new URL(simd, import.meta.url),
  shared: new URL(shared, import.meta.url),
  worker: new URL('./wasmrec-worker.js', import.meta.url),
});
