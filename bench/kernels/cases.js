// The kernel workloads: each sets up its buffers on a backend and returns a one-call closure.
// Shapes follow the models: a mini-batch of 256, hidden widths 64/70 (70 = a width that
// is not a multiple of the SIMD tile, so the scalar tails are exercised), K = 32 / 128.

import { rng } from '../lib/random.js';

const TABLE_ROWS = 10_000;
const MF_USERS = 943; // MovieLens 100K's sizes, so tables fit in cache as they do in training
const MF_ITEMS = 1682;
const MF_RATINGS = 80_000;
const MF_CHUNK = 1024; // examples per mfSgdChunk call, as MatrixFactorization.fit uses

const gemmShapes = [
  [8, 32, 32, 'call overhead'],
  [256, 64, 64, ''],
  [256, 70, 64, ''],
];

/**
 * Every case: { name, shape, unit, work (units per call), note, setup(backend) → { run, output } };
 * `output` is a buffer the call writes, so the bench can tell a stub kernel from a fast one.
 */
export function kernelCases() {
  const cases = [];
  for (const op of ['gemm', 'gemmNt', 'gemmTn']) {
    for (const [m, k, n, note] of gemmShapes) {
      if (op !== 'gemm' && note) continue; // one small shape is enough to show call overhead
      cases.push({ name: op, shape: `${m}×${k}×${n}`, unit: 'GFLOP/s', work: (2 * m * k * n) / 1e9, note, setup: (be) => gemmCase(be, op, m, k, n) });
    }
  }
  for (const n of [256, 65_536]) {
    const note = n === 256 ? 'one batch' : 'throughput';
    // Bytes moved: rows read + rows written + the indices.
    cases.push({ name: 'gather', shape: `${n} of ${TABLE_ROWS}×32`, unit: 'GB/s', work: (n * 32 * 8 + n * 4) / 1e9, note, setup: (be) => gatherCase(be, 'gather', n, 32) });
    // Gradient rows read + table rows read and written + the indices.
    cases.push({ name: 'scatterAdd', shape: `${n} into ${TABLE_ROWS}×32`, unit: 'GB/s', work: (n * 32 * 12 + n * 4) / 1e9, note, setup: (be) => gatherCase(be, 'scatterAdd', n, 32) });
  }
  // Pooled CSR rows (genres, a graph feature's links): 256 rows × 8 ids; the weighted pair is GCN's normalised sum.
  for (const op of ['gatherMean', 'gatherWeighted', 'scatterAddMean', 'scatterAddWeighted']) {
    cases.push({ name: op, shape: `256 rows × ${CSR_IDS} ids, d=32`, unit: 'M ids/s', work: (256 * CSR_IDS) / 1e6, note: op.includes('Weighted') ? 'graph, gcn' : 'multi-valued, mean', setup: (be) => csrCase(be, op, 256, 32) });
  }
  for (const rows of [512, TABLE_ROWS]) {
    cases.push({ name: 'adamSparse', shape: `${rows} rows of ${TABLE_ROWS}×32`, unit: 'M rows/s', work: rows / 1e6, note: rows === 512 ? 'one batch' : 'whole table', setup: (be) => adamCase(be, rows, 32) });
  }
  for (const k of [32, 128]) {
    cases.push({ name: 'mfSgdChunk', shape: `K=${k}, ${MF_CHUNK}/call`, unit: 'M ratings/s', work: MF_CHUNK / 1e6, note: 'fused per-example SGD', setup: (be) => mfSgdCase(be, k) });
  }
  for (const dim of [64, 100]) {
    cases.push({ name: 'skipgramSgd', shape: `d=${dim}, ${SG_PAIRS}×(1+${SG_NEG})/call`, unit: 'M pairs/s', work: SG_PAIRS / 1e6, note: 'Word2Vec SGNS batch', setup: (be) => skipgramCase(be, dim) });
  }
  for (const dim of [32, 64]) {
    cases.push({ name: 'seqPool', shape: `256 rows × L=${SEQ_L}, d=${dim}, mean`, unit: 'M events/s', work: (256 * SEQ_L) / 1e6, note: 'youtube history pooling', setup: (be) => seqPoolCase(be, dim) });
  }
  // SASRec's shapes: 64 windows of 50 positions, width 64, 1 head, causal; a third of the slots padded.
  cases.push({ name: 'seqAttention', shape: `${ATT_M}×L=${ATT_L}, d=64, causal`, unit: 'M positions/s', work: (ATT_M * ATT_L) / 1e6, note: 'sasrec attention forward', setup: (be) => attentionCase(be, false) });
  cases.push({ name: 'seqAttentionBackward', shape: `${ATT_M}×L=${ATT_L}, d=64, causal`, unit: 'M positions/s', work: (ATT_M * ATT_L) / 1e6, note: 'sasrec attention backward', setup: (be) => attentionCase(be, true) });
  // gru4rec's shapes: 32 windows of 50 steps, width 64 (the recurrence only: the input projections are one GEMM).
  cases.push({ name: 'seqGruForward', shape: `${GRU_M}×L=${ATT_L}, d=64`, unit: 'M steps/s', work: (GRU_M * ATT_L) / 1e6, note: 'gru4rec recurrence forward', setup: (be) => gruCase(be, false) });
  cases.push({ name: 'seqGruBackward', shape: `${GRU_M}×L=${ATT_L}, d=64`, unit: 'M steps/s', work: (GRU_M * ATT_L) / 1e6, note: 'gru4rec backpropagation through time', setup: (be) => gruCase(be, true) });
  // bst's shapes: every position of 64 windows of 50 with 9 candidates (the event and 8 negatives) attending over its window.
  cases.push({ name: 'seqTargetAttention', shape: `${ATT_M * ATT_L * 9} queries, L=${ATT_L}, d=64`, unit: 'M queries/s', work: (ATT_M * ATT_L * 9) / 1e6, note: 'bst target attention forward', setup: (be) => targetAttentionCase(be, false) });
  cases.push({ name: 'seqTargetAttentionBackward', shape: `${ATT_M * ATT_L * 9} queries, L=${ATT_L}, d=64`, unit: 'M queries/s', work: (ATT_M * ATT_L * 9) / 1e6, note: 'bst target attention backward', setup: (be) => targetAttentionCase(be, true) });
  // The full softmax of sasrec's output layer: one chunk of 1024 positions over ML-100K's 1,682 items.
  cases.push({ name: 'softmaxXentRows', shape: `1024×${MF_ITEMS}, no keys`, unit: 'M logits/s', work: (1024 * MF_ITEMS) / 1e6, note: 'full softmax (sasrec, gru4rec, MF)', setup: (be) => softmaxCase(be, 1024, MF_ITEMS) });
  cases.push({ name: 'layerNorm', shape: `${ATT_M * ATT_L}×64 + residual`, unit: 'M rows/s', work: (ATT_M * ATT_L) / 1e6, note: 'transformer add & norm', setup: (be) => layerNormCase(be) });
  return cases;
}

const SEQ_L = 20;
const ATT_M = 64;
const ATT_L = 50;

function attentionCase(be, backward) {
  const r = rng(29);
  const n = ATT_M * ATT_L * 64;
  const [q, k, v, dOut] = [0, 1, 2, 3].map(() => be.allocF32(n, r.uniform(n, 1)));
  const ids = be.allocI32(ATT_M * ATT_L, Int32Array.from({ length: ATT_M * ATT_L }, (_, i) => (i % ATT_L < 16 ? -1 : i % 1000)));
  const out = be.allocF32(n);
  const probs = be.allocF32(ATT_M * ATT_L * ATT_L);
  const [dq, dk, dv] = [0, 1, 2].map(() => be.allocF32(n));
  const scratch = be.allocF32(ATT_L);
  // The bench tells a working kernel by its output changing on the first timed call: run the forward first only for the backward.
  if (!backward) return { output: out, run: () => be.kernels.seqAttention(out.ptr, probs.ptr, q.ptr, k.ptr, v.ptr, ids.ptr, ATT_M, ATT_L, 64, 1, 1) };
  be.kernels.seqAttention(out.ptr, probs.ptr, q.ptr, k.ptr, v.ptr, ids.ptr, ATT_M, ATT_L, 64, 1, 1);
  return { output: dq, run: () => be.kernels.seqAttentionBackward(dq.ptr, dk.ptr, dv.ptr, dOut.ptr, probs.ptr, q.ptr, k.ptr, v.ptr, ATT_M, ATT_L, 64, 1, 1, scratch.ptr) };
}

const GRU_M = 32;

function gruCase(be, backward) {
  const r = rng(37);
  const rows = GRU_M * ATT_L;
  const d = 64;
  const A = be.allocF32(rows * 3 * d, r.uniform(rows * 3 * d, 1));
  const U = be.allocF32(d * 3 * d, r.uniform(d * 3 * d, 0.1));
  const b = be.allocF32(3 * d, r.uniform(3 * d, 0.1));
  const ids = be.allocI32(rows, Int32Array.from({ length: rows }, (_, i) => (i % ATT_L < 10 ? -1 : i % 1000)));
  const H = be.allocF32(rows * d);
  const gates = be.allocF32(rows * 4 * d);
  if (!backward) return { output: H, run: () => be.kernels.seqGruForward(H.ptr, gates.ptr, A.ptr, U.ptr, b.ptr, ids.ptr, GRU_M, ATT_L, d) };
  be.kernels.seqGruForward(H.ptr, gates.ptr, A.ptr, U.ptr, b.ptr, ids.ptr, GRU_M, ATT_L, d);
  const dH = be.allocF32(rows * d, r.uniform(rows * d, 1));
  const dA = be.allocF32(rows * 3 * d);
  const [dU, db] = [be.allocF32(d * 3 * d), be.allocF32(3 * d)];
  // dH takes the carried gradient: refill it each call from a pristine copy (dH = dH0 · 1, a cheap pass next to the recurrence).
  const dH0 = be.allocF32(rows * d, r.uniform(rows * d, 1));
  const ones = be.allocF32(rows * d, new Float32Array(rows * d).fill(1));
  return {
    output: dA,
    run: () => {
      be.kernels.mul(dH.ptr, dH0.ptr, ones.ptr, rows * d);
      be.kernels.seqGruBackward(dA.ptr, dU.ptr, db.ptr, dH.ptr, H.ptr, gates.ptr, U.ptr, ids.ptr, GRU_M, ATT_L, d);
    },
  };
}

function targetAttentionCase(be, backward) {
  const r = rng(41);
  const d = 64;
  const n = ATT_M * ATT_L * 9;
  const kv = ATT_M * ATT_L * d;
  const q = be.allocF32(n * d, r.uniform(n * d, 1));
  const [k, v] = [0, 1].map(() => be.allocF32(kv, r.uniform(kv, 1)));
  const ids = be.allocI32(ATT_M * ATT_L, Int32Array.from({ length: ATT_M * ATT_L }, (_, i) => (i % ATT_L < 16 ? -1 : i % 1000)));
  // Query j of position p in window w sees the window's events up to p.
  const seq = be.allocI32(n, Int32Array.from({ length: n }, (_, i) => Math.floor(i / (ATT_L * 9))));
  const last = be.allocI32(n, Int32Array.from({ length: n }, (_, i) => Math.floor(i / 9) % ATT_L));
  const out = be.allocF32(n * d);
  const probs = be.allocF32(n * ATT_L);
  const scratch = be.allocF32(ATT_L);
  if (!backward) return { output: out, run: () => be.kernels.seqTargetAttention(out.ptr, probs.ptr, q.ptr, k.ptr, v.ptr, ids.ptr, seq.ptr, last.ptr, n, ATT_L, d) };
  be.kernels.seqTargetAttention(out.ptr, probs.ptr, q.ptr, k.ptr, v.ptr, ids.ptr, seq.ptr, last.ptr, n, ATT_L, d);
  const dOut = be.allocF32(n * d, r.uniform(n * d, 1));
  const dq = be.allocF32(n * d);
  const [dk, dv] = [be.allocF32(kv), be.allocF32(kv)];
  return { output: dq, run: () => be.kernels.seqTargetAttentionBackward(dq.ptr, dk.ptr, dv.ptr, dOut.ptr, probs.ptr, q.ptr, k.ptr, v.ptr, seq.ptr, n, ATT_M, ATT_L, d, scratch.ptr) };
}

function layerNormCase(be) {
  const r = rng(31);
  const rows = ATT_M * ATT_L;
  const [x, res] = [0, 1].map(() => be.allocF32(rows * 64, r.uniform(rows * 64, 1)));
  const [gain, bias] = [0, 1].map(() => be.allocF32(64, r.uniform(64, 1)));
  const [y, xhat] = [0, 1].map(() => be.allocF32(rows * 64));
  const rstd = be.allocF32(rows);
  return { output: y, run: () => be.kernels.layerNorm(y.ptr, xhat.ptr, rstd.ptr, x.ptr, res.ptr, gain.ptr, bias.ptr, rows, 64, 1e-6) };
}

function softmaxCase(be, m, n) {
  const r = rng(31);
  const logits = be.allocF32(m * n, r.uniform(m * n, 4));
  const target = be.allocI32(m, r.ints(m, n));
  const grad = be.allocF32(m * n);
  return { output: grad, run: () => be.kernels.softmaxXentRows(grad.ptr, logits.ptr, target.ptr, 0, 0, m, n, 1 / m) };
}

function seqPoolCase(be, dim) {
  const r = rng(23);
  const table = be.allocF32(TABLE_ROWS * dim, r.uniform(TABLE_ROWS * dim, 0.05));
  const ids = be.allocI32(256 * SEQ_L, r.ints(256 * SEQ_L, TABLE_ROWS));
  const out = be.allocF32(256 * dim);
  return { output: out, run: () => be.kernels.seqPool(out.ptr, dim, table.ptr, ids.ptr, 0, SEQ_L, 1, 256, SEQ_L, dim, 0) };
}

const SG_VOCAB = 10_000;
const SG_PAIRS = 4096; // the trainer's default batch (training/skipgram-trainer.ts)
const SG_NEG = 5;

function skipgramCase(be, dim) {
  const r = rng(19);
  const input = be.allocF32(SG_VOCAB * dim, r.uniform(SG_VOCAB * dim, 0.5 / dim));
  const output = be.allocF32(SG_VOCAB * dim, r.uniform(SG_VOCAB * dim, 0.05));
  const centers = be.allocI32(SG_PAIRS, r.ints(SG_PAIRS, SG_VOCAB));
  const contexts = be.allocI32(SG_PAIRS, r.ints(SG_PAIRS, SG_VOCAB));
  const negatives = be.allocI32(SG_PAIRS * SG_NEG, r.ints(SG_PAIRS * SG_NEG, SG_VOCAB));
  const scratch = be.allocF32(dim);
  return { output: input, run: () => be.kernels.skipgramSgd(input.ptr, output.ptr, centers.ptr, contexts.ptr, negatives.ptr, SG_PAIRS, SG_NEG, dim, 0.001, scratch.ptr) };
}

function gemmCase(be, op, m, k, n) {
  const r = rng(7);
  const kern = be.kernels;
  if (op === 'gemm') {
    const x = be.allocF32(m * k, r.uniform(m * k));
    const w = be.allocF32(k * n, r.uniform(k * n));
    const y = be.allocF32(m * n);
    return { output: y, run: () => kern.gemm(y.ptr, x.ptr, w.ptr, 0, m, k, n, 0) };
  }
  if (op === 'gemmNt') {
    // Y[m×k] = A[m×n]·B[k×n]ᵀ
    const a = be.allocF32(m * n, r.uniform(m * n));
    const b = be.allocF32(k * n, r.uniform(k * n));
    const y = be.allocF32(m * k);
    return { output: y, run: () => kern.gemmNt(y.ptr, a.ptr, b.ptr, m, k, n, 0) };
  }
  // Y[k×n] = A[m×k]ᵀ·B[m×n]
  const a = be.allocF32(m * k, r.uniform(m * k));
  const b = be.allocF32(m * n, r.uniform(m * n));
  const y = be.allocF32(k * n);
  return { output: y, run: () => kern.gemmTn(y.ptr, a.ptr, b.ptr, m, k, n, 0) };
}

function gatherCase(be, op, n, dim) {
  const r = rng(11);
  const table = be.allocF32(TABLE_ROWS * dim, r.uniform(TABLE_ROWS * dim));
  const idx = be.allocI32(n, r.ints(n, TABLE_ROWS));
  const rows = be.allocF32(n * dim, r.uniform(n * dim, 1e-3));
  const kern = be.kernels;
  return op === 'gather'
    ? { output: rows, run: () => kern.gather(rows.ptr, dim, table.ptr, idx.ptr, n, dim) }
    : { output: table, run: () => kern.scatterAdd(table.ptr, rows.ptr, dim, idx.ptr, n, dim) };
}

const CSR_IDS = 8;

function csrCase(be, op, n, dim) {
  const r = rng(12);
  const table = be.allocF32(TABLE_ROWS * dim, r.uniform(TABLE_ROWS * dim));
  const ids = be.allocI32(n * CSR_IDS, r.ints(n * CSR_IDS, TABLE_ROWS));
  const weights = be.allocF32(n * CSR_IDS, r.uniform(n * CSR_IDS));
  const offsets = be.allocI32(n + 1, Int32Array.from({ length: n + 1 }, (_, k) => k * CSR_IDS));
  const rows = be.allocF32(n * dim, r.uniform(n * dim, 1e-3));
  const k = be.kernels;
  const run = {
    gatherMean: () => k.gatherMean(rows.ptr, dim, table.ptr, ids.ptr, offsets.ptr, n, dim),
    gatherWeighted: () => k.gatherWeighted(rows.ptr, dim, table.ptr, ids.ptr, weights.ptr, offsets.ptr, n, dim),
    scatterAddMean: () => k.scatterAddMean(table.ptr, rows.ptr, dim, ids.ptr, offsets.ptr, n, dim),
    scatterAddWeighted: () => k.scatterAddWeighted(table.ptr, rows.ptr, dim, ids.ptr, weights.ptr, offsets.ptr, n, dim),
  }[op];
  return { output: op.startsWith('gather') ? rows : table, run };
}

function adamCase(be, nRows, dim) {
  const r = rng(13);
  const w = be.allocF32(TABLE_ROWS * dim, r.uniform(TABLE_ROWS * dim, 0.1));
  const g = be.allocF32(TABLE_ROWS * dim, r.uniform(TABLE_ROWS * dim, 0.1));
  const m = be.allocF32(TABLE_ROWS * dim);
  const v = be.allocF32(TABLE_ROWS * dim);
  const rows = be.allocI32(nRows, r.distinct(nRows, TABLE_ROWS));
  const [b1, b2, t] = [0.9, 0.999, 10];
  const kern = be.kernels;
  // The kernel zeroes the gradient rows it consumes. With g = 0 alone, m and v would decay
  // into f32 subnormals after a few thousand calls and time the CPU's subnormal path; the
  // L2 term keeps g' = g + l2·w at a normal magnitude, as it is in training with L2.
  const l2 = 0.01;
  return { output: w, run: () => kern.adamSparse(w.ptr, g.ptr, m.ptr, v.ptr, rows.ptr, nRows, dim, 1e-3, b1, b2, 1e-7, l2, 0, 1 - b1 ** t, 1 - b2 ** t) };
}

function mfSgdCase(be, k) {
  const r = rng(17);
  const P = be.allocF32(MF_USERS * k, r.uniform(MF_USERS * k, 0.05));
  const Q = be.allocF32(MF_ITEMS * k, r.uniform(MF_ITEMS * k, 0.05));
  const bu = be.allocF32(MF_USERS);
  const bi = be.allocF32(MF_ITEMS);
  const users = be.allocI32(MF_RATINGS, r.ints(MF_RATINGS, MF_USERS));
  const items = be.allocI32(MF_RATINGS, r.ints(MF_RATINGS, MF_ITEMS));
  const ratings = be.allocF32(MF_RATINGS, Float32Array.from(r.ints(MF_RATINGS, 5), (x) => x + 1));
  const order = be.allocI32(MF_RATINGS, r.distinct(MF_RATINGS, MF_RATINGS));
  const kern = be.kernels;
  let start = 0;
  // Walks the epoch chunk by chunk, like MatrixFactorization's fused path.
  const run = () => {
    kern.mfSgdChunk(P.ptr, Q.ptr, bu.ptr, bi.ptr, users.ptr, items.ptr, ratings.ptr, order.ptr, start, MF_CHUNK, k, 3.5, 0.005, 0.05, 0.01);
    start += MF_CHUNK;
    if (start + MF_CHUNK > MF_RATINGS) start = 0;
  };
  return { output: P, run };
}
