// Where a two-tower epoch goes: trains the shape on u1 and prints per-epoch times.
// Run under `node --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile/two-tower.js [mlp|dot] [wasm|js] [epochs]`
// and open the .cpuprofile in Chrome DevTools (or summarise it with bench/profile/summary.js).

import { loadMovieLens, loadWasmrec } from '../lib/wasmrec.js';
import { MODELS } from '../train/models.js';

const [head = 'mlp', backendName = 'wasm', epochsArg = '6'] = process.argv.slice(2);
const lib = await loadWasmrec();
const { dataset, train, test } = await loadMovieLens(lib);
const spec = MODELS.find((m) => m.id === `two-tower-${head}`);
// PROFILE_WASM: a build with a name section (`npx asc assembly/index.ts --target simd --debug -o x.wasm`)
// so that the profile names kernels instead of wasm-function[N].
const wasmOptions = process.env.PROFILE_WASM ? { wasm: new URL(`file://${process.env.PROFILE_WASM}`), flavor: 'simd' } : {};
const model = spec.build(lib, await lib.createBackend(backendName, wasmOptions), dataset, train).compile(spec.compile);
const h = await model.fit(train, { ...spec.fit, epochs: Number(epochsArg), batchSize: spec.batchSize, seed: 42 });
console.log(`epoch ms: ${h.epochs.map((e) => (e.seconds * 1000).toFixed(1)).join(' ')}; test RMSE ${model.evaluate(test).rmse.toFixed(4)}`);
