// Section 2: wasmrec models on MovieLens u1, wasm vs js backends, epochs alternating.
// Epoch time is wall-clock per epoch as the caller sees it (shuffle included); the first
// epoch (allocation, upload, V8 warm-up) is shown on its own, the median is over the rest.

import { parseArgs } from '../lib/args.js';
import { alternateEpochs, epochStepper, epochSummary } from '../lib/alternate.js';
import { num, spread, table, times } from '../lib/format.js';
import { record } from '../lib/rows.js';
import { ratio } from '../lib/stats.js';
import { loadMovieLens, loadWasmrec } from '../lib/wasmrec.js';
import { fitStepper, MODELS } from './models.js';

const opts = parseArgs();
const epochs = opts.quick ? 6 : 11;
const lib = await loadWasmrec();
const { dataset, train, test, dir } = await loadMovieLens(lib);

console.log(`\n## wasmrec training on MovieLens 100K u1 (${train.length} train / ${test.length} test ratings from ${dir}), ${epochs} epochs, epochs alternating between backends\n`);

const header = ['model', 'system', 'first epoch ms', 'epoch ms, median (min–max)', 'ratings/s', 'wasm ÷ js', `test RMSE (or named metric) after ${epochs}`];
const lines = [];
// WASMREC_BENCH_MODELS=bst,sasrec runs only those rows (checking a new row without the whole section).
const wanted = process.env.WASMREC_BENCH_MODELS?.split(',').filter(Boolean) ?? null;
for (const spec of MODELS.filter((m) => !m.tfjsSectionOnly && (!wanted || wanted.includes(m.id)))) {
  const backends = [await lib.createBackend('wasm'), await lib.createBackend('js')];
  const models = backends.map((be) => spec.build(lib, be, dataset, train).compile(spec.compile));
  const fitRows = spec.trainRows ? spec.trainRows(lib, train) : train;
  const systems = models.map((model, j) => ({
    name: backends[j].name === 'wasm' ? `wasmrec wasm (${backends[j].features})` : 'wasmrec js',
    ...fitStepper(epochStepper, model, fitRows, { epochs: spec.epochs ?? epochs, batchSize: spec.batchSize, fit: spec.fit }),
  }));
  const results = await alternateEpochs(systems, spec.epochs ?? epochs);
  const summaries = results.map((r) => epochSummary(r.epochMs));
  const [wasmMs, jsMs] = summaries.map((s) => s.steady.median);
  results.forEach((r, j) => {
    const s = summaries[j];
    // Rating models report test RMSE; a ranking model (spec.testScore) its own metric, named.
    const [scoreName, score] = r.error ? ['', NaN] : spec.testScore ? spec.testScore(models[j], test) : ['', models[j].evaluate(test).rmse];
    const rmse = spec.testScore ? NaN : score;
    const perSecond = fitRows.length / (s.steady.median / 1000);
    const speedup = j === 0 ? times(ratio(jsMs, wasmMs)) : '';
    lines.push(r.error
      ? [spec.label, systems[j].name, `failed: ${r.error.message.split('\n')[0]}`, '', '', '', '']
      : [spec.label, systems[j].name, num(s.first), spread(s.steady), num(perSecond), speedup, `${scoreName ? `${scoreName} ${num(score, 4)}` : num(score, 4)}${spec.epochs ? ` (${spec.epochs} epochs)` : ''}`]);
    record({
      section: 'train', model: spec.id, system: systems[j].name.replace(/ \(.*\)$/, '').replace(' ', '-'),
      features: backends[j].features, threads: 1, epochs: spec.epochs ?? epochs, batch_size: spec.batchSize,
      first_epoch_ms: s.first, median_epoch_ms: s.steady.median, min_epoch_ms: s.steady.min, max_epoch_ms: s.steady.max,
      examples_per_s: perSecond, test_rmse: rmse, ...(scoreName ? { test_metric: scoreName, test_score: score } : {}), ...(r.error ? { error: r.error.message } : {}),
    });
    models[j].dispose();
  });
}
console.log(table(header, lines));
