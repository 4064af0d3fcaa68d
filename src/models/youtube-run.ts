// The training buffers and step of the YouTube model (./youtube.ts): next-item examples as a
// column per history slot, the pooled-history tower, and the full softmax over the items.

import type { Backend, F32Buf, I32Buf } from '../backends/index.js';
import { DENSE_ACT, SEQ_POOL } from '../backends/kernels.js';
import type { Histories } from '../data/histories.js';
import { gapBucket } from '../data/time-gaps.js';
import type { Rng } from '../random.js';
import type { Param } from '../training/param.js';
import type { UserExtras, UserExtrasRun } from './youtube-user-input.js';

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

/** What a YouTube-shaped run pools and reads besides the item history (all optional). */
export interface YouTubeRunExtras {
  /** Time gaps: the times of the rows h indexes (h.rows) and the gap embedding width. */
  gaps?: { times: Float64Array; dg: number } | null;
  /** Per-slot pooling weights (decayWeights), or null for a plain mean. */
  slotWeights?: Float32Array | null;
  /** Demographics and example age, concatenated after the pooled columns. */
  user?: UserExtrasRun | null;
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
  /** Width of the tower's input: d items + dg gaps + the user extras. */
  private readonly width: number;
  private readonly user: UserExtrasRun | null;
  /** The decay weight of every id (column j holds slot j's weight for all examples); null without decay. */
  private readonly weights: F32Buf | null;

  constructor(
    private readonly be: Backend,
    h: Histories,
    private readonly nItems: number,
    private readonly d: number,
    private readonly L: number,
    maxBatch: number,
    extras: YouTubeRunExtras = {},
  ) {
    const n = h.items.length;
    const gaps = extras.gaps ?? null;
    const slotWeights = extras.slotWeights ?? null;
    this.user = extras.user ?? null;
    this.nExamples = n;
    this.width = d + (gaps?.dg ?? 0) + (this.user?.width ?? 0);
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
    const w = slotWeights;
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
    this.user?.layout(order);
  }

  /** Forward, full-softmax loss and backward of examples [start, start+m); returns the summed cross-entropy. */
  step(p: YouTubeParams, start: number, m: number): number {
    const k = this.be.kernels;
    const { d, L, nItems: n } = this;
    const N = this.nExamples;
    const D = this.width;
    const ids = this.ids.ptr + 4 * start;
    const gapIds = this.gapIds ? this.gapIds.ptr + 4 * start : 0;
    const dg = this.prefixGap ? p.G!.dim : 0;
    const w = this.weights ? this.weights.ptr + 4 * start : 0;
    k.seqPool(this.X.ptr, D, p.T.value.ptr, ids, w, 1, N, m, L, d, SEQ_POOL.mean);
    if (p.G) k.seqPool(this.X.ptr + 4 * d, D, p.G.value.ptr, gapIds, w, 1, N, m, L, dg, SEQ_POOL.mean);
    this.user?.forward(this.X.ptr + 4 * (d + dg), D, start, m);
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
    this.user?.backward(this.dX.ptr + 4 * (d + dg), D, start, m);
    p.Q.markRows(this.allItems.ptr, n);
    p.bi.markRows(this.allItems.ptr, n);
    return loss;
  }

  dispose(): void {
    for (const b of [this.ids, this.targets, this.X, this.H, this.dX, this.dH, this.logits, this.allItems]) this.be.free(b);
    if (this.gapIds) this.be.free(this.gapIds);
    if (this.weights) this.be.free(this.weights);
    this.user?.dispose();
  }
}

/** What serving reads besides the histories (as the model was trained). */
export interface ServeExtras {
  /** Each event's gap bucket, row-major like the items (needed when p.G is set). */
  lastGaps?: Int32Array | null;
  /** Per-slot pooling weights (decayWeights). */
  slotWeights?: Float32Array | null;
  /** Demographics and example age; `anonymous`: the rows are sessions, not users 0 … rows−1. */
  user?: { extras: UserExtras; anonymous: boolean } | null;
}

/**
 * The user vectors relu(W·[mean(T[last L items]) | mean(G[their gap buckets]) | extras] + b)
 * of histories given row-major (rows × L, −1 = padding), into out (rows × d); the means
 * weighted per slot when `x.slotWeights` is given. Serving, not training: its buffers live
 * for the call.
 */
export function userVectors(be: Backend, p: Pick<YouTubeParams, 'T' | 'G' | 'W' | 'b'>, lastItems: Int32Array, rows: number, L: number, d: number, out: Float32Array, x: ServeExtras = {}): void {
  const lastGaps = x.lastGaps ?? null;
  const slotWeights = x.slotWeights ?? null;
  if (p.G && !lastGaps) throw new Error('userVectors: a model with time gaps needs the gap of every event');
  const dg = p.G ? p.G.dim : 0;
  const D = d + dg + (x.user?.extras.width ?? 0);
  const ids = be.allocI32(Math.max(1, rows * L), lastItems);
  const gaps = p.G ? be.allocI32(Math.max(1, rows * L), lastGaps!) : null;
  const X = be.allocF32(Math.max(1, rows * D));
  const H = be.allocF32(Math.max(1, rows * d));
  const weights = slotWeights ? be.allocF32(Math.max(1, rows * L), tileRows(slotWeights, rows)) : null;
  const wPtr = weights ? weights.ptr : 0;
  try {
    be.kernels.seqPool(X.ptr, D, p.T.value.ptr, ids.ptr, wPtr, L, 1, rows, L, d, SEQ_POOL.mean);
    if (p.G) be.kernels.seqPool(X.ptr + 4 * d, D, p.G.value.ptr, gaps!.ptr, wPtr, L, 1, rows, L, dg, SEQ_POOL.mean);
    if (x.user) x.user.extras.serve(be.f32(X), D, d + dg, rows, x.user.anonymous);
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
