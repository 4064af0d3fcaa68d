// The training buffers and step of GRU4Rec (./gru4rec.ts): every user's events cut into
// windows of L steps from her latest backwards (the oldest window left-padded), the item
// embeddings through dropout and the GRU, and a full softmax over the items at every step.

import type { Backend, F32Buf, I32Buf } from '../backends/index.js';
import { SEQ_POOL } from '../backends/kernels.js';
import { ARG, type ArgMode } from '../backends/program.js';
import type { Histories } from '../data/histories.js';
import { Dropout } from '../nn/dropout.js';
import { Gru, GruBuffers } from '../nn/gru.js';
import type { Rng } from '../random.js';
import type { Param } from '../training/param.js';

/** The trainable parts: input item table, the GRU, and MF's output embeddings Q and biases b_i. */
export interface Gru4RecParams {
  T: Param;
  gru: Gru;
  Q: Param;
  bi: Param;
}

/** Looks each id (−1 = padding → zeros) up as one row: a pooling of one event per row. */
function embed(be: Backend, outPtr: number, T: Param, idsPtr: number, rows: number, d: number): void {
  be.kernels.seqPool(outPtr, d, T.value.ptr, idsPtr, 0, 1, 1, rows, 1, d, SEQ_POOL.sum);
}

export class Gru4RecRun {
  readonly nExamples: number;
  private readonly inputs: Int32Array;
  private readonly outputs: Int32Array;
  private readonly valid: Int32Array;
  private readonly ids: I32Buf;
  private readonly targets: I32Buf;
  private readonly X: F32Buf;
  private readonly dX: F32Buf;
  private readonly logits: F32Buf;
  private readonly allItems: I32Buf;
  private readonly bufs: GruBuffers;
  private readonly drop: Dropout;
  private order: Int32Array;
  /** The step's loss scale 1/(real steps in the batch): an f64 cell that a recorded step reads, and its value. */
  private readonly scaleCell: F32Buf;
  private scale = 1;
  private scaleView: Float64Array<ArrayBufferLike> = new Float64Array(0);

  constructor(
    private readonly be: Backend,
    h: Histories,
    private readonly nItems: number,
    private readonly d: number,
    private readonly L: number,
    maxBatch: number,
    dropout: number,
    rng: Rng,
  ) {
    const inputs: number[] = [];
    const outputs: number[] = [];
    for (let u = 0; u + 1 < h.start.length; u++) {
      // Inputs are events [s, e−1), each predicting the next; windows end at the latest event.
      for (let end = h.start[u + 1] - 1; end > h.start[u]; end -= L) {
        const from = Math.max(h.start[u], end - L);
        for (let j = 0; j < L; j++) {
          const at = end - L + j;
          inputs.push(at >= from ? h.items[at] : -1);
          outputs.push(at >= from ? h.items[at + 1] : -1);
        }
      }
    }
    this.inputs = Int32Array.from(inputs);
    this.outputs = Int32Array.from(outputs);
    this.nExamples = this.inputs.length / L;
    this.valid = new Int32Array(this.nExamples);
    for (let w = 0; w < this.nExamples; w++) for (let j = 0; j < L; j++) if (this.outputs[w * L + j] >= 0) this.valid[w]++;
    this.order = Int32Array.from({ length: this.nExamples }, (_, k) => k);
    const rows = Math.max(1, maxBatch * L);
    this.ids = be.allocI32(Math.max(1, this.inputs.length));
    this.targets = be.allocI32(Math.max(1, this.inputs.length));
    this.X = be.allocF32(rows * d);
    this.dX = be.allocF32(rows * d);
    this.logits = be.allocF32(rows * nItems);
    this.allItems = be.allocI32(nItems, Int32Array.from({ length: nItems }, (_, i) => i));
    this.bufs = new GruBuffers(be, maxBatch, L, d, true);
    this.drop = new Dropout(be, dropout, d, rows, rng);
    this.scaleCell = be.allocF32(2);
  }

  /** Windows are L columns each: a batch starting at window w starts at column w·L. */
  get stride(): number {
    return this.L;
  }

  /** The loss scale of windows [start, start + m): one over their real steps (every window has at least one). */
  beforeStep(start: number, m: number): void {
    let count = 0;
    for (let r = start; r < start + m; r++) count += this.valid[this.order[r]];
    this.scale = 1 / count;
    // A view kept across steps (no allocation per step), made again after the memory grew.
    if (this.scaleView.buffer !== this.be.heap.u8.buffer) this.scaleView = new Float64Array(this.be.heap.u8.buffer, this.scaleCell.ptr, 1);
    this.scaleView[0] = this.scale;
  }

  /** The epoch's visiting order of the windows, uploaded once. */
  layout(rng: Rng | null): void {
    const n = this.nExamples;
    const L = this.L;
    this.order = Int32Array.from({ length: n }, (_, k) => k);
    if (rng) rng.shuffle(this.order);
    const ids = new Int32Array(n * L);
    const targets = new Int32Array(n * L);
    for (let r = 0; r < n; r++) {
      const w = this.order[r];
      ids.set(this.inputs.subarray(w * L, (w + 1) * L), r * L);
      targets.set(this.outputs.subarray(w * L, (w + 1) * L), r * L);
    }
    this.be.write(this.ids, ids);
    this.be.write(this.targets, targets);
  }

  /**
   * Forward, full-softmax loss at every real step and backward of m windows from column
   * `col` (= first window · L), scaled as beforeStep said; returns the summed cross-entropy.
   * Kernels only: recordable as a step program.
   */
  step(p: Gru4RecParams, col: number, m: number): number {
    const k = this.be.kernels;
    const { d, L, nItems: n } = this;
    const rows = m * L;
    const ids = this.ids.ptr + 4 * col;
    embed(this.be, this.X.ptr, p.T, ids, rows, d);
    const x = this.drop.forward(this.X.ptr, rows, true);
    p.gru.forward(this.bufs, x, ids, m);
    const H = this.bufs.H.ptr;
    const G = this.logits.ptr;
    k.gemmNt(G, H, p.Q.value.ptr, rows, n, d, 0);
    k.gemm(G, 0, 0, p.bi.value.ptr, rows, 0, n, 1);
    const loss = this.softmax(G, this.targets.ptr + 4 * col, rows, n);
    const dH = this.dX.ptr;
    k.gemm(dH, G, p.Q.value.ptr, 0, rows, n, d, 0);
    k.gemmTn(p.Q.grad.ptr, G, H, rows, n, d, 1);
    k.colSum(p.bi.grad.ptr, G, rows, n, 1);
    // dH is consumed by the recurrence; dX goes where the dropout wants it, then back to X's rows.
    const dx = this.drop.gradPtr(this.X.ptr);
    p.gru.backward(this.bufs, dx, dH, x, ids, m);
    this.drop.backward(this.X.ptr, rows);
    k.seqPoolBackward(p.T.grad.ptr, this.X.ptr, d, 0, d, p.T.value.ptr, ids, 0, 1, 1, rows, 1, d, SEQ_POOL.sum);
    p.T.markRows(ids, rows);
    p.Q.markRows(this.allItems.ptr, n);
    p.bi.markRows(this.allItems.ptr, n);
    return loss;
  }

  /** The softmax loss scaled by the step's scale: from its cell when recorded (it changes per batch), else the value itself. */
  private softmax(G: number, targetsPtr: number, rows: number, n: number): number {
    const program = this.be.recorder?.recording;
    if (!program) return this.be.kernels.softmaxXentRows(G, G, targetsPtr, 0, 0, rows, n, this.scale);
    const modes: ArgMode[] = [];
    modes[7] = ARG.f64Cell;
    program.ops.push('softmaxXentRows', [G, G, targetsPtr, 0, 0, rows, n, this.scaleCell.ptr], modes);
    return 0;
  }

  dispose(): void {
    for (const b of [this.ids, this.targets, this.X, this.dX, this.logits, this.allItems, this.scaleCell]) this.be.free(b);
    this.bufs.dispose();
    this.drop.dispose();
  }
}

/** The last hidden state of each history (rows × L row-major, −1 = padding) into out (rows × d), in chunks. */
export function lastStates(be: Backend, p: Pick<Gru4RecParams, 'T' | 'gru'>, lastItems: Int32Array, rows: number, L: number, d: number, out: Float32Array): void {
  const chunk = Math.max(1, Math.min(rows, 256));
  const bufs = new GruBuffers(be, chunk, L, d, false);
  const ids = be.allocI32(chunk * L);
  const X = be.allocF32(chunk * L * d);
  try {
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const m = Math.min(chunk, rows - r0);
      be.write(ids, lastItems.subarray(r0 * L, (r0 + m) * L));
      embed(be, X.ptr, p.T, ids.ptr, m * L, d);
      p.gru.forward(bufs, X.ptr, ids.ptr, m);
      const H = be.f32(bufs.H);
      for (let r = 0; r < m; r++) out.set(H.subarray((r * L + L - 1) * d, (r * L + L) * d), (r0 + r) * d);
    }
  } finally {
    bufs.dispose();
    be.free(ids);
    be.free(X);
  }
}
