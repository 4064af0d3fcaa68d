// Section 3: TensorFlow.js 4.22 on the same models and data. MF runs alternating epochs
// with wasmrec's mini-batch Adam MF (same model, loss, optimizer and batch size), so the
// ratio is measured side by side; the stock cpu backend is timed on a few batches only.

import { parseArgs } from '../lib/args.js';
import { alternateEpochs, epochStepper, epochSummary } from '../lib/alternate.js';
import { num, spread, table, times } from '../lib/format.js';
import { record } from '../lib/rows.js';
import { ratio } from '../lib/stats.js';
import { loadMovieLens, loadWasmrec } from '../lib/wasmrec.js';
import { FACTORS, fitStepper, MODELS, TWO_TOWER } from '../train/models.js';
import { entityFeatures, twoTowerInputs } from './features.js';
import { mfInputs, mfModel } from './mf.js';
import { tf, useBackend } from './setup.js';
import { twoTowerModel } from './two-tower.js';

const BATCH = 256;
const LR = 1e-3;
const opts = parseArgs();
const mfEpochs = opts.quick ? 3 : 6;
const towerEpochs = opts.quick ? 2 : 5;
const cpuBatches = opts.quick ? 2 : 5;

const lib = await loadWasmrec();
const { dataset, train, test } = await loadMovieLens(lib);
const mu = train.ratings.reduce((s, r) => s + r, 0) / train.length;
const batchesPerEpoch = Math.ceil(train.length / BATCH);
const features = entityFeatures(dataset);

const header = ['model', 'system', 'threads', 'first epoch ms', 'epoch ms, median (min–max)', 'ratings/s', 'wasmrec-wasm speed-up', 'test RMSE'];
const lines = [];
const notes = [];
/** wasmrec-wasm's median epoch per model id, for the speed-up column of the cpu rows. */
const wasmrecEpochMs = {};

const builders = {
  'mf-adam': { label: `MF K=${FACTORS}, Adam lr 1e-3, batch ${BATCH}`, build: () => mfModel(tf, { nUsers: dataset.userIndex.size, nItems: dataset.itemIndex.size, factors: FACTORS }), inputs: (d) => mfInputs(tf, d) },
  'two-tower-mlp': { label: 'two-tower, mlp head, Adam lr 1e-3, batch 256', build: () => twoTowerModel(tf, features, TWO_TOWER, 'mlp'), inputs: (d) => twoTowerInputs(tf, features, d) },
  'two-tower-dot': { label: 'two-tower, dot head, Adam lr 1e-3, batch 256', build: () => twoTowerModel(tf, features, TWO_TOWER, 'dot'), inputs: (d) => twoTowerInputs(tf, features, d) },
};

function compiled(id) {
  const model = builders[id].build();
  model.compile({ optimizer: tf.train.adam(LR), loss: 'meanSquaredError' });
  return model;
}

/** Centred targets: the models predict r − μ (see tfjs/mf.js). */
function targets(data) {
  return tf.tensor2d(Float32Array.from(data.ratings, (r) => r - mu), [data.length, 1]);
}

function tfjsStepper(model, x, y) {
  return {
    async step() {
      const h = await model.fit(x, y, { epochs: 1, batchSize: BATCH, shuffle: true, verbose: 0 });
      return { loss: h.history.loss[0] };
    },
  };
}

async function rmseOf(model, x, data) {
  const pred = model.predict(x, { batchSize: 4096 });
  const p = await pred.data();
  pred.dispose();
  let se = 0;
  for (let r = 0; r < data.length; r++) se += (p[r] + mu - data.ratings[r]) ** 2;
  return Math.sqrt(se / data.length);
}

/** One table line and one results row; `system` is the row's id, `shown` its table label. */
function addLine(id, system, shown, threads, s, rmse, speedup, extra = {}) {
  const perSecond = train.length / (s.steady.median / 1000);
  lines.push([builders[id].label, shown, threads, num(s.first), spread(s.steady), num(perSecond), speedup, num(rmse, 4)]);
  record({
    section: 'tfjs', model: id, system, threads, epochs: extra.extrapolated ? null : s.steady.n + 1, batch_size: BATCH,
    first_epoch_ms: s.first, median_epoch_ms: s.steady.median, min_epoch_ms: s.steady.min, max_epoch_ms: s.steady.max,
    examples_per_s: perSecond, test_rmse: rmse, ...extra,
  });
}

/**
 * Trains the TF.js models `ids` and, for each id that train/models.js also defines, the
 * wasmrec model of that id on its wasm backend, all alternating epoch by epoch.
 */
async function compareOnWasm(ids, epochs) {
  const first = builders[ids[0]];
  const [x, xTest, y] = [first.inputs(train), first.inputs(test), targets(train)];
  const entries = [];
  for (const id of ids) {
    const spec = MODELS.find((m) => m.id === id);
    if (spec) {
      const backend = await lib.createBackend('wasm');
      const model = spec.build(lib, backend, dataset).compile(spec.compile);
      entries.push({ id, ours: true, model, features: backend.features, system: { name: `wasmrec ${id}`, ...fitStepper(epochStepper, model, train, { epochs, batchSize: spec.batchSize }) } });
    }
    const model = compiled(id);
    entries.push({ id, ours: false, model, system: { name: `tfjs ${id}`, ...tfjsStepper(model, x, y) } });
  }
  const results = await alternateEpochs(entries.map((e) => e.system), epochs);
  results.forEach((r, j) => {
    if (r.error) throw r.error;
    entries[j].summary = epochSummary(r.epochMs);
  });
  for (const e of entries) {
    if (e.ours) {
      wasmrecEpochMs[e.id] = e.summary.steady.median;
      addLine(e.id, 'wasmrec-wasm', `wasmrec-wasm (${e.features})`, 1, e.summary, e.model.evaluate(test).rmse, '1×');
    } else {
      const oursMs = wasmrecEpochMs[e.id];
      const speedup = oursMs ? times(ratio(e.summary.steady.median, oursMs)) : '– (not landed)';
      addLine(e.id, 'tfjs-wasm', 'tfjs-wasm', wasmInfo.threads, e.summary, await rmseOf(e.model, xTest, test), speedup);
    }
    e.model.dispose();
  }
  tf.dispose([...x, ...xTest, y]);
  process.stderr.write(`  tfjs: ${ids.join(', ')} on wasm done\n`);
}

// ---- wasm backend: each TF.js model alternating with wasmrec's model of the same id.
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
  const y = targets(slice);
  const model = compiled(id);
  // One batch first: builds the training function and warms the kernels.
  const warm = [x.map((t) => t.slice(0, BATCH)), y.slice(0, BATCH)];
  await model.fit(warm[0], warm[1], { epochs: 1, batchSize: BATCH, verbose: 0 });
  const t0 = performance.now();
  await model.fit(x, y, { epochs: 1, batchSize: BATCH, shuffle: true, verbose: 0 });
  const perBatch = (performance.now() - t0) / cpuBatches;
  const epochMs = perBatch * batchesPerEpoch;
  const s = { first: NaN, steady: { median: epochMs, min: epochMs, max: epochMs, n: 1 } };
  const oursMs = wasmrecEpochMs[id];
  addLine(id, 'tfjs-cpu', `tfjs-cpu (extrapolated from ${cpuBatches} batches)`, 1, s, NaN, oursMs ? times(ratio(epochMs, oursMs)) : '– (not landed)', { extrapolated: true, measured_batches: cpuBatches, ms_per_batch: perBatch });
  lines[lines.length - 1][4] = `≈ ${num(epochMs)} (≈ ${num(epochMs / 60000, 2)} min)`;
  model.dispose();
  tf.dispose([...x, y, ...warm[0], warm[1]]);
  process.stderr.write(`  tfjs: ${id} on cpu done\n`);
}

console.log(`\n## TensorFlow.js 4.22 (Keras-style layers, model.fit, Adam lr 1e-3, batch ${BATCH}) vs wasmrec on MovieLens u1\n`);
for (const n of notes) console.log(`- ${n}`);
console.log(`- MF: ${mfEpochs} epochs, two-tower: ${towerEpochs} epochs; TF.js models and wasmrec's models of the same id alternate epoch by epoch; RMSE on u1.test after those epochs`);
console.log(`- tfjs-cpu: ${cpuBatches} timed batches after one warm-up batch, × ${batchesPerEpoch} batches per epoch (a full epoch takes minutes); no RMSE`);
console.log(`- two-tower shape: id emb ${TWO_TOWER.idDim}, gender emb ${TWO_TOWER.genderDim}, occupation emb ${TWO_TOWER.occupationDim}, age | id emb ${TWO_TOWER.idDim}, ${features.nGenres} genres, year → Dense ${TWO_TOWER.hidden} relu → Dense ${TWO_TOWER.out}; wasmrec's two-tower rows appear once train/models.js has entries two-tower-mlp / two-tower-dot\n`);
console.log(table(header, lines));
