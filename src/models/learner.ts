// The Keras-like life cycle shared by every model: compile → fit (continuing from the current
// weights) → evaluate, and saving. Subclasses supply the parameters and the epoch; what a
// trained model computes is in ./scorer.ts, the lists users see in ./recommender.ts.

import type { Interactions } from '../data/interactions.js';
import { Rng } from '../random.js';
import { TrainingDivergedError, type FitOptions, type History } from '../training/fit.js';
import { runEpochs } from '../training/fit-loop.js';
import { trivialLoss } from '../training/divergence.js';
import { resolveLoss, type LossConfig, type LossName } from '../training/losses.js';
import { ratingMetrics, RANKING_METRICS, RATING_METRICS, type MetricName, type Metrics } from '../training/metrics.js';
import { Optimizer, type OptimizerConfig } from '../training/optimizer.js';
import type { Param } from '../training/param.js';
import { itemSupportOf } from '../training/ranking-metrics.js';
import type { LrSchedule } from '../training/schedule.js';
import { checkInteractions, splitValidation } from '../training/validation.js';
import { userItemLists } from './serving.js';
import { stateTensor, type ModelState } from './state.js';
import { checkTrainingSummary, summarizeTraining } from './training-summary.js';
import { checkMetrics, evaluateModel } from './evaluate.js';
import { Scorer } from './scorer.js';
import type { CompileOptions, EpochContext, EvaluateOptions } from './model-types.js';

export type { CompileOptions, EntityRef, EpochContext, EvaluateOptions, ModelIndexes } from './model-types.js';

/**
 * How every model is trained (Keras' compile → fit → evaluate) and saved; what it computes
 * is the Scorer's. Dense user/item indices are those of the Dataset's IdIndexes; an index
 * the model did not see in training is predicted as "unknown".
 */
export abstract class Learner extends Scorer {
  protected optimizer: Optimizer | null = null;
  protected compiled: { metrics: MetricName[]; threshold: number | null } | null = null;
  /** Whether the model holds trained weights that the next `fit` continues from. */
  protected trained = false;
  private optimizerIsNew = true;
  /** compile({ ranking }): the same kind trained on the positives with an implicit loss; lists rank by it. */
  protected rankingTwin: Learner | null = null;

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
    const metrics = [...(options.metrics ?? (this.ratingScores ? RATING_METRICS : RANKING_METRICS))];
    checkMetrics(metrics, this);
    const threshold = options.threshold ?? null;
    if (threshold !== null && Number.isNaN(threshold)) throw new Error('compile: threshold must be a number');
    this.compiled = { metrics, threshold };
    this.setRankingTwin(options.ranking, threshold);
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
    let history: History;
    try {
      history = await runEpochs(
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
    return this.fitWithTwin(fitPart, options, history);
  }

  /** Hook of `fit`: trains the ranking twin (./ranking-learner.ts); returns the rating model's history. */
  protected async fitWithTwin(_train: Interactions, _options: FitOptions, history: History): Promise<History> {
    return history;
  }

  /** Hook of `compile`: sets up the ranking twin (./ranking-learner.ts). */
  protected setRankingTwin(ranking: CompileOptions['ranking'], _threshold: number | null): void {
    if (ranking !== undefined) throw new Error(`${this.kind}: this kind cannot rank with a twin`);
  }

  /** Releases the model's backend memory (its ranking twin's too). */
  dispose(): void {
    this.rankingTwin?.dispose();
    this.rankingTwin = null;
    this.disposeModel();
  }

  /** Frees everything the model holds on the backend (see `dispose`). */
  protected abstract disposeModel(): void;

  /** Drops the trained weights and the optimizer's state: the next `fit` starts from a fresh initialisation. */
  reset(): this {
    this.rankingTwin?.reset();
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
    return evaluateModel(this, data, options.metrics ?? this.compiled!.metrics, options.threshold ?? this.relevanceThreshold(), options);
  }

  /** Test ratings at least this are relevant: compiled, else the smallest rating trained on as a positive (implicit) or the top quarter of the rating scale. */
  relevanceThreshold(): number {
    return this.compiled?.threshold ?? this.trainingSummary?.relevance ?? 4;
  }

  /** The trained state for saving: the model's own (`exportState`) with its loss and what serving needs. */
  saveState(): ModelState {
    const own = this.exportState();
    const tensors = { ...own.tensors };
    if (this.itemSupport) tensors.itemSupport = this.itemSupport.slice();
    return { ...own, loss: { ...this.loss }, training: this.trainingSummary ?? undefined, tensors, ...(this.rankingTwin ? { ranking: this.rankingTwin.saveState() } : {}) };
  }

  /** Restores a `saveState` state into this model (built with `state.config`); it then predicts exactly as the saved one. */
  loadState(state: ModelState): void {
    if (state.loss) this.compile({ loss: state.loss, ...(state.ranking?.loss ? { ranking: state.ranking.loss } : {}) });
    this.importState(state);
    if (state.ranking) this.rankingTwin!.loadState(state.ranking);
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

  /** The compiled metrics on validation data, and val_loss (the MSE) for rating models. */
  private validationMetrics(validation: Interactions): Record<string, number> {
    const m = this.evaluate(validation);
    delete m.users;
    if (this.ratingScores) m.loss = ratingMetrics(this.predict(validation), validation.ratings).rmse ** 2;
    return m;
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
