// What every trained model computes: predictions (clipped to the rating scale for rating
// models), scores of every item, and the ranking scores lists are made of (./ranking-policy.ts),
// with the facts about its training data that serving needs. Training is in ./learner.ts.

import type { Backend } from '../backends/index.js';
import type { Interactions } from '../data/interactions.js';
import type { RawRow } from '../preprocessing/derive.js';
import type { FeaturePipeline } from '../preprocessing/pipeline.js';
import { isImplicit, resolveLoss, type LossConfig } from '../training/losses.js';
import type { EntityRef, ModelIndexes } from './model-types.js';
import { SummaryBuilder, type ModelSummary } from './model-summary.js';
import { applyRankingPolicy, DEFAULT_MIN_SUPPORT, DEFAULT_SUPPORT_WEIGHT, type RankingPolicy } from './ranking-policy.js';
import type { UserItems } from './serving.js';
import type { TrainingSummary } from './training-summary.js';

/** A model's predictions and scores; every model kind is one (through Learner and Recommender). */
export abstract class Scorer {
  abstract readonly kind: string;
  /** The compiled loss, resolved (set by `compile`): ratings (mse) or logits (implicit losses). */
  protected loss: Required<LossConfig> = resolveLoss('mse');
  /** Global mean of the training ratings (μ; 0 for implicit losses). */
  globalMean = 0;
  /** The fitted feature pipeline (set by buildModel and by loading): encodes new users for `recommendForFeatures`. */
  pipeline: FeaturePipeline | null = null;
  /** Each user's items in the last training data: what `recommend` excludes by default. */
  trainingItems: UserItems | null = null;
  /** Training interactions per item in the last fit (null before the first). */
  itemSupport: Int32Array | null = null;
  /** The rating scale and relevance threshold of the last fit's data (null before the first). */
  trainingSummary: TrainingSummary | null = null;
  /** Items with fewer training interactions are not recommended (0 = every item); see ./ranking-policy.ts. */
  minSupport = DEFAULT_MIN_SUPPORT;
  /** Rating models: weight of log(1 + support) in ranking scores, in rating standard deviations. */
  supportWeight = DEFAULT_SUPPORT_WEIGHT;
  /** Rating models: clip predictions to the training ratings' range. */
  clipPredictions = true;
  /** The backend the model was given, with kernels that can record a training step (../backends/program.ts). */
  readonly backend: Backend;

  constructor(
    backend: Backend,
    readonly indexes: ModelIndexes,
  ) {
    this.backend = backend.recordable();
  }

  get nUsers(): number {
    return this.indexes.userIndex.size;
  }

  get nItems(): number {
    return this.indexes.itemIndex.size;
  }

  /** The compiled loss with every field filled in. */
  get compiledLoss(): Readonly<Required<LossConfig>> {
    return this.loss;
  }

  /** Whether the model learns from positives only (its scores are logits, not ratings). */
  get implicit(): boolean {
    return isImplicit(this.loss.name);
  }

  /** Predicted ratings (or, for implicit losses, scores) of the (user, item) pairs of `data` (dense indices). */
  predict(data: Pick<Interactions, 'users' | 'items'>): Float32Array {
    if (data.users.length !== data.items.length) throw new Error('predict: users and items differ in length');
    return this.clip(this.predictIndices(data.users, data.items));
  }

  /**
   * Predicted ratings for raw ids as written in the data files; ids the model never saw
   * get the global mean plus whatever is known (e.g. the item's bias, or its features).
   *
   * @example
   * model.predictIds(['196', 'new-user'], ['242', '242']);
   */
  predictIds(userIds: readonly string[], itemIds: readonly string[]): Float32Array {
    if (userIds.length !== itemIds.length) throw new Error('predictIds: userIds and itemIds differ in length');
    const users = Int32Array.from(userIds, (id) => this.indexes.userIndex.get(String(id)));
    const items = Int32Array.from(itemIds, (id) => this.indexes.itemIndex.get(String(id)));
    return this.predict({ users, items });
  }

  /**
   * Predictions for known entities (dense indices) or brand-new ones given by encoded
   * features. Models without side features treat brand-new entities as unknown ids.
   */
  predictEntities(users: EntityRef, items: EntityRef): Float32Array {
    return this.clip(this.entityScores(users, items));
  }

  /** Every item's prediction for each of `users` (dense indices; -1 = unknown): users × nItems, row-major. */
  scoreItems(users: Int32Array): Float32Array {
    return this.clip(this.scoreAll(users));
  }

  /**
   * What `recommend` ranks every item by, for each of `users` (users × nItems): implicit
   * models' scores, rating models' predictions plus the support prior; NaN for items below
   * `minSupport` (./ranking-policy.ts).
   */
  rankingScores(users: Int32Array, minSupport = this.minSupport): Float32Array {
    return this.applyPolicy(this.scoreAll(users), minSupport);
  }

  /** Ranking scores from raw scores of every item (rows × nItems), in place. */
  protected applyPolicy(scores: Float32Array, minSupport: number): Float32Array {
    return applyRankingPolicy(scores, this.nItems, this.rankingPolicy(minSupport));
  }

  /** How this model's own raw scores become ranking scores (./ranking-policy.ts); also what quantised scoring adds per item. */
  rankingPolicy(minSupport = this.minSupport): RankingPolicy {
    const std = this.trainingSummary?.ratingStd ?? 1;
    return { support: this.itemSupport, minSupport, priorWeight: this.predictsRatings() ? this.supportWeight * std : 0 };
  }

  /** Whether `predict` gives ratings (rating models) rather than scores (implicit losses, popularity counts). */
  get ratingScores(): boolean {
    return this.predictsRatings();
  }

  /** Whether the model's scores are predicted ratings (then clipped, and ranked with the support prior). */
  protected predictsRatings(): boolean {
    return !this.implicit;
  }

  /** Rating models' predictions clipped to the training ratings' range, in place. */
  protected clip(values: Float32Array): Float32Array {
    const s = this.trainingSummary;
    if (!this.predictsRatings() || !this.clipPredictions || !s) return values;
    for (let i = 0; i < values.length; i++) values[i] = Math.min(s.ratingMax, Math.max(s.ratingMin, values[i]));
    return values;
  }

  /** Releases the model's backend memory. */
  abstract dispose(): void;

  /**
   * The network's parts in data-flow order — inputs, embeddings, layers, head, output — with
   * output shapes and parameter counts, as Keras' `model.summary()`; before training too.
   * `formatSummary` (wasmrec) prints it, `summarySvg`/`summaryDot`/`summaryMermaid` draw it.
   *
   * @example
   * const s = model.summary(); // { kind: 'two-tower', layers: [...], totalParams: 54321, ... }
   * console.log(formatSummary(s));
   */
  summary(): ModelSummary {
    const b = new SummaryBuilder();
    const formula = this.describe(b);
    this.describeExtras(b);
    return b.finish(this.kind, formula);
  }

  /** Adds the model's parts to `b` in data-flow order; returns the formula of its output. */
  protected abstract describe(b: SummaryBuilder): string;

  /** Parts outside the network proper (a ranking twin). */
  protected describeExtras(_b: SummaryBuilder): void {}

  /** Raw scores of every item for `users` (users × nItems): predictions before clipping. Models with a cheaper way (one matrix product for many users) override it. */
  protected scoreAll(users: Int32Array): Float32Array {
    const nItems = this.nItems;
    const u = new Int32Array(users.length * nItems);
    const items = new Int32Array(users.length * nItems);
    for (let b = 0; b < users.length; b++) {
      u.fill(users[b], b * nItems, (b + 1) * nItems);
      for (let i = 0; i < nItems; i++) items[b * nItems + i] = i;
    }
    return this.predictIndices(u, items);
  }

  /** Raw scores of every item for a new user from their features (the unknown user without a pipeline). */
  protected rawScoresForFeatures(userFeatures: RawRow): Float32Array {
    const items = Int32Array.from({ length: this.nItems }, (_, i) => i);
    if (!this.pipeline) return this.entityScores(new Int32Array(this.nItems).fill(-1), items);
    const features = this.pipeline.encodeRows('user', [userFeatures]);
    return this.entityScores({ features, rows: new Int32Array(this.nItems) }, items);
  }

  /** Raw predictions for entities (see predictEntities); feature models override it. */
  protected entityScores(users: EntityRef, items: EntityRef): Float32Array {
    const asIds = (ref: EntityRef) => (ref instanceof Int32Array ? ref : new Int32Array(ref.rows.length).fill(-1));
    return this.predictIndices(asIds(users), asIds(items));
  }

  /** Predictions for dense indices; -1 or out-of-range indices mean "unknown". */
  protected abstract predictIndices(users: Int32Array, items: Int32Array): Float32Array;
}
