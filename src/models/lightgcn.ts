// LightGCN (He et al., "LightGCN: Simplifying and Powering Graph Convolution Network for
// Recommendation", SIGIR 2020): id embeddings E0 of users and items propagated over the
// symmetric-normalised user–item training graph, F = mean(E0, ÂE0, …, Â^K E0), scored by
// dot(F_u, F_i) and trained with BPR. Every mini-batch propagates the whole graph forward
// and back (../nn/graph-propagation.ts); the propagated F is written into MF's tables after
// each epoch, so serving, ranking and the saved file are plain MF (one GEMM per user batch).

import type { Backend, F32Buf, I32Buf } from '../backends/index.js';
import type { Interactions } from '../data/interactions.js';
import { bipartiteAdjacency, GraphPropagation } from '../nn/graph-propagation.js';
import { Rng } from '../random.js';
import { ImplicitEpoch } from '../training/implicit-epoch.js';
import type { LossConfig, LossName } from '../training/losses.js';
import type { OptimizerConfig } from '../training/optimizer.js';
import { Param } from '../training/param.js';
import { MatrixFactorization, type MFOptions } from './mf.js';
import type { SummaryBuilder } from './model-summary.js';
import type { CompileOptions, EpochContext, ModelIndexes } from './model-types.js';
import type { ModelState } from './state.js';

export interface LightGCNOptions extends MFOptions {
  /** Propagation layers K (default 3, as in the paper); 0 is BPR-MF without biases. */
  layers?: number;
}

/**
 * Defaults measured on ML-100K u1 with ratings ≥ 4 as positives (README, model zoo):
 * P@10 0.3515 after 40 epochs. Tried: 1/2/3/4/6 layers (0.294/0.326/0.336/0.340/0.332 at
 * lr 0.01, 40 epochs), dim 128 (no gain), lr 0.002-0.01, batch 512-2048, λ 1e-4-1e-2
 * (1e-2 underfits), 1/2/4/8 negatives (2 and 8 best, 0.351), and the full softmax (0.343,
 * ten times slower per epoch). regFactors is the paper's λ on the batch's E0 rows (per use
 * of a row, as MF's L2).
 */
export const LIGHTGCN_DEFAULTS = { factors: 64, layers: 3, lr: 0.005, regFactors: 1e-3, initStd: 0.1, epochs: 40, batchSize: 2048, negatives: 2 } as const;

/**
 * LightGCN over the training interactions (implicit feedback: every given row is a positive).
 *
 * @example
 * const m = new LightGCN(backend, dataset, { layers: 3 });
 * m.compile({ loss: 'bpr' });
 * await m.fit(positivesOf(train, 4));
 * m.recommend('196', 10);
 */
export class LightGCN extends MatrixFactorization {
  override readonly kind: string = 'lightgcn';
  readonly layers: number;
  private run: LightGCNRun | null = null;

  constructor(backend: Backend, indexes: ModelIndexes, options: LightGCNOptions = {}) {
    const { layers, ...mf } = options;
    super(backend, indexes, mf);
    this.layers = layers ?? LIGHTGCN_DEFAULTS.layers;
    if (!(Number.isInteger(this.layers) && this.layers >= 0)) throw new Error(`lightgcn: layers must be an integer ≥ 0, got ${this.layers}`);
  }

  protected override configure(): void {
    const o = this.options;
    super.configure();
    this.factors = o.factors ?? LIGHTGCN_DEFAULTS.factors;
    this.regFactors = o.regFactors ?? LIGHTGCN_DEFAULTS.regFactors;
    this.regBias = 0;
    this.initStd = o.initStd ?? LIGHTGCN_DEFAULTS.initStd;
  }

  /** Without a loss, compiles its default (BPR): LightGCN has no rating loss. */
  override compile(options: CompileOptions = {}): this {
    return super.compile(options.loss === undefined ? { ...options, loss: this.defaultImplicitLoss() } : options);
  }

  /** A ranking model: BPR over sampled negatives, as in the paper, or the full softmax over every item. */
  override supportedLosses(): readonly LossName[] {
    return ['bpr', 'softmax'];
  }

  override defaultImplicitLoss(): LossName {
    return 'bpr';
  }

  protected override lossDefaults(): Partial<LossConfig> {
    return { negatives: LIGHTGCN_DEFAULTS.negatives };
  }

  override defaultOptimizer(): OptimizerConfig {
    return { name: 'adam', lr: LIGHTGCN_DEFAULTS.lr };
  }

  /** Large batches: each one costs a full propagation over the graph, forward and back. */
  override defaultBatchSize(): number {
    return LIGHTGCN_DEFAULTS.batchSize;
  }

  override defaultEpochs(): number {
    return LIGHTGCN_DEFAULTS.epochs;
  }

  protected override fused(): boolean {
    return false;
  }

  protected override beginTraining(train: Interactions, rng: Rng, batchSize: number, continuing: boolean): void {
    if (!this.implicit) throw new Error("lightgcn: trains on implicit feedback (compile with loss 'bpr'; the CLI's --implicit)");
    const keep = continuing && this.run !== null ? this.run.E0.read() : null;
    super.beginTraining(train, rng, batchSize, continuing);
    this.freeRun();
    const be = this.backend;
    const graph = bipartiteAdjacency(train.users, train.items, this.nUsers, this.nItems);
    const E0 = new Param(be, 'node_embeddings', graph.rows, this.factors, rng, { init: { normal: this.initStd } });
    if (keep) E0.write(keep);
    const prop = new GraphPropagation(be, graph, this.layers, this.factors);
    const epoch = new ImplicitEpoch(this.loss, train, this.nItems);
    this.run = new LightGCNRun(be, E0, prop, epoch, rng.fork(), this.nUsers, this.nItems, batchSize);
    this.serve();
  }

  protected override trainEpoch(ctx: EpochContext): number {
    const r = this.run!;
    const pairs = r.layout(ctx.order, ctx.batchSize);
    let total = 0;
    for (let b0 = 0, batch = 0; b0 < pairs; b0 += ctx.batchSize, batch++) {
      const h = Math.min(ctx.batchSize, pairs - b0);
      const loss = r.step(b0, h);
      r.addL2(b0, h, this.regFactors);
      this.optimizer!.step([r.E0], ctx.lr);
      total += loss;
      ctx.onBatchEnd?.(batch, h, loss);
    }
    this.serve();
    return total;
  }

  /** MF's P and Q := the propagated user and item rows; ids without training positives keep zero rows (unknown). */
  private serve(): void {
    const t = this.tables!;
    const r = this.run!;
    r.propagate();
    const be = this.backend;
    const d = this.factors;
    const F = be.f32(r.F);
    for (const [table, seen, offset] of [[t.P, t.userSeen, 0], [t.Q, t.itemSeen, this.nUsers]] as const) {
      const v = be.f32(table.value);
      v.set(F.subarray(offset * d, (offset + seen.length) * d));
      for (let row = 0; row < seen.length; row++) if (!seen[row]) v.fill(0, row * d, (row + 1) * d);
    }
  }

  /**
   * Users without training positives have no propagated vector (a zero row scores every item
   * 0): they get the popularity ranking, log(1 + the item's training positives).
   */
  override rankingScores(users: Int32Array, minSupport = this.minSupport): Float32Array {
    const scores = super.rankingScores(users, minSupport);
    const seen = this.tables?.userSeen;
    const support = this.itemSupport;
    if (!seen || !support) return scores;
    const n = this.nItems;
    for (let r = 0; r < users.length; r++) {
      const u = users[r];
      if (u >= 0 && u < seen.length && seen[u]) continue;
      for (let i = 0; i < n; i++) if (!Number.isNaN(scores[r * n + i])) scores[r * n + i] = Math.log1p(support[i]);
    }
    return scores;
  }

  protected override trainableParams(): Param[] {
    return this.run ? [this.run.E0] : [];
  }

  override exportState(): ModelState {
    const state = super.exportState();
    return { ...state, config: { ...state.config, layers: this.layers } };
  }

  protected override describe(b: SummaryBuilder): string {
    const K = this.layers;
    const d = this.factors;
    const user = b.add({ name: 'user_id', type: 'Input', branch: 'user', detail: `${this.nUsers} known ids + unknown`, outputShape: [1] });
    const item = b.add({ name: 'item_id', type: 'Input', branch: 'item', detail: `${this.nItems} known ids + unknown`, outputShape: [1] });
    const e0 = b.add({ name: 'node_embeddings', type: 'Embedding', branch: 'joint', detail: 'E0 = [users; items] (training)', outputShape: [d], tensors: [{ name: 'node_embeddings', shape: [this.nUsers + this.nItems, d] }] });
    const prop = b.add({ name: 'propagation', type: 'GraphConv', branch: 'joint', detail: `mean(E0, ÂE0, …, Â^${K}E0), Â = D^-½AD^-½ of the training graph`, outputShape: [d], inputs: [e0] });
    // The served tables are written from the propagation after every epoch, not trained.
    const served = (side: 'user' | 'item', n: number, input: string) =>
      b.add({ name: `${side}_factors`, type: 'Embedding', branch: side, detail: `propagated ${side === 'user' ? 'p_u' : 'q_i'} (served)`, outputShape: [d], tensors: [{ name: `${side}_factors`, shape: [n + 1, d] }], trainable: false, inputs: [input, prop] });
    const bias = (side: 'user' | 'item', n: number, input: string) =>
      b.add({ name: `${side}_bias`, type: 'Bias', branch: side, detail: 'zero (MF file format)', outputShape: [1], tensors: [{ name: `${side}_bias`, shape: [n + 1, 1] }], trainable: false, inputs: [input] });
    const p = served('user', this.nUsers, user);
    const q = served('item', this.nItems, item);
    const bu = bias('user', this.nUsers, user);
    const bi = bias('item', this.nItems, item);
    b.add({ name: 'output', type: 'Dot', branch: 'joint', detail: 'p_uᵀq_i', outputShape: [1], inputs: [p, q, bu, bi] });
    return `score = p_uᵀq_i, [P; Q] = (1/${K + 1}) Σ_{k≤${K}} Â^k E0`;
  }

  protected override createTwin(): MatrixFactorization {
    throw new Error('lightgcn: a ranking model already (no ranking twin)');
  }

  protected override disposeModel(): void {
    this.freeRun();
    super.disposeModel();
  }

  private freeRun(): void {
    this.run?.dispose();
    this.run = null;
  }
}

/**
 * One fit's training state: E0 with its Adam slots, the graph, F and its gradient, and the
 * epoch's examples as node rows per batch of h: [users | positives | negatives] (BPR) or
 * [users | positives] (softmax, whose targets are item indices).
 */
class LightGCNRun {
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
