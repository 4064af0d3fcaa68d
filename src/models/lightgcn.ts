// LightGCN (He et al., "LightGCN: Simplifying and Powering Graph Convolution Network for
// Recommendation", SIGIR 2020): id embeddings E0 of users and items propagated over the
// symmetric-normalised user–item training graph, F = mean(E0, ÂE0, …, Â^K E0), scored by
// dot(F_u, F_i) and trained with BPR. Every mini-batch propagates the whole graph forward
// and back (../nn/graph-propagation.ts); the propagated F is written into MF's tables after
// each epoch, so serving, ranking and the saved file are plain MF (one GEMM per user batch).

import type { Backend } from '../backends/index.js';
import { LightGCNRun } from './lightgcn-run.js';
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
 * Defaults measured on ML-100K u1, test positives = ratings ≥ 4 (README, model zoo): P@10
 * 0.361 after 40 epochs on the graph of every training rating (the CLI's default events for
 * this kind), 0.3515 on the positives' graph. Tried on the latter: 1/2/3/4/6 layers
 * (0.294/0.326/0.336/0.340/0.332 at lr 0.01, 40 epochs), dim 128 (no gain), lr 0.002-0.01,
 * batch 512-2048, λ 1e-4-1e-2 (1e-2 underfits), 1/2/4/8 negatives (2 and 8 best, 0.351), a
 * learned item bias (0.350), and the full softmax (0.343, ten times slower per epoch).
 * regFactors is the paper's λ on the batch's E0 rows (per use of a row, as MF's L2).
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
