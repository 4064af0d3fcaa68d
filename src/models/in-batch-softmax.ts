// In-batch sampled softmax for two-tower retrieval: each positive's item competes with the
// other items of the same mini-batch (Yi et al. 2019; TFRS' Retrieval task).

import type { Backend, F32Buf } from '../backends/index.js';
import type { Param } from '../training/param.js';

/** The batch's tower outputs and where the gradients go (pointers into backend memory). */
export interface SoftmaxBatch {
  /** m × dim user and item tower outputs of the batch's positives (row r: user r liked item r). */
  userPtr: number;
  itemPtr: number;
  dim: number;
  m: number;
  /** m item entity rows: a column with the same item as row r's positive is not a negative. */
  itemKeysPtr: number;
  /** m item-bias rows (the id rows: unknown for dropped or unseen ids). */
  itemBiasRowsPtr: number;
  /** m values 0..m-1: row r's positive is column r. */
  diagonalPtr: number;
  /** m log q(item) for the logQ correction, or 0 for none. */
  logQPtr: number;
  /** Where dLoss/d(user outputs) and dLoss/d(item outputs) are written (m × dim each, overwritten). */
  dUserPtr: number;
  dItemPtr: number;
}

/**
 * Buffers of one model's in-batch softmax (maxBatch² logits), allocated once per fit so
 * that a training step allocates nothing.
 *
 * logits[r,c] = u_r·v_c + b_{item c}; loss = mean_r softmax cross-entropy with target c = r.
 * μ and the user bias are the same across a row, so they cancel and get no gradient.
 */
export class InBatchSoftmax {
  private readonly logits: F32Buf;
  private readonly bias: F32Buf;

  constructor(
    readonly backend: Backend,
    readonly maxBatch: number,
  ) {
    this.logits = backend.allocF32(maxBatch * maxBatch);
    this.bias = backend.allocF32(maxBatch);
  }

  /** Forward and backward of one batch; returns the summed loss and accumulates the item biases' gradient. */
  step(b: SoftmaxBatch, itemBias: Param): number {
    const k = this.backend.kernels;
    const { m, dim } = b;
    const g = this.logits.ptr;
    k.gemmNt(g, b.userPtr, b.itemPtr, m, m, dim, 0);
    k.gather(this.bias.ptr, 1, itemBias.value.ptr, b.itemBiasRowsPtr, m, 1);
    k.gemm(g, 0, 0, this.bias.ptr, m, 0, m, 1); // + b_item per column: a k = 0 GEMM adds its bias row
    const loss = k.softmaxXentRows(g, g, b.diagonalPtr, b.itemKeysPtr, b.logQPtr, m, m, 1 / m);
    // G = dLoss/dlogits: dU = G·V, dV = Gᵀ·U, db_item = column sums of G.
    k.gemm(b.dUserPtr, g, b.itemPtr, 0, m, m, dim, 0);
    k.gemmTn(b.dItemPtr, g, b.userPtr, m, m, dim, 0);
    k.colSum(this.bias.ptr, g, m, m, 0);
    k.scatterAdd(itemBias.grad.ptr, this.bias.ptr, 1, b.itemBiasRowsPtr, m, 1);
    itemBias.markRows(b.itemBiasRowsPtr, m);
    return loss;
  }

  dispose(): void {
    this.backend.free(this.logits);
    this.backend.free(this.bias);
  }
}
