// MF trained with the full softmax over the catalogue (implicit feedback, loss 'softmax'):
// each positive (u, i) is a classification of i among all items, logits p_u·q_j + b_j.
// Every item is a negative of every positive, so nothing is sampled; MF can afford it
// because all of a batch's logits are one GEMM (Klenitskiy & Vasilev, RecSys 2023, found
// full cross-entropy well ahead of sampled losses for next-item models).

import type { Backend, F32Buf, I32Buf } from '../backends/index.js';
import type { Param } from '../training/param.js';

/**
 * The buffers of one fit's full-softmax steps (batch × items logits), allocated once, and
 * the step itself; every kernel it calls can be recorded into a step program.
 *
 * @example
 * const s = new FullSoftmax(backend, nItems, factors, maxRows);
 * const loss = s.step({ P, Q, bi }, usersPtr, itemsPtr, m);
 */
export class FullSoftmax {
  private readonly logits: F32Buf;
  private readonly userRows: F32Buf;
  private readonly dUser: F32Buf;
  /** 0..nItems-1: the rows of Q and b_i every step updates. */
  private readonly allItems: I32Buf;

  constructor(
    private readonly backend: Backend,
    private readonly nItems: number,
    private readonly factors: number,
    maxRows: number,
  ) {
    this.logits = backend.allocF32(maxRows * nItems);
    this.userRows = backend.allocF32(maxRows * factors);
    this.dUser = backend.allocF32(maxRows * factors);
    this.allItems = backend.allocI32(nItems, Int32Array.from({ length: nItems }, (_, i) => i));
  }

  /**
   * Forward, loss and backward of m positives (user and item indices at usersPtr, itemsPtr):
   * accumulates the gradients of P (the batch's rows), Q and b_i (every item's row) and marks
   * those rows; returns the summed cross-entropy.
   */
  step(t: { P: Param; Q: Param; bi: Param }, usersPtr: number, itemsPtr: number, m: number): number {
    const k = this.backend.kernels;
    const K = this.factors;
    const n = this.nItems;
    const G = this.logits.ptr;
    k.gather(this.userRows.ptr, K, t.P.value.ptr, usersPtr, m, K);
    k.gemmNt(G, this.userRows.ptr, t.Q.value.ptr, m, n, K, 0);
    // + b_j per column: a k = 0 GEMM adds its bias row.
    k.gemm(G, 0, 0, t.bi.value.ptr, m, 0, n, 1);
    const loss = k.softmaxXentRows(G, G, itemsPtr, 0, 0, m, n, 1 / m);
    // G = dLoss/dlogits: dU = G·Q, dQ += Gᵀ·U, db += column sums of G.
    k.gemm(this.dUser.ptr, G, t.Q.value.ptr, 0, m, n, K, 0);
    k.scatterAdd(t.P.grad.ptr, this.dUser.ptr, K, usersPtr, m, K);
    k.gemmTn(t.Q.grad.ptr, G, this.userRows.ptr, m, n, K, 1);
    k.colSum(t.bi.grad.ptr, G, m, n, 1);
    t.P.markRows(usersPtr, m);
    t.Q.markRows(this.allItems.ptr, n);
    t.bi.markRows(this.allItems.ptr, n);
    return loss;
  }

  dispose(): void {
    for (const b of [this.logits, this.userRows, this.dUser, this.allItems]) this.backend.free(b);
  }
}
