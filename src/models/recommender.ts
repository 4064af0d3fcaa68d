// The Keras-like life cycle shared by every model: compile → fit → evaluate / predict.
// Subclasses supply the parameters and the epoch; this class owns the loop around it.

import { recordable } from '../training/step-program.js';
import type { Backend } from '../backends/index.js';
import type { IdIndex, Interactions } from '../data/interactions.js';
import { Rng } from '../random.js';
import { EarlyStopper, type EpochLogs, type FitOptions, type History } from '../training/fit.js';
import { DivergenceMonitor, trivialLoss } from '../training/divergence.js';
import { ratingMetrics, type RatingMetrics } from '../training/metrics.js';
import { Optimizer, type OptimizerConfig, type OptimizerName } from '../training/optimizer.js';
import { scheduledLr, type LrSchedule } from '../training/schedule.js';
import { topK, type Ranked } from './topk.js';
import { checkInteractions, splitValidation } from '../training/validation.js';
import { resolveLoss, type LossConfig, type LossName } from '../training/losses.js';
import type { FeaturePipeline } from '../preprocessing/pipeline.js';
import type { RawRow } from '../preprocessing/derive.js';
import type { EntityRef } from './feature-model.js';
import type { ModelState } from './state.js';
import { coRatingCosine, cosineToRow, itemsOf, userItemLists, type UserItems } from './serving.js';

export interface CompileOptions {
  optimizer?: OptimizerConfig | OptimizerName;
  /**
   * 'mse' (ratings, the default); for implicit feedback (training rows are positives)
   * 'bce' or 'bpr' with sampled negatives, or 'softmax' (two-tower, dot head: in-batch
   * sampled softmax). A name or a LossConfig (negatives per positive, sampling, logQ).
   */
  loss?: LossName | LossConfig;
  metrics?: ('rmse' | 'mae')[];
}

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
 * Base class of all rating models. Dense user/item indices are those of the Dataset's
 * IdIndexes; an index the model did not see in training is predicted as "unknown".
 */
export abstract class Recommender {
  abstract readonly kind: string;
  protected optimizer: Optimizer | null = null;
  protected compiled: Required<CompileOptions> | null = null;
  /** The compiled loss, resolved (set by `compile`). */
  protected loss: Required<LossConfig> = resolveLoss('mse');
  /** Global mean of the training ratings (μ). */
  globalMean = 0;
  /** The fitted feature pipeline (set by buildModel and by loading): encodes new users for `recommendForFeatures`. */
  pipeline: FeaturePipeline | null = null;
  /** Each user's items in the last training data: what `recommend` excludes by default. */
  trainingItems: UserItems | null = null;

  /** The backend the model was given, with kernels that can record a training step (step-program.ts). */
  readonly backend: Backend;

  constructor(
    backend: Backend,
    readonly indexes: ModelIndexes,
  ) {
    this.backend = recordable(backend);
  }

  get nUsers(): number {
    return this.indexes.userIndex.size;
  }

  get nItems(): number {
    return this.indexes.itemIndex.size;
  }

  /** The compiled optimizer's settings (compiling with defaults if needed). */
  get optimizerConfig(): Required<OptimizerConfig> {
    if (!this.optimizer) this.compile();
    return this.optimizer!.config;
  }

  /** Chooses the optimizer and loss (Keras' compile). */
  compile(options: CompileOptions = {}): this {
    this.compiled = {
      optimizer: options.optimizer ?? this.defaultOptimizer(),
      loss: options.loss ?? 'mse',
      metrics: options.metrics ?? ['rmse', 'mae'],
    };
    this.loss = resolveLoss(this.compiled.loss);
    if (!this.supportedLosses().includes(this.loss.name)) {
      throw new Error(`${this.kind}: unsupported loss '${this.loss.name}' (this model supports ${this.supportedLosses().join(', ')})`);
    }
    // The old optimizer's cells (read by recorded steps) go with it.
    this.optimizer?.dispose();
    this.optimizer = new Optimizer(this.backend, this.compiled.optimizer);
    return this;
  }

  /**
   * Trains on `train` (Keras' fit): shuffles with the seed, runs epochs, reports to the
   * callbacks, stops early when asked and fails clearly when the loss diverges.
   */
  async fit(train: Interactions, options: FitOptions = {}): Promise<History> {
    if (!this.compiled) this.compile();
    const epochs = options.epochs ?? this.defaultEpochs();
    const batchSize = options.batchSize ?? this.defaultBatchSize();
    if (!(Number.isInteger(epochs) && epochs >= 0)) throw new Error(`fit: epochs must be an integer ≥ 0, got ${epochs}`);
    if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new Error(`fit: batchSize must be an integer ≥ 1, got ${batchSize}`);
    if (train.length === 0) throw new Error('fit: no training examples');
    checkInteractions(train, this.nUsers, this.nItems, 'training data');
    this.trainingItems = userItemLists(train, this.nUsers);
    const rng = new Rng(options.seed ?? 42);
    const { fitPart, validation } = splitValidation(train, options, rng);
    if (validation) checkInteractions(validation, this.nUsers, this.nItems, 'validation data');

    this.beginTraining(fitPart, rng, batchSize);
    // Each fit starts its optimizer afresh (Adam's bias correction counts from step 1).
    this.optimizer!.steps = 0;
    const stopper = options.earlyStopping
      ? new EarlyStopper(options.earlyStopping === true ? {} : options.earlyStopping, validation !== null)
      : null;
    let best: unknown = null;
    const history: History = { epochs: [], bestEpoch: -1, stoppedEarly: false };
    const order = new Int32Array(fitPart.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    const monitor = new DivergenceMonitor(trivialLoss(this.loss, fitPart, batchSize));
    const baseLr = this.optimizer!.config.lr;
    const shuffle = options.shuffle ?? true;
    const cb = options.callbacks;
    cb?.onTrainBegin?.();

    // Training buffers are freed however the run ends (a diverged loss or a throwing
    // callback included); the parameters stay, so the model still predicts.
    try {
      for (let epoch = 0; epoch < epochs; epoch++) {
        // A model that lays its epochs out itself (threaded MF) would not use fit's order.
        if (shuffle && !this.shufflesItself(batchSize)) rng.shuffle(order);
        const lr = scheduledLr(options.lrSchedule ?? this.defaultLrSchedule(epochs), epoch, baseLr);
        const onBatchEnd = cb?.onBatchEnd
          ? (batch: number, size: number, lossSum: number) => cb.onBatchEnd!(batch, { batch, size, loss: lossSum / size })
          : undefined;
        const t0 = performance.now();
        const lossSum = this.trainEpoch({ order, shuffle, batchSize, lr, onBatchEnd });
        const seconds = (performance.now() - t0) / 1000;
        const logs: EpochLogs = { epoch, loss: lossSum / fitPart.length, seconds, lr };
        monitor.check(logs);
        if (validation) {
          const m = this.evaluate(validation);
          logs.val_rmse = m.rmse;
          logs.val_mae = m.mae;
          logs.val_loss = m.rmse * m.rmse;
        }
        history.epochs.push(logs);
        history.bestEpoch = epoch;
        const keepGoing = await cb?.onEpochEnd?.(epoch, logs);
        if (stopper) {
          if (stopper.update(logs) && stopper.restoreBest) best = this.snapshot();
          if (stopper.shouldStop) {
            history.stoppedEarly = true;
            break;
          }
        }
        if (keepGoing === false) break;
      }
      if (stopper && stopper.restoreBest && best !== null && stopper.bestEpoch !== history.bestEpoch) {
        this.restore(best);
        history.bestEpoch = stopper.bestEpoch;
      }
    } finally {
      this.endTraining();
    }
    cb?.onTrainEnd?.(history);
    return history;
  }

  /** RMSE and MAE of the model's predictions on `data`. */
  evaluate(data: Interactions): RatingMetrics {
    return ratingMetrics(this.predict(data), data.ratings);
  }

  /** Predicted ratings for the (user, item) pairs of `data` (dense indices). */
  predict(data: Pick<Interactions, 'users' | 'items'>): Float32Array {
    if (data.users.length !== data.items.length) throw new Error('predict: users and items differ in length');
    return this.predictIndices(data.users, data.items);
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
    return this.predictIndices(users, items);
  }

  /**
   * The k items with the highest predicted rating for dense user index `user`, skipping
   * `exclude` (default: the items the user rated in the model's training data).
   *
   * @example
   * const { indices, scores } = model.recommend(0, 10); // user 0's unseen items
   */
  recommend(user: number, k: number, exclude?: Iterable<number>): Ranked {
    const scores = this.scoreItems(Int32Array.of(user));
    const mask = new Uint8Array(this.nItems);
    for (const i of exclude ?? this.seenItems(user)) if (i >= 0 && i < mask.length) mask[i] = 1;
    return topK(scores, k, mask);
  }

  /** The items user `user` (dense index) rated in the training data (empty when unknown). */
  seenItems(user: number): Int32Array {
    return itemsOf(this.trainingItems, user);
  }

  /**
   * Predictions for known entities (dense indices) or brand-new ones given by encoded
   * features. Models without side features treat brand-new entities as unknown ids.
   */
  predictEntities(users: EntityRef, items: EntityRef): Float32Array {
    const asIds = (ref: EntityRef) => (ref instanceof Int32Array ? ref : new Int32Array(ref.rows.length).fill(-1));
    return this.predictIndices(asIds(users), asIds(items));
  }

  /**
   * The k best items for a brand-new user described by raw feature values (keys as in the
   * user table). Encoded by `this.pipeline`; without one (MF, baselines) every new user gets
   * the unknown-user ranking.
   *
   * @example
   * model.recommendForFeatures({ age: 25, gender: 'F', occupation: 'student' }, 10);
   */
  recommendForFeatures(userFeatures: RawRow, k: number): Ranked {
    return topK(this.scoreItemsForFeatures(userFeatures), k);
  }

  /** Every item's predicted rating for a brand-new user described by raw feature values. */
  scoreItemsForFeatures(userFeatures: RawRow): Float32Array {
    const items = Int32Array.from({ length: this.nItems }, (_, i) => i);
    if (!this.pipeline) return this.predictEntities(new Int32Array(this.nItems).fill(-1), items);
    const features = this.pipeline.encodeRows('user', [userFeatures]);
    return this.predictEntities({ features, rows: new Int32Array(this.nItems) }, items);
  }

  /**
   * The k items most similar to item `item` (dense index), the item itself excluded:
   * cosine over the model's item vectors (`itemVectors`), else co-rating cosine over the
   * training data. Items with no representation (zero vector, no ratings) are skipped.
   *
   * @example
   * const { indices, scores } = model.similarItems(dataset.itemIndex.get('50'), 10);
   */
  similarItems(item: number, k: number): Ranked {
    const scores = this.itemSimilarities(item);
    const self = new Uint8Array(this.nItems);
    if (item >= 0 && item < self.length) self[item] = 1;
    return topK(scores, k, self);
  }

  /** Similarity of item `item` to every item (NaN = no evidence); see `similarItems`. */
  itemSimilarities(item: number): Float32Array {
    const v = this.itemVectors();
    return v ? cosineToRow(v.vectors, v.dim, item) : coRatingCosine(this.trainingItems, this.nItems, item);
  }

  /** One vector per item (nItems × dim) that the model scores with, or null when it has none. */
  itemVectors(): { vectors: Float32Array; dim: number } | null {
    return null;
  }

  /** The trained state for saving (see io/model-file); models that cannot be saved throw. */
  exportState(): ModelState {
    throw new Error(`${this.kind}: this model cannot be saved`);
  }

  /** Restores a state from `exportState` into this model (built with `state.config`). */
  importState(state: ModelState): void {
    void state;
    throw new Error(`${this.kind}: this model cannot be loaded`);
  }

  /**
   * Scores of every item for each of `users` (dense indices; -1 = unknown): a
   * users.length × nItems row-major matrix. Models with a cheaper way (one matrix product
   * for many users) override it.
   */
  scoreItems(users: Int32Array): Float32Array {
    const nItems = this.nItems;
    const u = new Int32Array(users.length * nItems);
    const items = new Int32Array(users.length * nItems);
    for (let b = 0; b < users.length; b++) {
      u.fill(users[b], b * nItems, (b + 1) * nItems);
      for (let i = 0; i < nItems; i++) items[b * nItems + i] = i;
    }
    return this.predictIndices(u, items);
  }

  /** Releases the model's backend memory. */
  abstract dispose(): void;

  /** Prepares parameters and uploads the training data; called once per fit. */
  protected abstract beginTraining(train: Interactions, rng: Rng, batchSize: number): void;
  /** Whether trainEpoch draws its own visiting order (then fit does not shuffle ctx.order). */
  protected shufflesItself(_batchSize: number): boolean {
    return false;
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

  /** The optimizer `compile()` uses when given none. */
  abstract defaultOptimizer(): OptimizerConfig;
  /** The learning-rate schedule `fit()` uses when given none, for a run of `epochs`. */
  defaultLrSchedule(epochs: number): LrSchedule | undefined {
    void epochs;
    return undefined;
  }

  /** Epochs `fit()` runs when given none. */
  defaultEpochs(): number {
    return 20;
  }
  /** Batch size `fit()` uses when given none (may depend on the compiled optimizer). */
  defaultBatchSize(): number {
    return 256;
  }
}
