// Section 3: TensorFlow.js 4.22 on the same models and data. MF runs alternating epochs
// with wasmrec's mini-batch Adam MF (same model, loss, optimizer and batch size), so the
// ratio is measured side by side; the stock cpu backend is timed on a few batches only.

import { parseArgs } from '../lib/args.js';
import { alternateEpochs, epochStepper, epochSummary } from '../lib/alternate.js';
import { num, spread, table, times } from '../lib/format.js';
import { peakMemory } from '../lib/peak.js';
import { record } from '../lib/rows.js';
import { predictMs, topKMs } from '../lib/serve.js';
import { ratio } from '../lib/stats.js';
import { loadMovieLens, loadWasmrec } from '../lib/wasmrec.js';
import { fitStepper, MODELS, TWO_TOWER } from '../train/models.js';
import { BATCH, compileTfjs, targets, tfjsBuilders, tfjsPredictMs, tfjsRmse, tfjsTopKMs } from './models.js';
import { tf, useBackend } from './setup.js';

const opts = parseArgs();
const mfEpochs = opts.quick ? 3 : 6;
const towerEpochs = opts.quick ? 2 : 6;
const cpuBatches = opts.quick ? 2 : 5;
/** Users whose top-10 TF.js ranks for real; the time is scaled to all users. */
const tfjsTopKSample = opts.quick ? 4 : 16;

const lib = await loadWasmrec();
const { dataset, train, test } = await loadMovieLens(lib);
const mu = train.ratings.reduce((s, r) => s + r, 0) / train.length;
const batchesPerEpoch = Math.ceil(train.length / BATCH);
const nUsers = dataset.userIndex.size;
const nItems = dataset.itemIndex.size;
const builders = tfjsBuilders(tf, dataset);
const features = builders.features;

const header = ['model', 'system', 'threads', 'first epoch ms', 'epoch ms, median (min–max)', 'examples/s', 'speed-up vs tfjs-wasm', 'test RMSE', `predict ${test.length} ms`, `top-10 × ${nUsers} users ms`, 'peak RSS MB (over loaded)'];
const lines = [];
const notes = [];
/** tfjs-wasm's median epoch per model id: the reference of the speed-up column. */
const tfjsEpochMs = {};

const mb = (p) => (p ? `${num(p.peak_rss_mb)} (+${num(p.peak_over_loaded_mb)})` : '–');

/** One table line and one results row; `system` is the row's id, `shown` its table label. */
function addLine(id, system, shown, threads, s, rmse, extra = {}) {
  const perSecond = train.length / (s.steady.median / 1000);
  const speedup = times(ratio(tfjsEpochMs[id], s.steady.median));
  const serve = extra.serve ?? {};
  lines.push([builders[id].label, shown, threads, num(s.first), spread(s.steady), num(perSecond), speedup, num(rmse, 4),
    num(serve.predict_ms), `${num(serve.topk_ms)}${serve.topk_extrapolated ? ' (extrapolated)' : ''}`, mb(extra.peak)]);
  record({
    section: 'tfjs', model: id, system, threads, epochs: extra.extrapolated ? null : s.steady.n + 1, batch_size: BATCH,
    first_epoch_ms: s.first, median_epoch_ms: s.steady.median, min_epoch_ms: s.steady.min, max_epoch_ms: s.steady.max,
    examples_per_s: perSecond, speedup_vs_tfjs_wasm: ratio(tfjsEpochMs[id], s.steady.median), test_rmse: rmse,
    ...serve, ...(extra.peak ? { peak_rss_mb: extra.peak.peak_rss_mb, peak_over_loaded_mb: extra.peak.peak_over_loaded_mb } : {}),
    ...(extra.extrapolated ? { extrapolated: true, measured_batches: extra.measured_batches, ms_per_batch: extra.ms_per_batch } : {}),
  });
}

function tfjsStepper(model, x, y) {
  return {
    async step() {
      const h = await model.fit(x, y, { epochs: 1, batchSize: BATCH, shuffle: true, verbose: 0 });
      return { loss: h.history.loss[0] };
    },
  };
}

/**
 * Trains the TF.js models `ids` and, for each id that train/models.js also defines, the
 * wasmrec model of that id on its wasm and js backends, all alternating epoch by epoch.
 * Then times predicting the test pairs and top-10 for every user, and (in a fresh process
 * per system) peak memory.
 */
async function compareOnWasm(ids, epochs) {
  const entries = [];
  const inputs = {};
  for (const id of ids) {
    const b = builders[id];
    inputs[id] = { x: b.inputs(train), xTest: b.inputs(test), y: targets(tf, train, mu) };
    const spec = MODELS.find((m) => m.id === id);
    if (spec) {
      for (const name of ['wasm', 'js']) {
        const backend = await lib.createBackend(name);
        const model = spec.build(lib, backend, dataset, train).compile(spec.compile);
        const system = `wasmrec-${name}`;
        entries.push({ id, system, shown: name === 'wasm' ? `wasmrec-wasm (${backend.features})` : 'wasmrec-js', ours: true, model,
          stepper: { name: `${system} ${id}`, ...fitStepper(epochStepper, model, train, { epochs, batchSize: spec.batchSize, fit: spec.fit }) } });
      }
    }
    const model = compileTfjs(tf, b);
    entries.push({ id, system: 'tfjs-wasm', shown: 'tfjs-wasm', ours: false, model, stepper: { name: `tfjs ${id}`, ...tfjsStepper(model, inputs[id].x, inputs[id].y) } });
  }
  const results = await alternateEpochs(entries.map((e) => e.stepper), epochs);
  results.forEach((r, j) => {
    if (r.error) throw r.error;
    entries[j].summary = epochSummary(r.epochMs);
    if (!entries[j].ours) tfjsEpochMs[entries[j].id] = entries[j].summary.steady.median;
  });
  for (const e of entries) {
    let rmse;
    let serve;
    if (e.ours) {
      rmse = e.model.evaluate(test).rmse;
      const sample = e.system === 'wasmrec-js' ? tfjsTopKSample * 4 : nUsers;
      serve = { predict_ms: predictMs(e.model, test), topk_ms: topKMs(e.model, nUsers, { sample }), ...(sample < nUsers ? { topk_extrapolated: true } : {}) };
    } else {
      const x = inputs[e.id].xTest;
      rmse = await tfjsRmse(e.model, x, test, mu);
      serve = { predict_ms: await tfjsPredictMs(e.model, x, mu), topk_ms: await tfjsTopKMs(tf, builders[e.id], e.model, nUsers, nItems, tfjsTopKSample), topk_extrapolated: true };
    }
    e.model.dispose();
    const peak = opts.quick ? null : peakMemory(e.id, e.system, 2);
    addLine(e.id, e.system, e.shown, e.ours ? 1 : wasmInfo.threads, e.summary, rmse, { serve, peak });
  }
  for (const v of Object.values(inputs)) tf.dispose([...v.x, ...v.xTest, v.y]);
  process.stderr.write(`  tfjs: ${ids.join(', ')} on wasm done\n`);
}

// ---- wasm backend: each TF.js model alternating with wasmrec's models of the same id.
const wasmInfo = await useBackend('wasm');
notes.push(...wasmInfo.notes);
notes.push(`tfjs-wasm: SIMD ${wasmInfo.simd ? 'on' : 'off'}, ${wasmInfo.threads} thread`);
await compareOnWasm(['mf-adam'], mfEpochs);
await compareOnWasm(['two-tower-mlp', 'two-tower-dot'], towerEpochs);

// ---- cpu backend: minutes per epoch, so time a few batches and extrapolate.
await useBackend('cpu');
for (const id of ['mf-adam', 'two-tower-mlp']) {
  const n = cpuBatches * BATCH;
  const slice = { users: train.users.subarray(0, n), items: train.items.subarray(0, n), ratings: train.ratings.subarray(0, n), length: n };
  const x = builders[id].inputs(slice);
  const y = targets(tf, slice, mu);
  const model = compileTfjs(tf, builders[id]);
  // One batch first: builds the training function and warms the kernels.
  const warm = [x.map((t) => t.slice(0, BATCH)), y.slice(0, BATCH)];
  await model.fit(warm[0], warm[1], { epochs: 1, batchSize: BATCH, verbose: 0 });
  const t0 = performance.now();
  await model.fit(x, y, { epochs: 1, batchSize: BATCH, shuffle: true, verbose: 0 });
  const perBatch = (performance.now() - t0) / cpuBatches;
  const epochMs = perBatch * batchesPerEpoch;
  const s = { first: NaN, steady: { median: epochMs, min: epochMs, max: epochMs, n: 1 } };
  addLine(id, 'tfjs-cpu', `tfjs-cpu (extrapolated from ${cpuBatches} batches)`, 1, s, NaN, { extrapolated: true, measured_batches: cpuBatches, ms_per_batch: perBatch });
  lines[lines.length - 1][4] = `≈ ${num(epochMs)} (≈ ${num(epochMs / 60000, 2)} min)`;
  model.dispose();
  tf.dispose([...x, y, ...warm[0], warm[1]]);
  process.stderr.write(`  tfjs: ${id} on cpu done\n`);
}

console.log(`\n## TensorFlow.js 4.22 (Keras-style layers, model.fit, Adam lr 1e-3, batch ${BATCH}) vs wasmrec on MovieLens u1\n`);
for (const n of notes) console.log(`- ${n}`);
console.log(`- MF: ${mfEpochs} epochs, two-tower: ${towerEpochs} epochs (the first reported on its own, the median over the other ${mfEpochs - 1} and ${towerEpochs - 1}); TF.js models and wasmrec's models of the same id alternate epoch by epoch; RMSE on u1.test after those epochs`);
console.log(`- tfjs-cpu: ${cpuBatches} timed batches after one warm-up batch, × ${batchesPerEpoch} batches per epoch (a full epoch takes minutes); no RMSE`);
console.log(`- two-tower shape: id emb ${TWO_TOWER.idDim}, gender emb ${TWO_TOWER.genderDim}, occupation emb ${TWO_TOWER.occupationDim}, age | id emb ${TWO_TOWER.idDim}, ${features.nGenres} genres, year → Dense ${TWO_TOWER.hidden} relu → Dense ${TWO_TOWER.out}; head concat → Dense ${TWO_TOWER.headHidden} relu → 1, or u·v; wasmrec: same shape, no regularizers, no id dropout, constant lr (as Keras)`);
console.log(`- speed-up vs tfjs-wasm = tfjs-wasm median epoch ÷ the row's median epoch; predict = the ${test.length} test pairs (median of runs after a warm-up); top-10 = every item ranked for each of the ${nUsers} users (wasmrec: recommend() per user, on js for ${tfjsTopKSample * 4} users scaled to all; TF.js: predict + tf.topk on ${tfjsTopKSample} users, scaled to all)`);
console.log(`- peak RSS: a fresh process per system trains 2 epochs, predicts and ranks; "over loaded" = peak minus the RSS once library, data${opts.quick ? '' : ' and TF.js'} were loaded${opts.quick ? ' (skipped with --quick)' : ''}\n`);
console.log(table(header, lines));
