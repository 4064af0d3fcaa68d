// BST in TensorFlow.js (wasm backend, 1 thread) against wasmrec's `bst` on the same windows
// of ML-100K next-item training events: one epoch each, timed in one process. The same model:
// d 64, 1 causal post-norm block (1 head, dropout 0.2, learned positions, item embeddings
// shared with the candidates), each position's next event + 8 uniform negatives scored by
// target attention over the positions up to it (keys h W_k + b_k, values h), an MLP over
// [a, q, a ⊙ q] (192 → 64 relu → 1) plus a·q and b_i, bce, Adam 2e-3, batch 32 windows of 50.
// TF.js scores every position (padded ones weighted 0); wasmrec only the ≈ 75 % with a target.
// Run: npm run build && node bench/tfjs/bst.js [--backend wasm|cpu] [--batches N]

import { loadWasmrec } from '../lib/wasmrec.js';
import { tf, useBackend } from './setup.js';

const D = 64;
const L = 50;
const HIDDEN = 64;
const NEGATIVES = 8;
const C = 1 + NEGATIVES;
const DROPOUT = 0.2;
const BATCH = 32;
const LR = 2e-3;

const argv = process.argv.slice(2);
const opt = (name) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : undefined; };
const lib = await loadWasmrec();
const dir = lib.findDataDir();
const dataset = await lib.loadDataset(dir);
const { lastItemSplit } = await import(new URL('../../dist/data/last-item-split.js', import.meta.url).href);
const { buildHistories } = await import(new URL('../../dist/data/histories.js', import.meta.url).href);
const { BST } = await import(new URL('../../dist/models/bst.js', import.meta.url).href);
const split = lastItemSplit(dataset);
const nItems = dataset.itemIndex.size;

// The windows exactly as src/models/bst-run.ts (and sasrec-run.ts) cut them.
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
const rng = new lib.Rng(42);

function tfjsModel() {
  const v = (shape, std) => tf.variable(std ? tf.randomNormal(shape, 0, std) : tf.zeros(shape));
  const ones = (n) => tf.variable(tf.ones([n]));
  const dense = (i = D, o = D) => ({ W: v([i, o], Math.sqrt(2 / (i + o))), b: v([o]) });
  const b = { q: dense(), k: dense(), v: dense(), o: dense(), f1: dense(), f2: dense(), g1: ones(D), c1: v([D]), g2: ones(D), c2: v([D]) };
  const key = dense();
  const mlp1 = dense(3 * D, HIDDEN);
  const mlp2 = dense(HIDDEN, 1);
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
  // Candidate row t·C + c (position t) sees the keys j ≤ t.
  const candCausal = tf.tile(causal.expandDims(1), [1, C, 1]).reshape([L * C, L]);
  function loss(ids, cand, labels, weights) {
    const m = ids.shape[0];
    const valid = tf.cast(tf.greaterEqual(ids, 0), 'float32');
    const keys = tf.mul(causal.expandDims(0), valid.reshape([m, 1, L]));
    let x = tf.add(tf.mul(tf.gather(Q, tf.maximum(ids, tf.zerosLike(ids))), valid.expandDims(2)), pos);
    x = drop(x).reshape([m * L, D]);
    const [q, k, vv] = [b.q, b.k, b.v].map((p) => lin(x, p).reshape([m, L, D]));
    const s = tf.add(tf.div(tf.matMul(q, k, false, true), Math.sqrt(D)), tf.mul(tf.sub(1, keys), -1e9));
    const att = lin(tf.matMul(tf.softmax(s), vv).reshape([m * L, D]), b.o);
    x = norm(tf.add(x, drop(att)), b.g1, b.c1);
    x = norm(tf.add(x, drop(lin(tf.relu(lin(x, b.f1)), b.f2))), b.g2, b.c2);
    // Target attention of every candidate over its window's positions up to its own.
    const hs = x.reshape([m, L, D]);
    const hk = lin(x, key).reshape([m, L, D]);
    const qc = tf.gather(Q, cand.reshape([m * L * C])).reshape([m, L * C, D]);
    const tmask = tf.mul(candCausal.expandDims(0), valid.reshape([m, 1, L]));
    const ts = tf.add(tf.div(tf.matMul(qc, hk, false, true), Math.sqrt(D)), tf.mul(tf.sub(1, tmask), -1e9));
    const a = tf.matMul(tf.softmax(ts), hs);
    const prod = tf.mul(a, qc);
    const z = lin(tf.relu(lin(tf.concat([a, qc, prod], 2).reshape([m * L * C, 3 * D]), mlp1)), mlp2).reshape([m * L * C]);
    const logits = tf.add(tf.add(z, tf.sum(prod, 2).reshape([m * L * C])), tf.gather(bi, cand.reshape([m * L * C])));
    return tf.losses.sigmoidCrossEntropy(labels, logits, weights);
  }
  return { loss, optimizer: tf.train.adam(LR) };
}

/** A batch's candidates (the next event, then uniform negatives), labels and weights (0 at positions without a target). */
function candidates(start, m) {
  const cand = new Int32Array(m * L * C);
  const labels = new Float32Array(m * L * C);
  const weights = new Float32Array(m * L * C);
  for (let p = 0; p < m * L; p++) {
    const t = outputs[start * L + p];
    for (let c = 0; c < C; c++) {
      let j = t;
      if (c > 0) do j = rng.int(nItems); while (j === t);
      cand[p * C + c] = Math.max(0, j);
      labels[p * C + c] = c === 0 ? 1 : 0;
      weights[p * C + c] = t >= 0 ? 1 : 0;
    }
  }
  return { cand, labels, weights };
}

async function tfjsEpoch(batches) {
  const model = tfjsModel();
  const step = (start) => {
    const m = Math.min(BATCH, nWindows - start);
    const c = candidates(start, m);
    const ids = tf.tensor2d(inputs.slice(start * L, (start + m) * L), [m, L], 'int32');
    const cand = tf.tensor1d(c.cand, 'int32');
    const labels = tf.tensor1d(c.labels);
    const weights = tf.tensor1d(c.weights);
    const cost = model.optimizer.minimize(() => model.loss(ids, cand, labels, weights), true);
    const value = cost.dataSync()[0];
    tf.dispose([ids, cand, labels, weights, cost]);
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
  const model = new BST(be, dataset);
  model.compile();
  const times = [];
  await model.fit(split.train, { epochs: 2, seed: 42, callbacks: { onEpochEnd: (_e, logs) => { times.push(Number(logs.seconds.toFixed(2))); } } });
  return times;
}

const tfBackend = opt('backend') ?? 'wasm';
const info = await useBackend(tfBackend);
const batches = Number(opt('batches') ?? Math.ceil(nWindows / BATCH));
console.log(`ML-100K next-item: ${nWindows} windows of ${L} (${split.train.length} events), ${nItems} items, ${NEGATIVES} negatives per event; tfjs ${tfBackend} ${JSON.stringify(info)}`);
const tfjs = await tfjsEpoch(batches);
console.log(`tfjs-${tfBackend}: epoch ${(tfjs.ms / 1000).toFixed(2)} s (${tfjs.batches} batches timed, scaled to the epoch), last batch loss ${tfjs.loss.toFixed(3)}`);
const wasm = await wasmrecEpoch('wasm');
console.log(`wasmrec wasm: epoch seconds ${JSON.stringify(wasm)} (first, second); tfjs-${tfBackend} / wasmrec (second epoch): ${(tfjs.ms / 1000 / wasm[1]).toFixed(1)}×`);
