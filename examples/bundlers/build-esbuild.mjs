// The esbuild recipe: node build-esbuild.mjs → public/ (index.html, app.js, the .wasm files,
// wasmrec-worker.js). Nothing is copied by hand: the .wasm files and the worker come through
// the package's exports.
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const outdir = process.argv[2] ?? 'public';
await build({
  entryPoints: { app: 'main-esbuild.js', 'wasmrec-worker': fileURLToPath(import.meta.resolve('wasmrec/worker')) },
  bundle: true,
  format: 'esm',
  outdir,
  loader: { '.wasm': 'file' },
  logLevel: 'warning',
});
mkdirSync(outdir, { recursive: true });
copyFileSync('index.html', `${outdir}/index.html`);
