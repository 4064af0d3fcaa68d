// One LightGCN fit's training state and step (./lightgcn.ts): the embeddings E0 with their
// gradient, the propagation, and each batch's loss (BPR pairs or the full softmax) on F.

import type { Backend, F32Buf, I32Buf } from '../backends/index.js';
import type { GraphPropagation } from '../nn/graph-propagation.js';
import type { Rng } from '../random.js';
import type { ImplicitEpoch } from '../training/implicit-epoch.js';
import type { Param } from '../training/param.js';

/**
 * One fit's training state: E0 with its Adam slots, the graph, F and its gradient, and the
 * epoch's examples as node rows per batch of h: [users | positives | negatives] (BPR) or
 * [users | positives] (softmax, whose targets are item indices).
 */
export class LightGCNRun {
  readonly F: F32Buf;
  private readonly dF: F32Buf;
  private readonly nodes: I32Buf;
  private readonly targets: I32Buf;
  private readonly nodeRows: Int32Array;
  /** Node rows per example: 3 for BPR (user, positive, negative), 2 for softmax. */
  private readonly blocks: number;
  private readonly batch: { rows: F32Buf; dRows: F32Buf; pred: F32Buf; dPred: F32Buf; logits: F32Buf; zero: I32Buf };

  constructor(
    private readonly be: Backend,
    readonly E0: Param,
    private readonly prop: GraphPropagation,
    private readonly epoch: ImplicitEpoch,
    private readonly rng: Rng,
    private readonly nUsers: number,
    private readonly nItems: number,
    batchSize: number,
  ) {
    const n = prop.rows * prop.dim;
    const d = prop.dim;
    const bpr = epoch.loss.name === 'bpr';
    this.blocks = bpr ? 3 : 2;
    const examples = bpr ? epoch.length >> 1 : epoch.length;
    this.F = be.allocF32(n);
    this.dF = be.allocF32(n);
    this.nodeRows = new Int32Array(examples * this.blocks);
    this.nodes = be.allocI32(Math.max(1, this.nodeRows.length));
    this.targets = be.allocI32(Math.max(1, bpr ? 1 : examples));
    const m = Math.max(1, Math.min(batchSize, examples));
    this.batch = {
      rows: be.allocF32(3 * m * d), dRows: be.allocF32(3 * m * d), pred: be.allocF32(2 * m), dPred: be.allocF32(2 * m),
      logits: be.allocF32(bpr ? 1 : m * nItems), zero: be.allocI32(1),
    };
  }

  /** F = propagated E0. */
  propagate(): void {
    this.prop.forward(this.F, this.E0.value);
  }

  /** Draws the epoch's negatives (BPR) and lays out its examples; returns their number. */
  layout(order: Int32Array, batchSize: number): number {
    const ex = this.epoch.layout(order, batchSize, this.rng);
    const bpr = this.blocks === 3;
    const examples = bpr ? ex.length >> 1 : ex.length;
    const rows = this.nodeRows;
    const nb = this.blocks;
    // ImplicitEpoch's BPR batch b0..b0+h is rows [2b0, 2b0+h) positives and [2b0+h, 2b0+2h) negatives.
    for (let b0 = 0; b0 < examples; b0 += batchSize) {
      const h = Math.min(batchSize, examples - b0);
      const src = bpr ? 2 * b0 : b0;
      for (let q = 0; q < h; q++) {
        rows[nb * b0 + q] = ex.users[src + q];
        rows[nb * b0 + h + q] = this.nUsers + ex.items[src + q];
        if (bpr) rows[nb * b0 + 2 * h + q] = this.nUsers + ex.items[src + h + q];
      }
    }
    this.be.write(this.nodes, rows);
    if (!bpr) this.be.write(this.targets, ex.items);
    return examples;
  }

  /**
   * Forward, loss and backward of examples [b0, b0+h): propagates E0, scores the batch
   * (BPR pairs, or every item for the softmax), and leaves dLoss/dE0 in E0.grad. Returns the summed loss.
   */
  step(b0: number, h: number): number {
    const nodes = this.nodes.ptr + 4 * this.blocks * b0;
    this.propagate();
    this.be.kernels.fill(this.dF.ptr, this.dF.length, 0);
    const loss = this.blocks === 3 ? this.bprGrad(nodes, h) : this.softmaxGrad(nodes, this.targets.ptr + 4 * b0, h);
    this.prop.backward(this.E0.grad, this.dF);
    return loss;
  }

  /** The paper's L2, λ/h · E0[row] per use of a row in the batch, added to E0.grad. */
  addL2(b0: number, h: number, reg: number): void {
    if (reg <= 0) return;
    const k = this.be.kernels;
    const d = this.prop.dim;
    const b = this.batch;
    const nodes = this.nodes.ptr + 4 * this.blocks * b0;
    const n = this.blocks * h;
    k.gather(b.rows.ptr, d, this.E0.value.ptr, nodes, n, d);
    k.scaleRows(b.rows.ptr, b.zero.ptr, 1, n * d, reg / h);
    k.scatterAdd(this.E0.grad.ptr, b.rows.ptr, d, nodes, n, d);
  }

  /** BPR on F's rows of h (user, positive, negative) triples; dLoss/dF into dF. */
  private bprGrad(nodes: number, h: number): number {
    const k = this.be.kernels;
    const d = this.prop.dim;
    const b = this.batch;
    const rowBytes = 4 * h * d;
    const [U, P, N] = [b.rows.ptr, b.rows.ptr + rowBytes, b.rows.ptr + 2 * rowBytes];
    const [dU, dP, dN] = [b.dRows.ptr, b.dRows.ptr + rowBytes, b.dRows.ptr + 2 * rowBytes];
    k.gather(b.rows.ptr, d, this.F.ptr, nodes, 3 * h, d);
    k.rowDot(b.pred.ptr, U, P, h, d);
    k.rowDot(b.pred.ptr + 4 * h, U, N, h, d);
    const loss = k.bpr(b.dPred.ptr, b.dPred.ptr + 4 * h, b.pred.ptr, b.pred.ptr + 4 * h, h, 1 / h);
    k.fill(b.dRows.ptr, 3 * h * d, 0);
    k.rowDotBackward(dU, dP, b.dPred.ptr, U, P, h, d, 1);
    k.rowDotBackward(dU, dN, b.dPred.ptr + 4 * h, U, N, h, d, 1);
    k.scatterAdd(this.dF.ptr, b.dRows.ptr, d, nodes, 3 * h, d);
    return loss;
  }

  /** Full softmax of each of h users' logits F_u·F_jᵀ over every item j against her positive; dLoss/dF into dF. */
  private softmaxGrad(nodes: number, targets: number, h: number): number {
    const k = this.be.kernels;
    const d = this.prop.dim;
    const b = this.batch;
    const n = this.nItems;
    const G = b.logits.ptr;
    const items = this.F.ptr + 4 * this.nUsers * d;
    k.gather(b.rows.ptr, d, this.F.ptr, nodes, h, d);
    k.gemmNt(G, b.rows.ptr, items, h, n, d, 0);
    const loss = k.softmaxXentRows(G, G, targets, 0, 0, h, n, 1 / h);
    // G = dLoss/dlogits: dU = G·F_items, dF_items += Gᵀ·U.
    k.gemm(b.dRows.ptr, G, items, 0, h, n, d, 0);
    k.scatterAdd(this.dF.ptr, b.dRows.ptr, d, nodes, h, d);
    k.gemmTn(this.dF.ptr + 4 * this.nUsers * d, G, b.rows.ptr, h, n, d, 1);
    return loss;
  }

  dispose(): void {
    this.prop.dispose();
    this.E0.dispose();
    for (const buf of [this.F, this.dF, this.nodes, this.targets, ...Object.values(this.batch)]) this.be.free(buf);
  }
}
