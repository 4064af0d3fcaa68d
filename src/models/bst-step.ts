// BST's training step (./bst-run.ts lays out the epoch), recordable as one step program:
// before the step, the batch's candidate rows (item, window, position; mse: the rating) are
// copied from the epoch's columns into fixed buffers and the loss scale 1/positions goes in
// an f64 cell; the step itself is recorded with the count of scored positions symbolic
// (../backends/program-counts.ts), since it differs from batch to batch (left padding has
// no next event) and only positions with one are scored.

import type { Backend, F32Buf, I32Buf } from '../backends/index.js';
import { ARG, callWithCells } from '../backends/program.js';
import { SYMBOLIC_COUNT } from '../backends/program-counts.js';
import type { Param } from '../training/param.js';
import type { BstNet } from './bst-net.js';

/** The epoch's candidate columns, C per scored position (the next event first): item, window within its batch, position. */
export interface BstColumns {
  readonly cand: I32Buf;
  readonly seq: I32Buf;
  readonly last: I32Buf;
  /** mse: each position's rating target (C = 1); null for the implicit losses. */
  readonly values: F32Buf | null;
  /** With the user's features: per feature, each row's user's code (./bst-user-input.ts). */
  readonly userCodes: readonly I32Buf[];
}

/** The fixed buffers of a batch's candidate rows, its loss and its gradients. */
export class BstStep {
  private readonly cand: I32Buf;
  private readonly seq: I32Buf;
  private readonly last: I32Buf;
  private readonly userCodes: I32Buf[];
  private readonly userPtrs: number[];
  /** bce: each row's label (1 for the next event), a fixed pattern; softmax: each position's target column (0); mse: each position's rating, copied per step. */
  private readonly labels: F32Buf | I32Buf;
  private readonly dLogits: F32Buf;
  private readonly dH: F32Buf;
  /** f64 cell: the loss scale 1/positions. */
  private readonly scaleCell: F32Buf;
  private scaleView: Float64Array<ArrayBufferLike> = new Float64Array(0);
  /** The batch's scored positions (written by `prepare`). */
  private positions = 0;

  /** C candidates per position, at most maxBatch windows of L positions. */
  constructor(private readonly be: Backend, private readonly loss: 'bce' | 'softmax' | 'mse', private readonly C: number, private readonly L: number, private readonly maxBatch: number, d: number, userFeatures = 0) {
    const rows = maxBatch * L * C;
    this.cand = be.allocI32(rows);
    this.seq = be.allocI32(rows);
    this.last = be.allocI32(rows);
    this.userCodes = Array.from({ length: userFeatures }, () => be.allocI32(rows));
    this.userPtrs = this.userCodes.map((b) => b.ptr);
    if (loss === 'bce') this.labels = be.allocF32(rows, Float32Array.from({ length: rows }, (_, r) => (r % C === 0 ? 1 : 0)));
    else if (loss === 'mse') this.labels = be.allocF32(maxBatch * L);
    else this.labels = be.allocI32(maxBatch * L);
    this.dLogits = be.allocF32(rows);
    this.dH = be.allocF32(maxBatch * L * d);
    this.scaleCell = be.allocF32(2);
  }

  /** Copies the candidate rows of `positions` positions from position `first` of the epoch's columns; writes the loss scale. */
  prepare(epoch: BstColumns, first: number, positions: number): void {
    if (positions > this.maxBatch * this.L) throw new Error(`bst: ${positions} positions in a batch; built for at most ${this.maxBatch * this.L}`);
    const C = this.C;
    const i32 = this.be.heap.i32;
    // Inside the heap, no view made: nothing is allocated per step.
    const copy = (to: I32Buf | F32Buf, from: I32Buf | F32Buf, at: number, n: number) => i32.copyWithin(to.ptr >> 2, (from.ptr >> 2) + at, (from.ptr >> 2) + at + n);
    copy(this.cand, epoch.cand, first * C, positions * C);
    copy(this.seq, epoch.seq, first * C, positions * C);
    copy(this.last, epoch.last, first * C, positions * C);
    epoch.userCodes.forEach((codes, f) => copy(this.userCodes[f], codes, first * C, positions * C));
    if (epoch.values) copy(this.labels, epoch.values, first, positions);
    this.positions = positions;
    if (this.scaleView.buffer !== this.be.heap.u8.buffer) this.scaleView = new Float64Array(this.be.heap.u8.buffer, this.scaleCell.ptr, 1);
    this.scaleView[0] = 1 / Math.max(1, positions);
  }

  /**
   * Forward, loss (mean over the positions `prepare` copied) and backward of m windows whose
   * ids (m × L) are at idsPtr (their event attributes at attrPtr, 0: none); returns the
   * summed loss. Kernels only: recordable.
   */
  run(net: BstNet, Q: Param, bi: Param, idsPtr: number, attrPtr: number, m: number): number {
    const k = this.be.kernels;
    const program = this.be.recorder?.recording ?? null;
    // Recorded once per program: each run first writes the batch's count into its cells.
    if (program) program.beforeRun(() => program.ops.setCount(this.positions));
    const positions = program ? SYMBOLIC_COUNT : this.positions;
    if (positions === 0) return 0;
    const n = positions * this.C;
    const h = net.encode(Q, idsPtr, m, true, attrPtr);
    const z = net.score(Q, bi, h, idsPtr, this.cand.ptr, this.seq.ptr, this.last.ptr, n, true, this.userPtrs);
    const scale = 1 / Math.max(1, this.positions);
    const call = (name: 'mse' | 'bceLogits' | 'softmaxXentRows', values: number[]) => callWithCells(k, this.be.recorder, name, values, [[values.length - 1, ARG.f64Cell, this.scaleCell.ptr]]);
    const loss = this.loss === 'softmax'
      ? call('softmaxXentRows', [this.dLogits.ptr, z, this.labels.ptr, 0, 0, positions, this.C, scale])
      : call(this.loss === 'mse' ? 'mse' : 'bceLogits', [this.dLogits.ptr, z, this.labels.ptr, n, scale]);
    net.backward(Q, bi, h, idsPtr, this.cand.ptr, this.seq.ptr, n, m, this.dLogits.ptr, this.dH.ptr, attrPtr, this.userPtrs);
    return loss;
  }

  dispose(): void {
    for (const b of [this.cand, this.seq, this.last, this.labels, this.dLogits, this.dH, this.scaleCell, ...this.userCodes]) this.be.free(b);
  }
}
