// Baselines every recommender must beat: the global mean, and per-user or per-item means
// that fall back to the global mean for entities with too few training ratings.

import type { Backend } from '../backends/index.js';
import type { Interactions } from '../data/interactions.js';
import type { Rng } from '../random.js';
import type { OptimizerConfig } from '../training/optimizer.js';
import { Recommender, type EpochContext, type ModelIndexes } from './recommender.js';
import { stateTensor, type ModelState } from './state.js';
import type { SummaryBuilder } from './model-summary.js';

export type BaselineKind = 'global-mean' | 'user-mean' | 'item-mean';

export interface BaselineOptions {
  /** Entities with fewer training ratings than this predict the global mean (default 1). */
  minCount?: number;
}

/**
 * A mean predictor. "Training" counts and sums in one pass; `fit` with any number of
 * epochs gives the same model.
 *
 * @example
 * const b = new MeanBaseline(backend, dataset, 'item-mean', { minCount: 5 });
 * await b.fit(train);
 * b.evaluate(test).rmse;
 */
export class MeanBaseline extends Recommender {
  readonly kind: BaselineKind;
  readonly minCount: number;
  private userMean: Float64Array = new Float64Array(0);
  private itemMean: Float64Array = new Float64Array(0);
  private train: Interactions | null = null;

  constructor(backend: Backend, indexes: ModelIndexes, kind: BaselineKind, options: BaselineOptions = {}) {
    super(backend, indexes);
    this.kind = kind;
    this.minCount = options.minCount ?? 1;
    if (!['global-mean', 'user-mean', 'item-mean'].includes(kind)) throw new Error(`baseline: unknown kind '${kind}'`);
    if (!(Number.isInteger(this.minCount) && this.minCount >= 1)) throw new Error(`baseline: minCount must be an integer ≥ 1, got ${this.minCount}`);
  }

  defaultOptimizer(): OptimizerConfig {
    return { name: 'sgd' };
  }

  override defaultEpochs(): number {
    return 1;
  }

  protected beginTraining(train: Interactions, _rng: Rng, _batchSize: number, _continuing: boolean): void {
    let sum = 0;
    for (let r = 0; r < train.length; r++) sum += train.ratings[r];
    this.globalMean = sum / train.length;
    this.userMean = this.means(train.users, train.ratings, this.nUsers);
    this.itemMean = this.means(train.items, train.ratings, this.nItems);
    this.train = train;
  }

  /** Per-entity means; NaN for entities below minCount. */
  private means(keys: Int32Array, ratings: Float32Array, n: number): Float64Array {
    const sum = new Float64Array(n);
    const count = new Int32Array(n);
    for (let r = 0; r < keys.length; r++) {
      sum[keys[r]] += ratings[r];
      count[keys[r]]++;
    }
    for (let i = 0; i < n; i++) sum[i] = count[i] >= this.minCount ? sum[i] / count[i] : NaN;
    return sum;
  }

  /** The training loss of the (already final) means. */
  protected trainEpoch(_ctx: EpochContext): number {
    const t = this.train!;
    const pred = this.predictIndices(t.users, t.items);
    let sse = 0;
    for (let r = 0; r < t.length; r++) sse += (pred[r] - t.ratings[r]) ** 2;
    return sse;
  }

  protected endTraining(): void {
    this.train = null;
  }

  /** Nothing to continue from: every fit counts afresh. */
  protected releaseWeights(): void {
    this.userMean = new Float64Array(0);
    this.itemMean = new Float64Array(0);
  }

  protected predictIndices(users: Int32Array, items: Int32Array): Float32Array {
    const out = new Float32Array(users.length);
    const table = this.kind === 'user-mean' ? this.userMean : this.itemMean;
    const keys = this.kind === 'user-mean' ? users : items;
    for (let r = 0; r < out.length; r++) {
      const v = this.kind === 'global-mean' ? NaN : (table[keys[r]] ?? NaN);
      out[r] = Number.isNaN(v) ? this.globalMean : v;
    }
    return out;
  }

  /** The statistics it predicts from: μ, and the users' or items' means (JavaScript arrays, not trained by gradients). */
  protected describe(b: SummaryBuilder): string {
    const mu = b.add({ name: 'global_mean', type: 'Statistic', branch: 'joint', detail: 'μ, the mean training rating', outputShape: [1], tensors: [{ name: 'global_mean', shape: [1, 1] }], trainable: false, storage: 'js' });
    if (this.kind === 'global-mean') {
      b.add({ name: 'output', type: 'Output', branch: 'joint', detail: 'r̂ = μ', outputShape: [1], inputs: [mu] });
      return 'r̂ = μ';
    }
    const side = this.kind === 'user-mean' ? 'user' : 'item';
    const n = side === 'user' ? this.nUsers : this.nItems;
    const id = b.add({ name: `${side}_id`, type: 'Input', branch: side, detail: `${n} known ids`, outputShape: [1] });
    const mean = b.add({ name: `${side}_mean`, type: 'Statistic', branch: side, detail: `mean of ≥ ${this.minCount} ratings, else μ`, outputShape: [1], tensors: [{ name: `${side}_mean`, shape: [n, 1] }], inputs: [id], trainable: false, storage: 'js' });
    const formula = `r̂ = the ${side}'s mean rating (μ below ${this.minCount} ratings)`;
    b.add({ name: 'output', type: 'Output', branch: 'joint', detail: formula, outputShape: [1], inputs: [mean, mu] });
    return formula;
  }

  protected snapshot(): unknown {
    return null;
  }

  protected restore(_snapshot: unknown): void {}

  override exportState(): ModelState {
    // Float64 means: predictions round them to f32 exactly as before saving.
    return {
      kind: this.kind,
      config: { minCount: this.minCount },
      globalMean: this.globalMean,
      tensors: { userMean: this.userMean.slice(), itemMean: this.itemMean.slice() },
    };
  }

  override importState(state: ModelState): void {
    if (state.kind !== this.kind) throw new Error(`baseline: a saved '${state.kind}' cannot be loaded into a '${this.kind}'`);
    this.userMean = stateTensor(state, 'userMean', Float64Array, this.nUsers).slice();
    this.itemMean = stateTensor(state, 'itemMean', Float64Array, this.nItems).slice();
    this.globalMean = state.globalMean;
  }

  protected disposeModel(): void {
    this.train = null;
  }
}
