// The Keras-like life cycle shared by every model: compile → fit (continuing from the current
// weights) → evaluate / predict, and the scores that rankings are made of. Subclasses supply
// the parameters and the epoch; Recommender (./recommender.ts) adds the lists users see.

import type { Backend } from '../backends/index.js';
import type { IdIndex, Interactions } from '../data/interactions.js';
import type { EncodedSide } from '../preprocessing/encoded.js';
import type { FeaturePipeline } from '../preprocessing/pipeline.js';
import { Rng } from '../random.js';
import { TrainingDivergedError, type FitOptions, type History } from '../training/fit.js';
import { runEpochs } from '../training/fit-loop.js';
import { trivialLoss } from '../training/divergence.js';
import { isImplicit, resolveLoss, type LossConfig, type LossName } from '../training/losses.js';
import { parseMetric, ratingMetrics, RANKING_METRICS, RATING_METRICS, type MetricName, type Metrics } from '../training/metrics.js';
import { Optimizer, type OptimizerConfig, type OptimizerName } from '../training/optimizer.js';
import type { Param } from '../training/param.js';
import { itemSupportOf, rankingMetrics } from '../training/ranking-metrics.js';
import type { LrSchedule } from '../training/schedule.js';
import { checkInteractions, splitValidation } from '../training/validation.js';
import { applyRankingPolicy, DEFAULT_MIN_SUPPORT, DEFAULT_SUPPORT_WEIGHT } from './ranking-policy.js';
import { userItemLists, type UserItems } from './serving.js';
import { stateTensor, type ModelState } from './state.js';
import { checkTrainingSummary, summarizeTraining, type TrainingSummary } from './training-summary.js';

export interface CompileOptions {
  optimizer?: OptimizerConfig | OptimizerName;
  /**
   * 'mse' (ratings, the default); for implicit feedback (training rows are positives)
   * 'bce' or 'bpr' with sampled negatives, or 'softmax' (two-tower, dot head: in-batch
   * sampled softmax). A name or a LossConfig (negatives per positive, sampling, logQ); what
   * is not given takes the model kind's defaults for that loss.
   */
  loss?: LossName | LossConfig;
  /**
   * What `evaluate` and the validation logs report (default: rmse, mae for 'mse'; p, r,
   * ndcg, hr, map at 10 and auc for implicit losses). Ranking metrics need no implicit loss:
   * a rating model can report `ndcg_at_10` of its recommendation lists.
   */
  metrics?: MetricName[];
  /** Test ratings ≥ threshold are relevant for ranking metrics (default: see `relevanceThreshold`). */
  threshold?: number;
}

export interface EvaluateOptions {
  /** Metrics to compute (default: the compiled ones). */
  metrics?: MetricName[];
  /** Ratings ≥ threshold are relevant for ranking metrics (default: the compiled or learned one). */
  threshold?: number;
}

/**
 * Who to predict for on one side: dense indices into the model's own index (-1 = unknown),
 * or rows of a separately encoded EncodedSide for brand-new entities (e.g. from
 * `pipeline.encodeRows`), which feature models see through their features only.
 */
export type EntityRef = Int32Array | { features: EncodedSide; rows: Int32Array };

/** Per-epoch work a model hands to the shared loop. */
export interface EpochContext {
  /** Training examples in visiting order: indices into the training Interactions. */
  order: Int32Array;
  /** Whether examples are to be visited in a fresh random order (fit's `shuffle`). */
  shuffle: boolean;
  batchSize: number;
  lr: number;
  onBatchEnd?: (batch: number, size: number, lossSum: number) => void;
}

/** Ids the model knows: the data set's indexes, shared with every Interactions it sees. */
export interface ModelIndexes {
  userIndex: IdIndex;
  itemIndex: IdIndex;
}

/**
 * Base class of all models. Dense user/item indices are those of the Dataset's IdIndexes;
 * an index the model did not see in training is predicted as "unknown".
 */
export abstract class Learner {
  abstract readonly kind: string;
  protected optimizer: Optimizer | null = null;
  protected compiled: { metrics: MetricName[]; threshold: number | null } | null = null;
  /** The compiled loss, resolved (set by `compile`). */
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
  /** Whether the model holds trained weights that the next `fit` continues from. */
  protected trained = false;
  private optimizerIsNew = true;
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

  /** The compiled optimizer's settings (compiling with defaults if needed). */
  get optimizerConfig(): Required<OptimizerConfig> {
    if (!this.optimizer) this.compile();
    return this.optimizer!.config;
  }

  /**
   * Chooses the loss, metrics and optimizer (Keras' compile). The weights stay, so that
   * the next `fit` continues from them, unless the loss changes (then it starts afresh);
   * the optimizer's state starts afresh either way.
   */
  compile(options: CompileOptions = {}): this {
    const given = typeof options.loss === 'string' ? { name: options.loss } : (options.loss ?? { name: 'mse' as const });
    const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as LossConfig;
    const loss = resolveLoss({ ...this.lossDefaults(defined.name), ...defined });
    if (!this.supportedLosses().includes(loss.name)) {
      throw new Error(`${this.kind}: unsupported loss '${loss.name}' (this model supports ${this.supportedLosses().join(', ')})`);
    }
    if (this.trained && loss.name !== this.loss.name) this.reset();
    this.loss = loss;
    const metrics = [...(options.metrics ?? (this.implicit ? RANKING_METRICS : RATING_METRICS))];
    for (const m of metrics) {
      if (parseMetric(m).kind === 'rating' && this.implicit) throw new Error(`${this.kind}: metric '${m}' needs ratings; a model trained with the '${loss.name}' loss scores logits (use ranking metrics such as ndcg_at_10)`);
    }
    const threshold = options.threshold ?? null;
    if (threshold !== null && Number.isNaN(threshold)) throw new Error('compile: threshold must be a number');
    this.compiled = { metrics, threshold };
    this.configure();
    this.optimizer?.dispose();
    this.optimizer = new Optimizer(this.backend, options.optimizer ?? this.defaultOptimizer());
    this.optimizerIsNew = true;
    return this;
  }

  /**
   * Trains on `train` (Keras' fit): continues from the current weights (a new model, or one
   * after `reset()`, starts from a fresh initialisation), shuffles with the seed, runs
   * epochs, reports to the callbacks, stops early when asked and fails clearly when the
   * loss diverges.
   */
  async fit(train: Interactions, options: FitOptions = {}): Promise<History> {
    if (!this.compiled) this.compile();
    const epochs = options.epochs ?? this.defaultEpochs();
    const batchSize = options.batchSize ?? this.defaultBatchSize();
    if (!(Number.isInteger(epochs) && epochs >= 0)) throw new Error(`fit: epochs must be an integer ≥ 0, got ${epochs}`);
    if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new Error(`fit: batchSize must be an integer ≥ 1, got ${batchSize}`);
    if (train.length === 0) throw new Error('fit: no training examples');
    checkInteractions(train, this.nUsers, this.nItems, 'training data');
    const rng = new Rng(options.seed ?? 42);
    const { fitPart, validation } = splitValidation(train, options, rng);
    if (validation) checkInteractions(validation, this.nUsers, this.nItems, 'validation data');

    // Validation ranks each user's items outside the part trained on.
    this.trainingItems = userItemLists(fitPart, this.nUsers);
    this.itemSupport = itemSupportOf(fitPart, this.nItems);
    this.trainingSummary = summarizeTraining(fitPart, this.implicit);
    const continuing = this.trained;
    const optimizer = this.optimizer!;
    if (continuing && this.optimizerIsNew) for (const p of this.trainableParams()) p.resetSlots();
    this.beginTraining(fitPart, rng, batchSize, continuing);
    this.trained = true;
    if (!continuing || this.optimizerIsNew) optimizer.steps = 0;
    this.optimizerIsNew = false;
    // One meaning of L2 for every model: λ per example that uses a row (README, "Regularisation").
    optimizer.sparseL2Scale = 1 / batchSize;
    const order = Int32Array.from({ length: fitPart.length }, (_, i) => i);
    const shuffle = options.shuffle ?? true;
    const metrics = this.compiled!.metrics;
    try {
      return await runEpochs(
        {
          trainEpoch: (_epoch, lr, onBatchEnd) => {
            // A model that lays its epochs out itself (threaded MF) would not use fit's order.
            if (shuffle && !this.shufflesItself(batchSize)) rng.shuffle(order);
            return this.trainEpoch({ order, shuffle, batchSize, lr, onBatchEnd }) / fitPart.length;
          },
          validate: () => (validation ? this.validationMetrics(validation) : null),
          defaultMonitor: `val_${metrics[0] ?? 'loss'}` as const,
          defaultSchedule: this.defaultLrSchedule(epochs),
          baseLr: optimizer.config.lr,
          trivialLoss: trivialLoss(this.loss, fitPart, batchSize),
          snapshot: () => this.snapshot(),
          restore: (s) => this.restore(s),
        },
        options,
        epochs,
        validation !== null,
      );
    } catch (err) {
      // Weights that diverged are no start for another fit.
      if (err instanceof TrainingDivergedError) this.trained = false;
      throw err;
    } finally {
      // Training buffers are freed however the run ends; the parameters stay.
      this.endTraining();
      this.trainingItems = userItemLists(train, this.nUsers);
    }
  }

  /** Drops the trained weights and the optimizer's state: the next `fit` starts from a fresh initialisation. */
  reset(): this {
    this.releaseWeights();
    this.trained = false;
    this.optimizerIsNew = true;
    return this;
  }

  /**
   * The compiled metrics (or `options.metrics`) on `data`, by name: rmse and mae of the
   * predictions, and ranking metrics of the lists `recommend` would give each user of
   * `data` (their training items excluded; items rated ≥ threshold are relevant).
   *
   * @example
   * model.evaluate(test); // { rmse: 0.91, mae: 0.72 } for a rating model
   * model.evaluate(test, { metrics: ['ndcg_at_10', 'obscure_at_10'] });
   */
  evaluate(data: Interactions, options: EvaluateOptions = {}): Metrics {
    if (!this.compiled) this.compile();
    const names = options.metrics ?? this.compiled!.metrics;
    const parsed = names.map((n) => ({ name: n, m: parseMetric(n) }));
    const out: Metrics = {};
    if (parsed.some((p) => p.m.kind === 'rating')) {
      if (this.implicit) throw new Error(`${this.kind}: rating metrics need a rating model; this one was trained with the '${this.loss.name}' loss`);
      const r = ratingMetrics(this.predict(data), data.ratings);
      for (const p of parsed) if (p.m.kind === 'rating') out[p.name] = r[p.m.name];
    }
    const ranking = parsed.filter((p) => p.m.kind === 'ranking');
    const field = { p: 'precision', r: 'recall', ndcg: 'ndcg', hr: 'hr', map: 'map', coverage: 'coverage', obscure: 'obscure', auc: 'auc' } as const;
    for (const k of new Set(ranking.map((p) => (p.m.kind === 'ranking' ? p.m.k : 10)))) {
      const threshold = options.threshold ?? this.relevanceThreshold();
      const m = rankingMetrics((users) => this.rankingScores(users), this.nItems, null, data, {
        k, threshold, exclude: this.trainingItems ?? undefined, itemSupport: this.itemSupport ?? undefined,
      });
      for (const p of ranking) if (p.m.kind === 'ranking' && (p.m.k === k || p.m.name === 'auc')) out[p.name] = m[field[p.m.name as keyof typeof field]];
      out.users = m.users;
    }
    return out;
  }

  /** Test ratings at least this are relevant: compiled, else the smallest rating trained on as a positive (implicit) or the top quarter of the rating scale. */
  relevanceThreshold(): number {
    return this.compiled?.threshold ?? this.trainingSummary?.relevance ?? 4;
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
    const std = this.trainingSummary?.ratingStd ?? 1;
    return applyRankingPolicy(scores, this.nItems, { support: this.itemSupport, minSupport, priorWeight: this.predictsRatings() ? this.supportWeight * std : 0 });
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

  /** The trained state for saving: the model's own (`exportState`) with its loss and what serving needs. */
  saveState(): ModelState {
    const own = this.exportState();
    const tensors = { ...own.tensors };
    if (this.itemSupport) tensors.itemSupport = this.itemSupport.slice();
    return { ...own, loss: { ...this.loss }, training: this.trainingSummary ?? undefined, tensors };
  }

  /** Restores a `saveState` state into this model (built with `state.config`); it then predicts exactly as the saved one. */
  loadState(state: ModelState): void {
    if (state.loss) this.compile({ loss: state.loss });
    this.importState(state);
    this.itemSupport = state.tensors.itemSupport ? stateTensor(state, 'itemSupport', Int32Array, this.nItems).slice() : null;
    this.trainingSummary = checkTrainingSummary(state.training);
    this.trained = true;
  }

  /** The model's own trained state for saving (see io/model-file); models that cannot be saved throw. */
  exportState(): ModelState {
    throw new Error(`${this.kind}: this model cannot be saved`);
  }

  /** Restores an `exportState` state into this model (built with `state.config`). */
  importState(state: ModelState): void {
    void state;
    throw new Error(`${this.kind}: this model cannot be loaded`);
  }

  /** Releases the model's backend memory. */
  abstract dispose(): void;

  /** The compiled metrics on validation data, and val_loss (the MSE) for rating models. */
  private validationMetrics(validation: Interactions): Record<string, number> {
    const m = this.evaluate(validation);
    delete m.users;
    if (!this.implicit) m.loss = ratingMetrics(this.predict(validation), validation.ratings).rmse ** 2;
    return m;
  }

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

  /** Raw predictions for entities (see predictEntities); feature models override it. */
  protected entityScores(users: EntityRef, items: EntityRef): Float32Array {
    const asIds = (ref: EntityRef) => (ref instanceof Int32Array ? ref : new Int32Array(ref.rows.length).fill(-1));
    return this.predictIndices(asIds(users), asIds(items));
  }

  /** The model's trainable tensors (their optimizer state is reset when a new optimizer continues a fit). */
  protected trainableParams(): readonly Param[] {
    return [];
  }

  /** Frees the trained weights (see `reset`). */
  protected abstract releaseWeights(): void;
  /**
   * Prepares parameters and uploads the training data; called once per fit. `continuing`:
   * the model holds trained weights to keep (unless it has none yet).
   */
  protected abstract beginTraining(train: Interactions, rng: Rng, batchSize: number, continuing: boolean): void;
  /** Whether trainEpoch draws its own visiting order (then fit does not shuffle ctx.order). */
  protected shufflesItself(_batchSize: number): boolean {
    return false;
  }
  /** Hook of `compile`: resolve options whose defaults depend on the loss (this.loss is set). */
  protected configure(): void {}
  /** The model kind's defaults for a loss (e.g. its number of negatives), under what `compile` is given. */
  protected lossDefaults(_loss: LossName): Partial<LossConfig> {
    return {};
  }

  /** One pass over ctx.order; returns the summed loss over the examples. */
  protected abstract trainEpoch(ctx: EpochContext): number;
  /** Frees per-fit buffers. */
  protected abstract endTraining(): void;
  /** Predictions for dense indices; -1 or out-of-range indices mean "unknown". */
  protected abstract predictIndices(users: Int32Array, items: Int32Array): Float32Array;
  /** A copy of every parameter, for restoring the best epoch. */
  protected abstract snapshot(): unknown;
  protected abstract restore(snapshot: unknown): void;
  /** The losses `compile()` accepts for this model (and its configuration). */
  supportedLosses(): readonly LossName[] {
    return ['mse'];
  }

  /** The implicit loss this kind ranks best with (what `wasmrec train --implicit` uses unless told). */
  defaultImplicitLoss(): LossName {
    return 'bce';
  }

  /** The optimizer `compile()` uses when given none (may depend on the compiled loss). */
  abstract defaultOptimizer(): OptimizerConfig;
  /** The learning-rate schedule `fit()` uses when given none, for a run of `epochs`. */
  defaultLrSchedule(epochs: number): LrSchedule | undefined {
    void epochs;
    return undefined;
  }

  /** Epochs `fit()` runs when given none (may depend on the compiled loss). */
  defaultEpochs(): number {
    return 20;
  }
  /** Batch size `fit()` uses when given none (may depend on the compiled optimizer). */
  defaultBatchSize(): number {
    return 256;
  }
}
