// SASRec's training data and step (./sasrec.ts): each user's events cut into windows of L
// next-item pairs (output at every position), the full softmax over the items at every
// position with a target, computed in chunks of rows so the logits stay a bounded buffer.
// Recordable as a step program: windows are L columns each, and what depends on the batch's
// targets (their count, where they start, each chunk's rows, the loss scale) is read from
// memory cells written before the step.

import type { Backend, F32Buf, I32Buf } from '../backends/index.js';
import { ARG, callWithCells, type CellArg } from '../backends/program.js';
import type { KernelName } from '../backends/kernels.js';
import type { Histories } from '../data/histories.js';
import type { Rng } from '../random.js';
import type { Param } from '../training/param.js';
import type { SasrecNet } from './sasrec-net.js';

/** Positions whose logits are computed at once: 1024 × 9,742 items (ml-latest-small) is 40 MB. */
const OUTPUT_CHUNK_ROWS = 1024;

/**
 * The windows: user u's events s₀…s_{n−1} give the pairs (s_t → s_{t+1}); they are cut
 * from the most recent backwards into windows of L, the earliest one left-padded (−1), so
 * that every event after a user's first is a target exactly once per epoch.
 */
export class SasrecRun {
  readonly nExamples: number;
  private readonly inputs: Int32Array;
  private readonly outputs: Int32Array;
  private readonly ids: I32Buf;
  /** The positions with a target, batch by batch: their row within the batch's m·L outputs, and the target. */
  private readonly validRows: I32Buf;
  private readonly targets: I32Buf;
  private readonly Hc: F32Buf;
  private readonly dHc: F32Buf;
  private readonly dH: F32Buf;
  private readonly logits: F32Buf;
  private readonly allItems: I32Buf;
  /** Valid targets before each window in the epoch's order (for the batch mean). */
  private validBefore = new Float64Array(1);
  /** Chunks of output rows a batch may need (a fixed schedule: chunks past its targets are empty). */
  private readonly chunks: number;
  /** i32 cells: [0] the batch's targets, [1] the address of their rows; per chunk c: [2 + 2c] its rows, [3 + 2c] its targets' address. */
  private readonly cells: I32Buf;
  /** f64 cell: the loss scale 1/targets. */
  private readonly scaleCell: F32Buf;
  /** The same values for calls made now (not recorded). */
  private readonly now: Int32Array;
  private scale = 1;
  private scaleView: Float64Array<ArrayBufferLike> = new Float64Array(0);

  constructor(private readonly be: Backend, h: Histories, private readonly nItems: number, private readonly d: number, private readonly L: number, private readonly maxBatch: number) {
    const inputs: number[] = [];
    const outputs: number[] = [];
    for (let u = 0; u + 1 < h.start.length; u++) {
      const first = h.start[u];
      const pairs = h.start[u + 1] - first - 1;
      for (let end = pairs; end > 0; end -= L) {
        const win = new Int32Array(L).fill(-1);
        const next = new Int32Array(L).fill(-1);
        for (let t = Math.max(0, end - L); t < end; t++) {
          win[L - (end - t)] = h.items[first + t];
          next[L - (end - t)] = h.items[first + t + 1];
        }
        inputs.push(...win);
        outputs.push(...next);
      }
    }
    this.nExamples = inputs.length / L;
    this.inputs = Int32Array.from(inputs);
    this.outputs = Int32Array.from(outputs);
    this.ids = be.allocI32(Math.max(1, inputs.length));
    this.validRows = be.allocI32(Math.max(1, inputs.length));
    this.targets = be.allocI32(Math.max(1, inputs.length));
    this.Hc = be.allocF32(maxBatch * L * d);
    this.dHc = be.allocF32(maxBatch * L * d);
    this.dH = be.allocF32(maxBatch * L * d);
    this.logits = be.allocF32(Math.min(OUTPUT_CHUNK_ROWS, maxBatch * L) * nItems);
    this.allItems = be.allocI32(nItems, Int32Array.from({ length: nItems }, (_, i) => i));
    this.chunks = Math.ceil((maxBatch * L) / OUTPUT_CHUNK_ROWS);
    this.now = new Int32Array(2 + 2 * this.chunks);
    this.cells = be.allocI32(this.now.length);
    this.scaleCell = be.allocF32(2);
  }

  /** Windows are L columns each: a batch starting at window w starts at column w·L. */
  get stride(): number {
    return this.L;
  }

  /** Writes the batch's target count, offsets, chunk sizes and loss scale (cells and `now`). */
  beforeStep(start: number, m: number): void {
    if (start % this.maxBatch !== 0 || m > this.maxBatch) throw new Error(`sasrec: a batch must start at a multiple of ${this.maxBatch} and hold at most as many windows`);
    const first = this.validBefore[start];
    const valid = this.validBefore[start + m] - first;
    const v = this.now;
    v[0] = valid;
    v[1] = this.validRows.ptr + 4 * first;
    for (let c = 0; c < this.chunks; c++) {
      v[2 + 2 * c] = Math.max(0, Math.min(OUTPUT_CHUNK_ROWS, valid - c * OUTPUT_CHUNK_ROWS));
      v[3 + 2 * c] = this.targets.ptr + 4 * (first + c * OUTPUT_CHUNK_ROWS);
    }
    this.be.write(this.cells, v);
    this.scale = 1 / Math.max(1, valid);
    // A view kept across steps (no allocation per step), made again after the memory grew.
    if (this.scaleView.buffer !== this.be.heap.u8.buffer) this.scaleView = new Float64Array(this.be.heap.u8.buffer, this.scaleCell.ptr, 1);
    this.scaleView[0] = this.scale;
  }

  /** The epoch's visiting order of the windows (one upload per epoch). */
  layout(rng: Rng | null): void {
    const { L, nExamples: n } = this;
    const order = Int32Array.from({ length: n }, (_, k) => k);
    if (rng) rng.shuffle(order);
    const ids = new Int32Array(n * L);
    const rows = new Int32Array(n * L);
    const targets = new Int32Array(n * L);
    this.validBefore = new Float64Array(n + 1);
    let valid = 0;
    for (let r = 0; r < n; r++) {
      const w = order[r];
      ids.set(this.inputs.subarray(w * L, (w + 1) * L), r * L);
      for (let j = 0; j < L; j++) {
        const t = this.outputs[w * L + j];
        if (t < 0) continue;
        // Batches start at multiples of maxBatch (SequenceModel's epoch loop).
        rows[valid] = (r % this.maxBatch) * L + j;
        targets[valid++] = t;
      }
      this.validBefore[r + 1] = valid;
    }
    this.be.write(this.ids, ids);
    this.be.write(this.validRows, rows);
    this.be.write(this.targets, targets);
  }

  /**
   * Forward, loss (mean cross-entropy over the batch's targets) and backward of m windows
   * from column `col` (= first window · L), as beforeStep described the batch; returns the
   * summed cross-entropy. Kernels only: recordable.
   */
  step(net: SasrecNet, Q: Param, bi: Param, col: number, m: number): number {
    const k = this.be.kernels;
    const { d, L, nItems: n } = this;
    const I32 = ARG.i32Cell;
    const cell = (i: number) => this.cells.ptr + 4 * i;
    const call = (name: KernelName, values: number[], cells: CellArg[]) => callWithCells(k, this.be.recorder, name, values, cells);
    const [valid, at] = this.now;
    const ids = this.ids.ptr + 4 * col;
    const H = net.forward(Q, ids, m, true);
    // Only positions with a target are scored (a quarter of ML-100K's are left padding).
    call('gather', [this.Hc.ptr, d, H, at, valid, d], [[3, I32, cell(1)], [4, I32, cell(0)]]);
    const G = this.logits.ptr;
    let loss = 0;
    const recording = this.be.recorder?.recording != null;
    for (let c = 0; c < this.chunks; c++) {
      const cr = this.now[2 + 2 * c];
      if (cr === 0 && !recording) break;
      const rows: CellArg = [3, I32, cell(2 + 2 * c)];
      const h = this.Hc.ptr + 4 * c * OUTPUT_CHUNK_ROWS * d;
      call('gemmNt', [G, h, Q.value.ptr, cr, n, d, 0], [rows]);
      call('gemm', [G, 0, 0, bi.value.ptr, cr, 0, n, 1], [[4, I32, cell(2 + 2 * c)]]);
      loss += call('softmaxXentRows', [G, G, this.now[3 + 2 * c], 0, 0, cr, n, this.scale], [[2, I32, cell(3 + 2 * c)], [5, I32, cell(2 + 2 * c)], [7, ARG.f64Cell, this.scaleCell.ptr]]);
      call('gemm', [this.dHc.ptr + 4 * c * OUTPUT_CHUNK_ROWS * d, G, Q.value.ptr, 0, cr, n, d, 0], [[4, I32, cell(2 + 2 * c)]]);
      call('gemmTn', [Q.grad.ptr, G, h, cr, n, d, 1], [rows]);
      call('colSum', [bi.grad.ptr, G, cr, n, 1], [[2, I32, cell(2 + 2 * c)]]);
    }
    k.fill(this.dH.ptr, m * L * d, 0);
    call('scatterAdd', [this.dH.ptr, this.dHc.ptr, d, at, valid, d], [[3, I32, cell(1)], [4, I32, cell(0)]]);
    net.backward(Q, ids, this.dH.ptr, m);
    Q.markRows(this.allItems.ptr, n);
    bi.markRows(this.allItems.ptr, n);
    return loss;
  }

  dispose(): void {
    for (const b of [this.ids, this.validRows, this.targets, this.Hc, this.dHc, this.dH, this.logits, this.allItems, this.cells, this.scaleCell]) this.be.free(b);
  }
}
