// Two-tower network with side information: a user tower over (id, categorical, pooled
// multi-valued and continuous features) and an item tower likewise, joined by a dot
// product, an MLP over their concatenation, or both (NeuMF-style), plus μ and biases.

import type { Backend } from '../backends/index.js';
import type { Interactions } from '../data/interactions.js';
import type { SideBatches, SideTables } from '../nn/features.js';
import type { Rng } from '../random.js';
import type { LossName } from '../training/losses.js';
import type { OptimizerConfig } from '../training/optimizer.js';
import type { Param } from '../training/param.js';
import type { LrSchedule } from '../training/schedule.js';
import { FeatureModel, type SideFeatures } from './feature-model.js';
import type { IdDropoutDefaults } from './feature-model-options.js';
import { knownRows } from './known-rows.js';
import { addPairHead } from './pair-head.js';
import { itemPositiveCounts } from './popularity-prior.js';
import type { EntityRef, ModelIndexes } from './recommender.js';
import { scoreAllItems, takeRows } from './score-all.js';
import { itemScoringOf, type ItemScoring } from './two-tower-serving.js';
import { buildTwoTowerNet, disposeTwoTowerNet, sideOutputs, type TwoTowerNet } from './two-tower-net.js';
import { TWO_TOWER_DEFAULTS, TWO_TOWER_IMPLICIT_DEFAULTS, twoTowerConfig, type TwoTowerConfig, type TwoTowerOptions } from './two-tower-options.js';

import type { SummaryBuilder } from './model-summary.js';
import { describeTwoTower } from './two-tower-summary.js';
export { TWO_TOWER_DEFAULTS, TWO_TOWER_IMPLICIT_DEFAULTS, type TwoTowerHead, type TwoTowerOptions } from './two-tower-options.js';

/**
 * A two-tower rating model. Cold users/items (no training ratings, or brand-new ones given
 * by their encoded features) go through the same towers with the unknown id row, which id
 * dropout trains, so their features carry the prediction.
 *
 * @example
 * const model = new TwoTower(backend, dataset, { user: users, item: items }, { head: 'mlp' });
 * await model.fit(split.train, { epochs: 10 });
 * model.evaluate(split.test).rmse;
 */
export class TwoTower extends FeatureModel {
  readonly kind = 'two-tower';
  /** The options resolved for the compiled loss (implicit losses have their own defaults). */
  config: TwoTowerConfig;
  /** Items' training positives, counted when a fit begins (the prior's source). */
  private priorCounts: Float32Array | null = null;
  /** The items' share of scoreItems; null whenever the parameters may have changed. */
  private itemCache: ItemScoring | null = null;
  private net: TwoTowerNet | null = null;

  constructor(
    backend: Backend,
    indexes: ModelIndexes,
    features: SideFeatures,
    readonly options: Readonly<TwoTowerOptions> = {},
  ) {
    super(backend, indexes, features, options);
    this.config = twoTowerConfig(options);
  }

  protected override configure(): void {
    super.configure();
    this.config = twoTowerConfig(this.options, this.implicit);
  }

  protected override idDropoutDefaults(): IdDropoutDefaults {
    return this.implicit ? { idDropout: TWO_TOWER_DEFAULTS.idDropout, userIdDropout: TWO_TOWER_IMPLICIT_DEFAULTS.userIdDropout, itemIdDropout: TWO_TOWER_IMPLICIT_DEFAULTS.itemIdDropout } : { idDropout: TWO_TOWER_DEFAULTS.idDropout };
  }

  defaultOptimizer(): OptimizerConfig {
    return { name: 'adam', lr: TWO_TOWER_DEFAULTS.lr };
  }

  override defaultEpochs(): number {
    return TWO_TOWER_DEFAULTS.epochs;
  }

  /** Cosine decay over the run: without it Adam's last epochs bounce by ±0.005 RMSE on ML-100K. */
  override defaultLrSchedule(epochs: number): LrSchedule {
    return { kind: 'cosine', epochs, minFactor: 0.05 };
  }

  /** Counts the items' training positives for the popularity prior (when it is built afresh), then begins as usual. */
  protected override beginTraining(train: Interactions, rng: Rng, batchSize: number, continuing: boolean): void {
    this.priorCounts = this.config.popularityPrior > 0 ? itemPositiveCounts(train, this.nItems) : null;
    super.beginTraining(train, rng, batchSize, continuing);
  }

  protected describe(b: SummaryBuilder): string {
    return describeTwoTower(b, this.config, this.features, this, this.loss.name);
  }

  protected build(rng: Rng): void {
    this.itemCache = null;
    const sizes = { nUsers: this.nUsers, nItems: this.nItems, maxBatch: this.maxBatch };
    this.net = buildTwoTowerNet(this.backend, this.config, this.features, sizes, this.loss.name, this.priorCounts, rng);
  }

  protected params(): Param[] {
    const n = this.net!;
    return [
      ...n.user.input.params(), ...n.user.tower.params(),
      ...n.item.input.params(), ...n.item.tower.params(),
      n.bu, n.bi, ...(n.head ? n.head.params() : []),
      ...(n.prior ? [n.prior] : []),
    ];
  }

  protected forward(user: SideBatches, item: SideBatches, uTables: SideTables, iTables: SideTables, start: number, m: number, training: boolean): void {
    const n = this.net!;
    const k = this.backend.kernels;
    const pred = this.pred!.ptr;
    const at = 4 * start;
    n.user.input.forward(uTables, user, start, m);
    n.user.out = n.user.tower.forward(n.user.input.concat.x.ptr, m, training);
    n.item.input.forward(iTables, item, start, m);
    n.item.out = n.item.tower.forward(n.item.input.concat.x.ptr, m, training);
    // μ + b_u + b_i: the MF kernel with zero factors.
    k.mfPredict(pred, 0, 0, n.bu.value.ptr, n.bi.value.ptr, user.idRows.ptr + at, item.idRows.ptr + at, m, 0, this.globalMean);
    if (n.prior && !training) {
      k.gather(n.score.ptr, 1, n.prior.value.ptr, item.idRows.ptr + at, m, 1);
      k.gemm(pred, n.score.ptr, n.one.ptr, 0, m, 1, 1, 1);
    }
    const du = n.user.tower.outDim;
    if (this.config.head !== 'mlp') {
      k.rowDot(n.score.ptr, n.user.out, n.item.out, m, du);
      k.gemm(pred, n.score.ptr, n.one.ptr, 0, m, 1, 1, 1);
    }
    if (n.head) {
      const hi = n.headIn!;
      k.gather(hi.blockPtr(hi.blocks[0]), hi.width, n.user.out, n.identity.ptr, m, du);
      k.gather(hi.blockPtr(hi.blocks[1]), hi.width, n.item.out, n.identity.ptr, m, n.item.tower.outDim);
      const out = n.head.forward(hi.x.ptr, m, training);
      k.gemm(pred, out, n.one.ptr, 0, m, 1, 1, 1);
    }
  }

  /** Every head trains with mse, bce and bpr; the in-batch softmax needs the dot head's u·v. */
  override supportedLosses(): readonly LossName[] {
    return this.config.head === 'dot' ? ['mse', 'bce', 'bpr', 'softmax'] : ['mse', 'bce', 'bpr'];
  }

  protected override parametersChanged(): void {
    this.itemCache = null;
  }

  /** The in-batch softmax scores every user of the batch against every item of it; other losses are pointwise. */
  protected override trainBatch(user: SideBatches, item: SideBatches, start: number, m: number, valuesPtr: number, batchRows = m): number {
    // The optimizer step that follows changes the parameters behind the cached item scores.
    this.itemCache = null;
    const n = this.net!;
    if (!n.softmax) return super.trainBatch(user, item, start, m, valuesPtr, batchRows);
    this.forward(user, item, this.userTables!, this.itemTables!, start, m, true);
    const at = 4 * start;
    const loss = n.softmax.step(
      {
        userPtr: n.user.out, itemPtr: n.item.out, dim: n.user.tower.outDim, m,
        itemKeysPtr: item.rows.ptr + at, itemBiasRowsPtr: item.idRows.ptr + at, diagonalPtr: n.identity.ptr,
        logQPtr: this.loss.logQ ? valuesPtr : 0,
        dUserPtr: n.user.tower.gradPtr(n.user.input.concat.dx.ptr), dItemPtr: n.item.tower.gradPtr(n.item.input.concat.dx.ptr),
      },
      n.bi,
    );
    this.backwardTowers(user, item, start, m);
    return loss;
  }

  protected backward(user: SideBatches, item: SideBatches, start: number, m: number): void {
    const n = this.net!;
    const be = this.backend;
    const k = be.kernels;
    const dPred = this.dPred!.ptr;
    const at = 4 * start;
    k.mfBackward(0, 0, n.bu.grad.ptr, n.bi.grad.ptr, dPred, 0, 0, user.idRows.ptr + at, item.idRows.ptr + at, m, 0);
    n.bu.markRows(user.idRows.ptr + at, m);
    n.bi.markRows(item.idRows.ptr + at, m);
    const dU = n.user.tower.gradPtr(n.user.input.concat.dx.ptr);
    const dV = n.item.tower.gradPtr(n.item.input.concat.dx.ptr);
    const du = n.user.tower.outDim;
    const dv = n.item.tower.outDim;
    if (this.config.head !== 'mlp') {
      k.rowDotBackward(dU, dV, dPred, n.user.out, n.item.out, m, du, 0);
    } else {
      // scatterAdd below accumulates: start the towers' output gradients from zero.
      k.fill(dU, m * du, 0);
      k.fill(dV, m * dv, 0);
    }
    if (n.head) {
      const hi = n.headIn!;
      // The head's output unit receives dPred (a k=1 GEMM is a copy).
      k.gemm(n.head.gradPtr(0), dPred, n.one.ptr, 0, m, 1, 1, 0);
      n.head.backward(hi.dx.ptr, m, 0);
      k.scatterAdd(dU, hi.gradPtr(hi.blocks[0]), hi.width, n.identity.ptr, m, du);
      k.scatterAdd(dV, hi.gradPtr(hi.blocks[1]), hi.width, n.identity.ptr, m, dv);
    }
    this.backwardTowers(user, item, start, m);
  }

  /** From the towers' output gradients (at their gradPtr) down to the embeddings. */
  private backwardTowers(user: SideBatches, item: SideBatches, start: number, m: number): void {
    const n = this.net!;
    n.user.tower.backward(n.user.input.concat.dx.ptr, m, 0);
    n.user.input.backward(user, start, m);
    n.item.tower.backward(n.item.input.concat.dx.ptr, m, 0);
    n.item.input.backward(item, start, m);
  }

  protected override createTwin(): TwoTower {
    return new TwoTower(this.backend, this.indexes, this.features, this.options);
  }

  /** The same configuration on another backend: a data-parallel replica (see FeatureModel). */
  protected override createReplica(backend: Backend): TwoTower {
    return new TwoTower(backend, this.indexes, this.features, { ...this.config, maxBatch: this.maxBatch, idDropout: 0 });
  }

  protected override configState(): Record<string, unknown> {
    const { featureDim, featureInit: _init, ...c } = this.config;
    // The width rule may be a function: save the width it chose for each (name, cardinality).
    const featureDims = (['user', 'item'] as const).flatMap((side) =>
      [...this.features[side].categorical, ...this.features[side].multi].map((f) => [f.name, f.cardinality, featureDim(f.name, f.cardinality)]),
    );
    return { ...super.configState(), ...c, featureDims };
  }

  /** Tower outputs of entities (dense indices, unseen ones through the unknown id; or new ones' features), n × outDim. */
  private towerOutputs(side: 'user' | 'item', ref: EntityRef): Float32Array {
    const n = ref instanceof Int32Array ? ref.length : ref.rows.length;
    return this.withSideInputs(side, ref, (b, tables) => sideOutputs(this.backend, this.net![side], b, tables, n, this.maxBatch));
  }

  /** Every item's share of the scores (./two-tower-serving.ts), kept until the parameters change. */
  private itemScoring(): ItemScoring {
    if (!this.itemCache) {
      const all = Int32Array.from({ length: this.nItems }, (_, i) => i);
      this.itemCache = itemScoringOf(this.backend, this.net!, this.towerOutputs('item', all), (t) => this.biasRows(t, this.itemSeen, all), this.config.head !== 'mlp', this.globalMean);
    }
    return this.itemCache;
  }

  /** Bias rows as in `forward`: the entity's own when it had training ratings, else the unknown row. */
  private biasRows(table: Param, seen: Uint8Array, idx: Int32Array): Float32Array {
    return takeRows(this.backend.f32(table.value), 1, knownRows(idx, seen));
  }

  /**
   * All items for a block of users from the towers' outputs, each tower run once per
   * entity: μ + b_u + b_i (+ u·v for the dot and both heads) by one GEMM per block of
   * users, plus the mlp head per pair from its split first layer (./pair-head.ts).
   */
  protected override scoreAll(users: Int32Array): Float32Array {
    const n = this.net;
    if (!n) return super.scoreAll(users);
    const items = this.itemScoring();
    const userVectors = this.towerOutputs('user', users);
    const du = n.user.tower.outDim;
    const dot = this.config.head !== 'mlp';
    const scores = scoreAllItems(this.backend, {
      userVectors: dot ? userVectors : new Float32Array(0), userBias: this.biasRows(n.bu, this.userSeen, users),
      itemVectors: dot ? items.vectors : new Float32Array(0), itemBias: items.bias,
      dim: dot ? du : 0, mu: this.globalMean, itemRows: items.dotRows,
    });
    if (n.head) addPairHead(this.backend, n.head, userVectors, du, items.hidden!, scores);
    return scores;
  }

  /**
   * The dot head's serving parts of `indices` (dense; for users also new ones' encoded
   * features, as `predictFeatures` takes them): tower outputs and biases (items: b_i plus the
   * popularity prior), so that the score is μ + b_u + b_i + u·v. What an exported vector
   * index multiplies; unseen ids go through the unknown rows, as in `predict`.
   */
  dotServingVectors(side: 'user' | 'item', indices: EntityRef): { vectors: Float32Array; bias: Float32Array; dim: number } {
    const n = this.net;
    if (!n) throw new Error('two-tower: the model is not trained yet (call fit first)');
    if (this.config.head !== 'dot') throw new Error(`two-tower: the '${this.config.head}' head does not score by a dot product of the towers' outputs`);
    const dim = n[side].tower.outDim;
    // New entities given by their features take the unknown id's bias.
    const rows = indices instanceof Int32Array ? indices : new Int32Array(indices.rows.length).fill(-1);
    if (side === 'user') return { vectors: this.towerOutputs('user', indices), bias: this.biasRows(n.bu, this.userSeen, rows), dim };
    if (!(indices instanceof Int32Array)) throw new Error('two-tower: item vectors are served for known items (dense indices)');
    const items = this.itemScoring();
    return { vectors: takeRows(items.vectors, dim, indices), bias: takeRows(items.bias, 1, indices), dim };
  }

  /** The item tower's output for every item: what the dot head scores against. */
  override itemVectors(): { vectors: Float32Array; dim: number } {
    if (!this.net) throw new Error('two-tower: the model is not trained yet (call fit first)');
    return { vectors: this.itemScoring().vectors.slice(), dim: this.net.item.tower.outDim };
  }

  protected override restore(snapshot: unknown): void {
    this.itemCache = null;
    super.restore(snapshot);
  }

  protected disposeNetwork(): void {
    this.itemCache = null;
    if (this.net) disposeTwoTowerNet(this.backend, this.net);
    this.net = null;
  }
}
