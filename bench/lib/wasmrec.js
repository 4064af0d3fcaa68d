// Loads the built library (dist/, build/*.wasm) the way a user's program would.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIST = new URL('../../dist/node.js', import.meta.url);
const WASM = new URL('../../build/wasmrec.simd.wasm', import.meta.url);

/** The `wasmrec/node` entry from dist/, with a clear message when it is not built. */
export async function loadWasmrec() {
  if (!existsSync(DIST) || !existsSync(WASM)) {
    throw new Error(`bench: ${fileURLToPath(DIST)} or build/*.wasm is missing; run \`npm run build\` first`);
  }
  const lib = await import(DIST.href);
  if (lib.MatrixFactorization) return lib;
  // The public entry does not export the models yet: take them from their modules in dist/.
  const { MatrixFactorization } = await import(new URL('../../dist/models/mf.js', import.meta.url).href);
  return { ...lib, MatrixFactorization };
}

/** MovieLens 100K and its u1 fold, found via WASMREC_DATA or ../shared/data. */
export async function loadMovieLens(lib) {
  const dir = lib.findDataDir();
  if (!dir) {
    throw new Error('bench: MovieLens 100K not found; set WASMREC_DATA to the folder holding ml-100k/ (default ../shared/data)');
  }
  const dataset = await lib.loadDataset(dir);
  const u1 = dataset.folds?.u1;
  if (!u1) throw new Error(`bench: ${dir} has no u1.base/u1.test fold`);
  return { dataset, train: u1.train, test: u1.test, dir };
}
