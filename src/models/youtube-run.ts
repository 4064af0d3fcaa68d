// The training buffers and step of the YouTube model (./youtube.ts): next-item examples as a
// column per history slot, the pooled-history tower, and the full softmax over the items.

import type { Backend, F32Buf, I32Buf } from '../backends/index.js';
import { DENSE_ACT, SEQ_POOL } from '../backends/kernels.js';
import type { Histories } from '../data/histories.js';
import { gapBucket } from '../data/time-gaps.js';
import type { Rng } from '../random.js';
import type { Param } from '../training/param.js';

/** The trainable parts besides MF's served tables: the input item table and the tower's layer. */
export interface YouTubeParams {
  /** Input embeddings of the watched items (nItems × d). */
  T: Param;
  /** Embeddings of the events' time-gap buckets (GAP_BUCKETS × dg), pooled beside the items; null without gaps. */
  G: Param | null;
  /** (d + dg) × d. */
  W: Param;
  b: Param;
  /** Output embeddings and biases of the items: MF's Q and b_i. */
  Q: Param;
  bi: Param;
}

/**
 * Per-slot weights of an exponential time decay by recency (slot L−1 = the latest event,
 * weight 1; halving every `halfLife` events back), or null when halfLife is 0 (plain mean).
 */
export function decayWeights(L: number, halfLife: number): Float32Array | null {
  if (!(halfLife > 0)) return null;
  return Float32Array.from({ length: L }, (_, j) => Math.pow(0.5, (L - 1 - j) / halfLife));
}

/**
 * Every training event as an example: the target item and the last L items before it
 * (−1 where the history is shorter), laid out per epoch in visiting order, one column of
 * N ids per history slot.
 */
export class YouTubeRun {
  readonly nExamples: number;
  private readonly prefix: Int32Array;
  private readonly targetOf: Int32Array;
  private readonly ids: I32Buf;
  private readonly targets: I32Buf;
  private readonly X: F32Buf;
  private readonly H: F32Buf;
  private readonly dX: F32Buf;
  private readonly dH: F32Buf;
  private readonly logits: F32Buf;
  private readonly allItems: I32Buf;
  private readonly columns: Int32Array;
  /** Gap bucket of each history slot to its target (−1 where the slot is padding), and its epoch columns. */
  private readonly prefixGap: Int32Array | null;
  private readonly gapIds: I32Buf | null;
  /** Width of the pooled input: d items + dg gaps. */
  private readonly width: number;
  /** The decay weight of every example's slot, in the ids' column layout (constant per column); null = plain mean. */
  private readonly weights: F32Buf | null;

  constructor(
    private readonly be: Backend,
    h: Histories,
    private readonly nItems: number,
    private readonly d: number,
    private readonly L: number,
    maxBatch: number,
    /** With time gaps: the times of the rows h indexes (h.rows) and the gap embedding width. */
    gaps: { times: Float64Array; dg: number } | null = null,
    /** Half-life in events of the pooling's recency decay (0 = plain mean). */
    halfLife = 0,
  ) {
    const n = h.items.length;
    this.nExamples = n;
    this.width = d + (gaps?.dg ?? 0);
    this.prefix = new Int32Array(n * L).fill(-1);
    this.prefixGap = gaps ? new Int32Array(n * L).fill(-1) : null;
    this.targetOf = new Int32Array(n);
    for (let u = 0; u + 1 < h.start.length; u++) {
      for (let e = h.start[u]; e < h.start[u + 1]; e++) {
        this.targetOf[e] = h.items[e];
        // Slot L−1 is the most recent event before the target.
        for (let j = 0; j < L; j++) {
          const at = e - L + j;
          if (at < h.start[u]) continue;
          this.prefix[e * L + j] = h.items[at];
          if (gaps) this.prefixGap![e * L + j] = gapBucket(gaps.times[h.rows[e]] - gaps.times[h.rows[at]]);
        }
      }
    }
    this.columns = new Int32Array(n * L);
    const w = decayWeights(L, halfLife);
    if (w) {
      const cols = new Float32Array(n * L);
      for (let j = 0; j < L; j++) cols.fill(w[j], j * n, (j + 1) * n);
      this.weights = be.allocF32(n * L, cols);
    } else this.weights = null;
    this.ids = be.allocI32(n * L);
    this.gapIds = gaps ? be.allocI32(n * L) : null;
    this.targets = be.allocI32(n);
    this.X = be.allocF32(maxBatch * this.width);
    this.H = be.allocF32(maxBatch * d);
    this.dX = be.allocF32(maxBatch * this.width);
    this.dH = be.allocF32(maxBatch * d);
    this.logits = be.allocF32(maxBatch * nItems);
    this.allItems = be.allocI32(nItems, Int32Array.from({ length: nItems }, (_, i) => i));
  }

  /** The epoch's visiting order of the examples, written as columns (one upload per epoch). */
  layout(rng: Rng | null): void {
    const n = this.nExamples;
    const order = Int32Array.from({ length: n }, (_, k) => k);
    if (rng) rng.shuffle(order);
    const targets = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      const e = order[r];
      targets[r] = this.targetOf[e];
      for (let j = 0; j < this.L; j++) this.columns[j * n + r] = this.prefix[e * this.L + j];
    }
    this.be.write(this.ids, this.columns);
    if (this.prefixGap) {
      for (let r = 0; r < n; r++) for (let j = 0; j < this.L; j++) this.columns[j * n + r] = this.prefixGap[order[r] * this.L + j];
      this.be.write(this.gapIds!, this.columns);
    }
    this.be.write(this.targets, targets);
  }

  /** Forward, full-softmax loss and backward of examples [start, start+m); returns the summed cross-entropy. */
  step(p: YouTubeParams, start: number, m: number): number {
    const k = this.be.kernels;
    const { d, L, nItems: n } = this;
    const N = this.nExamples;
    const D = this.width;
    const ids = this.ids.ptr + 4 * start;
    const gapIds = this.gapIds ? this.gapIds.ptr + 4 * start : 0;
    const dg = D - d;
    const w = this.weights ? this.weights.ptr + 4 * start : 0;
    k.seqPool(this.X.ptr, D, p.T.value.ptr, ids, w, 1, N, m, L, d, SEQ_POOL.mean);
    if (p.G) k.seqPool(this.X.ptr + 4 * d, D, p.G.value.ptr, gapIds, w, 1, N, m, L, dg, SEQ_POOL.mean);
    k.denseForward(this.H.ptr, this.X.ptr, p.W.value.ptr, p.b.value.ptr, m, D, d, DENSE_ACT.relu);
    const G = this.logits.ptr;
    k.gemmNt(G, this.H.ptr, p.Q.value.ptr, m, n, d, 0);
    k.gemm(G, 0, 0, p.bi.value.ptr, m, 0, n, 1);
    const loss = k.softmaxXentRows(G, G, this.targets.ptr + 4 * start, 0, 0, m, n, 1 / m);
    k.gemm(this.dH.ptr, G, p.Q.value.ptr, 0, m, n, d, 0);
    k.gemmTn(p.Q.grad.ptr, G, this.H.ptr, m, n, d, 1);
    k.colSum(p.bi.grad.ptr, G, m, n, 1);
    k.denseActBackward(this.dH.ptr, p.b.grad.ptr, this.dH.ptr, this.H.ptr, m, d, DENSE_ACT.relu);
    k.gemmTn(p.W.grad.ptr, this.X.ptr, this.dH.ptr, m, D, d, 1);
    k.gemmNt(this.dX.ptr, this.dH.ptr, p.W.value.ptr, m, D, d, 0);
    k.seqPoolBackward(p.T.grad.ptr, this.dX.ptr, D, this.X.ptr, D, p.T.value.ptr, ids, w, 1, N, m, L, d, SEQ_POOL.mean);
    for (let j = 0; j < L; j++) p.T.markRows(ids + 4 * j * N, m);
    if (p.G) {
      k.seqPoolBackward(p.G.grad.ptr, this.dX.ptr + 4 * d, D, this.X.ptr + 4 * d, D, p.G.value.ptr, gapIds, w, 1, N, m, L, dg, SEQ_POOL.mean);
      for (let j = 0; j < L; j++) p.G.markRows(gapIds + 4 * j * N, m);
    }
    p.Q.markRows(this.allItems.ptr, n);
    p.bi.markRows(this.allItems.ptr, n);
    return loss;
  }

  dispose(): void {
    for (const b of [this.ids, this.targets, this.X, this.H, this.dX, this.dH, this.logits, this.allItems]) this.be.free(b);
    if (this.gapIds) this.be.free(this.gapIds);
    if (this.weights) this.be.free(this.weights);
  }
}

/**
 * The user vectors relu(W·[mean(T[last L items]) | mean(G[their gap buckets])] + b) (means
 * weighted by recency with a halfLife > 0) of
 * histories given row-major (rows × L, −1 = padding; gaps alike, needed when p.G is set),
 * into out (rows × d). Serving, not training: its buffers live for the call.
 */
export function userVectors(be: Backend, p: Pick<YouTubeParams, 'T' | 'G' | 'W' | 'b'>, lastItems: Int32Array, rows: number, L: number, d: number, out: Float32Array, lastGaps: Int32Array | null = null, halfLife = 0): void {
  if (p.G && !lastGaps) throw new Error('userVectors: a model with time gaps needs the gap of every event');
  const dg = p.G ? p.G.dim : 0;
  const D = d + dg;
  const ids = be.allocI32(Math.max(1, rows * L), lastItems);
  const gaps = p.G ? be.allocI32(Math.max(1, rows * L), lastGaps!) : null;
  const X = be.allocF32(Math.max(1, rows * D));
  const H = be.allocF32(Math.max(1, rows * d));
  const w = decayWeights(L, halfLife);
  const weights = w ? be.allocF32(Math.max(1, rows * L), tileRows(w, rows)) : null;
  const wp = weights ? weights.ptr : 0;
  try {
    be.kernels.seqPool(X.ptr, D, p.T.value.ptr, ids.ptr, wp, L, 1, rows, L, d, SEQ_POOL.mean);
    if (p.G) be.kernels.seqPool(X.ptr + 4 * d, D, p.G.value.ptr, gaps!.ptr, wp, L, 1, rows, L, dg, SEQ_POOL.mean);
    be.kernels.denseForward(H.ptr, X.ptr, p.W.value.ptr, p.b.value.ptr, rows, D, d, DENSE_ACT.relu);
    out.set(be.f32(H).subarray(0, rows * d));
  } finally {
    for (const b of [ids, X, H, ...(gaps ? [gaps] : []), ...(weights ? [weights] : [])]) be.free(b);
  }
}

function tileRows(w: Float32Array, rows: number): Float32Array {
  const out = new Float32Array(Math.max(1, rows * w.length));
  for (let r = 0; r < rows; r++) out.set(w, r * w.length);
  return out;
}
