// Peak memory of one model × system, in a fresh Node process (maxRSS is per process, so
// systems alternating in one process cannot be told apart): loads the library, data and
// (for tfjs-wasm) TF.js, notes the RSS, then trains `epochs` epochs, predicts the test
// pairs and ranks items for a few users. Prints one JSON line.
// Usage: node bench/train/peak.js <model id> <wasm|js|wasmrec-wasm|wasmrec-js|tfjs-wasm> <epochs>

import { resourceUsage } from 'node:process';
import { loadMovieLens, loadWasmrec } from '../lib/wasmrec.js';
import { MODELS } from './models.js';

const [id, systemArg, epochsArg] = process.argv.slice(2);
const system = systemArg.replace(/^wasmrec-/, '');
const epochs = Number(epochsArg ?? 2);
const lib = await loadWasmrec();
const { dataset, train, test } = await loadMovieLens(lib);
const mb = (bytes) => bytes / 2 ** 20;

let run;
if (system === 'tfjs-wasm') {
  const { tfjsRun } = await import('../tfjs/run.js');
  run = await tfjsRun(id, dataset, train, test);
} else {
  const spec = MODELS.find((m) => m.id === id);
  const backend = await lib.createBackend(system);
  const model = spec.build(lib, backend, dataset, train).compile(spec.compile);
  run = {
    fit: () => model.fit(train, { ...spec.fit, epochs, batchSize: spec.batchSize, seed: 42 }),
    serve: () => {
      model.predict(test);
      for (let u = 0; u < 16; u++) model.recommendIndices(u, 10);
    },
  };
}
global.gc?.();
const baseline = process.memoryUsage();
await run.fit(epochs);
await run.serve();
const after = process.memoryUsage();
const maxRss = resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({
  id, system, epochs,
  rss_before_mb: mb(baseline.rss), peak_rss_mb: mb(maxRss), peak_over_loaded_mb: mb(maxRss - baseline.rss),
  external_after_mb: mb(after.external + after.arrayBuffers), heap_used_after_mb: mb(after.heapUsed),
}));
