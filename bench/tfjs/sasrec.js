// SASRec in TensorFlow.js (wasm backend, 1 thread) against wasmrec's `sasrec` on the same
// windows of ML-100K next-item training events: one epoch each, timed in one process.
// The same model: d 64, 2 post-norm blocks, 1 head, dropout 0.2, learned positions, tied
// item embeddings, full softmax at every position, Adam 2e-3, batch 64 windows of 50.
// Run: npm run build && node bench/tfjs/sasrec.js [--backend wasm|cpu] [--batches N]

import { loadWasmrec } from '../lib/wasmrec.js';
import { tf, useBackend } from './setup.js';

const D = 64;
const L = 50;
const BLOCKS = 2;
const DROPOUT = 0.2;
const BATCH = 64;
const LR = 2e-3;

const argv = process.argv.slice(2);
const opt = (name) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : undefined; };
const lib = await loadWasmrec();
const dir = lib.findDataDir();
const dataset = await lib.loadDataset(dir);
const { lastItemSplit } = await import(new URL('../../dist/data/last-item-split.js', import.meta.url).href);
const { buildHistories } = await import(new URL('../../dist/data/histories.js', import.meta.url).href);
const { SASRec } = await import(new URL('../../dist/models/sasrec.js', import.meta.url).href);
const split = lastItemSplit(dataset);
const nItems = dataset.itemIndex.size;

// The windows exactly as src/models/sasrec-run.ts cuts them.
const h = buildHistories(split.train, dataset.userIndex.size);
const inputs = [];
const outputs = [];
for (let u = 0; u + 1 < h.start.length; u++) {
  const first = h.start[u];
  for (let end = h.start[u + 1] - first - 1; end > 0; end -= L) {
    const win = new Array(L).fill(-1);
    const next = new Array(L).fill(-1);
    for (let t = Math.max(0, end - L); t < end; t++) {
      win[L - (end - t)] = h.items[first + t];
      next[L - (end - t)] = h.items[first + t + 1];
    }
    inputs.push(...win);
    outputs.push(...next);
  }
}
const nWindows = inputs.length / L;

function tfjsModel() {
  const v = (shape, std) => tf.variable(std ? tf.randomNormal(shape, 0, std) : tf.zeros(shape));
  const ones = (n) => tf.variable(tf.ones([n]));
  const dense = () => ({ W: v([D, D], Math.sqrt(1 / D)), b: v([D]) });
  const blocks = Array.from({ length: BLOCKS }, () => ({ q: dense(), k: dense(), v: dense(), o: dense(), f1: dense(), f2: dense(), g1: ones(D), c1: v([D]), g2: ones(D), c2: v([D]) }));
  const Q = v([nItems, D], 0.1);
  const bi = v([nItems]);
  const pos = v([L, D], 0.05);
  const lin = (x, p) => tf.add(tf.matMul(x, p.W), p.b);
  const norm = (x, g, c) => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-6))), g), c);
  };
  const drop = (x) => tf.dropout(x, DROPOUT);
  const causal = tf.linalg.bandPart(tf.ones([L, L]), -1, 0);
  function loss(ids, targets) {
    const m = ids.shape[0];
    const valid = tf.cast(tf.greaterEqual(ids, 0), 'float32');
    const keys = tf.mul(causal.expandDims(0), valid.reshape([m, 1, L]));
    let x = tf.add(tf.mul(tf.gather(Q, tf.maximum(ids, tf.zerosLike(ids))), valid.expandDims(2)), pos);
    x = drop(x).reshape([m * L, D]);
    for (const b of blocks) {
      const [q, k, vv] = [b.q, b.k, b.v].map((p) => lin(x, p).reshape([m, L, D]));
      const s = tf.add(tf.div(tf.matMul(q, k, false, true), Math.sqrt(D)), tf.mul(tf.sub(1, keys), -1e9));
      const a = lin(tf.matMul(tf.softmax(s), vv).reshape([m * L, D]), b.o);
      x = norm(tf.add(x, drop(a)), b.g1, b.c1);
      x = norm(tf.add(x, drop(lin(tf.relu(lin(x, b.f1)), b.f2))), b.g2, b.c2);
    }
    const logits = tf.add(tf.matMul(x, Q, false, true), bi);
    const t = targets.reshape([m * L]);
    const w = tf.cast(tf.greaterEqual(t, 0), 'float32');
    const ce = tf.losses.softmaxCrossEntropy(tf.oneHot(tf.maximum(t, tf.zerosLike(t)), nItems), logits, w);
    return ce;
  }
  return { loss, optimizer: tf.train.adam(LR) };
}

async function tfjsEpoch(batches) {
  const model = tfjsModel();
  const step = (start) => {
    const m = Math.min(BATCH, nWindows - start);
    const ids = tf.tensor2d(inputs.slice(start * L, (start + m) * L), [m, L], 'int32');
    const tg = tf.tensor2d(outputs.slice(start * L, (start + m) * L), [m, L], 'int32');
    const cost = model.optimizer.minimize(() => model.loss(ids, tg), true);
    const value = cost.dataSync()[0];
    tf.dispose([ids, tg, cost]);
    return value;
  };
  step(0); // warm-up: kernels compiled, variables' gradients allocated
  const t0 = performance.now();
  let n = 0;
  let last = 0;
  for (let start = 0; start < nWindows && n < batches; start += BATCH, n++) last = step(start);
  const ms = performance.now() - t0;
  return { ms: (ms * Math.ceil(nWindows / BATCH)) / n, batches: n, loss: last };
}

async function wasmrecEpoch(backendName) {
  const be = await lib.createBackend(backendName);
  const model = new SASRec(be, dataset);
  model.compile();
  const times = [];
  await model.fit(split.train, { epochs: 2, seed: 42, callbacks: { onEpochEnd: (_e, logs) => { times.push(Number(logs.seconds.toFixed(2))); } } });
  return times;
}

const tfBackend = opt('backend') ?? 'wasm';
const info = await useBackend(tfBackend);
const batches = Number(opt('batches') ?? Math.ceil(nWindows / BATCH));
console.log(`ML-100K next-item: ${nWindows} windows of ${L} (${split.train.length} events), ${nItems} items; tfjs ${tfBackend} ${JSON.stringify(info)}`);
const tfjs = await tfjsEpoch(batches);
console.log(`tfjs-${tfBackend}: epoch ${(tfjs.ms / 1000).toFixed(2)} s (${tfjs.batches} batches timed, scaled to the epoch), last batch loss ${tfjs.loss.toFixed(3)}`);
const t0 = performance.now();
const wasm = await wasmrecEpoch('wasm');
console.log(`wasmrec wasm: epoch seconds ${JSON.stringify(wasm)} (first, second); tfjs-${tfBackend} / wasmrec (second epoch): ${(tfjs.ms / 1000 / wasm[1]).toFixed(1)}×`);
void t0;
