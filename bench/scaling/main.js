// Section 5: how epoch time grows with data and with threads, on generateSynthetic's data
// (100k users, 20k items, with features) of 1M and 10M ratings: MF (fused per-example SGD,
// K=32; DSGD rounds with threads) with 1 and 2 threads, epochs alternating; the issue's
// two-tower with auto features at batch 256 (1 thread) and 4096 (1 and 2 threads).

import { parseArgs } from '../lib/args.js';
import { alternateEpochs, epochStepper, epochSummary } from '../lib/alternate.js';
import { num, spread, table, times } from '../lib/format.js';
import { record } from '../lib/rows.js';
import { ratio } from '../lib/stats.js';
import { loadWasmrec } from '../lib/wasmrec.js';
import { FACTORS, fitStepper, MODELS } from '../train/models.js';

const opts = parseArgs();
const epochs = opts.quick ? 3 : 4;
const SIZES = opts.quick ? [1_000_000] : [1_000_000, 10_000_000];
const N_USERS = 100_000;
const N_ITEMS = 20_000;
const lib = await loadWasmrec();

const header = ['model', 'ratings', 'threads', 'first epoch ms', 'epoch ms, median (min–max)', 'examples/s', '÷ 1 thread', 'µs per 1k ratings'];
const mfLines = [];
const towerLines = [];

async function compare(lines, label, id, n, systems, nEpochs = epochs) {
  const results = await alternateEpochs(systems.map((s) => s.stepper), nEpochs);
  let oneThread = NaN;
  results.forEach((r, j) => {
    const s = systems[j];
    if (r.error) {
      lines.push([label, num(n), s.threads, `failed: ${r.error.message.split('\n')[0]}`, '', '', '', '']);
      return;
    }
    const sum = epochSummary(r.epochMs);
    const perSecond = n / (sum.steady.median / 1000);
    if (s.threads === 1) oneThread = perSecond;
    lines.push([label, num(n), s.threads, num(sum.first), spread(sum.steady), num(perSecond), s.threads === 1 ? '' : times(ratio(perSecond, oneThread)), num((sum.steady.median * 1000) / (n / 1000))]);
    record({ section: 'scaling', model: id, system: 'wasmrec-wasm', features: s.features, threads: s.threads, ratings: n, epochs: nEpochs, first_epoch_ms: sum.first, median_epoch_ms: sum.steady.median, min_epoch_ms: sum.steady.min, max_epoch_ms: sum.steady.max, examples_per_s: perSecond, speedup_vs_1_thread: s.threads === 1 ? 1 : ratio(perSecond, oneThread) });
  });
  for (const s of systems) s.dispose();
}

// One generated data set per size (generateSynthetic, as `wasmrec train --synthetic-size
// 100000,20000,N` makes it) for both models. The two-tower's 10M epoch takes ≈ 38 s, so it
// runs 3 epochs there (median of 2), and 10M only in the full bench.
for (const n of SIZES) {
  const t0 = performance.now();
  const dataset = lib.generateSynthetic({ nUsers: N_USERS, nItems: N_ITEMS, nRatings: n, seed: 1 });
  const data = dataset.ratings;
  process.stderr.write(`  scaling: generateSynthetic ${n} ratings in ${num(performance.now() - t0)} ms\n`);

  const systems = [];
  for (const threads of [1, 2]) {
    const backend = await lib.createBackend('wasm', { threads });
    const model = new lib.MatrixFactorization(backend, dataset, { factors: FACTORS }).compile({ optimizer: { name: 'sgd', lr: 0.01 } });
    systems.push({ threads: backend.threads, features: backend.features, stepper: { name: `mf ${threads}`, ...fitStepper(epochStepper, model, data, { epochs, batchSize: 1 }) }, dispose: () => { model.dispose(); backend.dispose(); } });
  }
  await compare(mfLines, `MF K=${FACTORS}, fused SGD (DSGD with 2 threads)`, 'mf-sgd', n, systems);
  process.stderr.write(`  scaling: MF on ${n} done\n`);

  const spec = MODELS.find((m) => m.id === 'two-tower-mlp');
  const features = autoFeatures(dataset, data);
  const ttEpochs = n > 1_000_000 ? 3 : epochs;
  // Batch 256 (the u1 rows' batch) on one thread; batch 4096 on 1 and 2 threads alternating:
  // the data-parallel replicas only take batches of ≥ 256 rows per thread.
  for (const [batch, threadCounts] of [[256, [1]], [4096, [1, 2]]]) {
    const systems = [];
    for (const threads of threadCounts) {
      const backend = await lib.createBackend('wasm', { threads });
      const model = new lib.TwoTower(backend, dataset, features, { idDim: 32, towerLayers: [64, 32], headLayers: [32], head: 'mlp', idDropout: 0, maxBatch: batch }).compile(spec.compile);
      systems.push({ threads: backend.threads, features: backend.features, stepper: { name: `tt ${batch} ${threads}`, ...fitStepper(epochStepper, model, data, { epochs: ttEpochs, batchSize: batch, fit: spec.fit }) }, dispose: () => { model.dispose(); backend.dispose(); } });
    }
    await compare(towerLines, `two-tower [64,32] mlp (auto features), batch ${batch}${threadCounts.length > 1 ? ' (data-parallel with 2 threads)' : ''}`, 'two-tower-mlp', data.length, systems, ttEpochs);
  }
  process.stderr.write(`  scaling: two-tower on ${n} done\n`);
}

function autoFeatures(dataset, data) {
  const pipeline = lib.FeaturePipeline.fit(dataset, data, 'auto');
  return { user: pipeline.encode('user', dataset.userIndex), item: pipeline.encode('item', dataset.itemIndex) };
}

console.log(`\n## Scaling: generated data (generateSynthetic, ${num(N_USERS)} users, ${num(N_ITEMS)} items, seed 1), ${epochs} epochs, median over epochs 2–${epochs}\n`);
console.log('- MF: 1 and 2 threads alternate epoch by epoch on the same data; 2 threads = `createBackend(\'wasm\', { threads: 2 })` (shared memory, one worker): DSGD, users and items cut into 2 ranges of equal rating counts, each thread trains one user × item block per round, 2 rounds per epoch; each thread shuffles and lays out its own blocks');
console.log('- comparable rows from the CLI (trained on 80% of the data there): `wasmrec train --synthetic-size 100000,20000,1000000 --split random --model mf --factors 32 --threads 2 --epochs 4 --json` (and the two-tower flags of the tfjs section); `epoch_seconds` there excludes shuffling');
console.log(`- two-tower: the issue's layer shape over generateSynthetic's auto features, Adam lr 1e-3; batch 256 on 1 thread, and batch 4096 on 1 and 2 threads alternating (2 threads: a replica of the network trains half of each batch on the worker, gradients summed, one Adam step)${SIZES.includes(10_000_000) ? '; at 10M 3 epochs, median of epochs 2–3' : ''}\n`);
console.log(table(header, [...mfLines, ...towerLines]));
