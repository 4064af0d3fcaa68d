// Writes dist/wasm-file.d.ts, the type of `import wasm from 'wasmrec/wasm/simd'` (and relaxed,
// shared): bundlers' file/asset loaders (esbuild `--loader:.wasm=file`, Vite `?url`) turn the
// import into the URL of the emitted file, a string; createBackend('wasm', { wasm }) takes it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const out = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/wasm-file.d.ts');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `/** The URL of a wasmrec WebAssembly build, as a bundler's file loader gives it; pass it to createBackend('wasm', { wasm: new URL(url, import.meta.url) }). */\ndeclare const url: string;\nexport default url;\n`);
