// Runs inside the edge vm context (see vm-runner.mjs): trains a small MF on generated data
// with the wasm backend built from the Module handed in, and reports what the test checks.

import wasm from '../../build/wasmrec.simd.wasm';
import { createBackend, generateSynthetic, MatrixFactorization, meanRating } from 'wasmrec';

// What an edge isolate lacks; reported so the test proves the bundle ran without them.
const nodeGlobals = Object.fromEntries(['process', 'require', 'Buffer', 'module', '__dirname', 'setImmediate'].map((name) => [name, typeof globalThis[name]]));

const dataset = generateSynthetic({ nUsers: 300, nItems: 400, nRatings: 20_000, seed: 3 });
const { train, test } = dataset.folds.u1;
const backend = await createBackend('wasm', { wasm, flavor: 'simd' });
const mf = new MatrixFactorization(backend, dataset, { factors: 16 });
const history = await mf.fit(train, { epochs: 15, seed: 3 });

// The global-mean baseline: predicting the training mean for every test rating.
const mu = meanRating(train);
let sse = 0;
for (let r = 0; r < test.length; r++) sse += (test.ratings[r] - mu) ** 2;

globalThis.report = {
  nodeGlobals,
  wasmIsModule: wasm instanceof WebAssembly.Module,
  features: backend.features,
  losses: history.epochs.map((e) => e.loss),
  rmse: mf.evaluate(test).rmse,
  baselineRmse: Math.sqrt(sse / test.length),
};
