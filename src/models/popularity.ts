// The popularity baseline of implicit feedback: every user gets the items with the most
// training positives. Personalised rankers must beat it on top-K metrics.

import type { Backend } from '../backends/index.js';
import type { Interactions } from '../data/interactions.js';
import type { Rng } from '../random.js';
import { LOSS_NAMES, type LossName } from '../training/losses.js';
import type { OptimizerConfig } from '../training/optimizer.js';
import { Recommender, type EpochContext, type ModelIndexes } from './recommender.js';
import { stateTensor, type ModelState } from './state.js';
import type { SummaryBuilder } from './model-summary.js';

export interface PopularityOptions {
  /** Only training rows rated at least this count as positives (default: every row, as when fit on positives). */
  minRating?: number;
}

/**
 * score(u, i) = number of training positives of item i (0 for unknown items), the same for
 * every user. One counting pass; `fit` with any number of epochs gives the same model.
 *
 * @example
 * const pop = new PopularityBaseline(backend, dataset);
 * await pop.fit(positives);
 * pop.recommend('196', 10); // the 10 most popular items user 196 has not rated
 */
export class PopularityBaseline extends Recommender {
  readonly kind = 'popularity';
  readonly minRating: number;
  private counts = new Float32Array(0);

  constructor(backend: Backend, indexes: ModelIndexes, options: PopularityOptions = {}) {
    super(backend, indexes);
    this.minRating = options.minRating ?? -Infinity;
    // A saved "every row counts" comes back as null.
    if ((options.minRating as unknown) === null) this.minRating = -Infinity;
    if (Number.isNaN(this.minRating)) throw new Error('popularity: minRating must be a number');
  }

  /** No trained parameters: every loss leaves the counts the same, so compile accepts any. */
  override supportedLosses(): readonly LossName[] {
    return LOSS_NAMES;
  }

  defaultOptimizer(): OptimizerConfig {
    return { name: 'sgd' };
  }

  override defaultEpochs(): number {
    return 1;
  }

  protected beginTraining(train: Interactions, _rng: Rng, _batchSize: number, _continuing: boolean): void {
    this.counts = new Float32Array(this.nItems);
    for (let r = 0; r < train.length; r++) if (train.ratings[r] >= this.minRating) this.counts[train.items[r]]++;
  }

  /** Nothing to learn per epoch; the loss reported is 0. */
  protected trainEpoch(_ctx: EpochContext): number {
    return 0;
  }

  protected endTraining(): void {}

  protected predictIndices(users: Int32Array, items: Int32Array): Float32Array {
    const out = new Float32Array(users.length);
    for (let r = 0; r < out.length; r++) out[r] = this.counts[items[r]] ?? 0;
    return out;
  }

  /** Counts are no ratings: neither clipped nor given a support prior (they are the support). */
  protected override predictsRatings(): boolean {
    return false;
  }

  /** One count per item (a JavaScript array): every user gets the same ranking. */
  protected describe(b: SummaryBuilder): string {
    const id = b.add({ name: 'item_id', type: 'Input', branch: 'item', detail: `${this.nItems} known ids`, outputShape: [1] });
    const counts = b.add({ name: 'counts', type: 'Statistic', branch: 'item', detail: Number.isFinite(this.minRating) ? `training ratings ≥ ${this.minRating}` : 'training interactions', outputShape: [1], tensors: [{ name: 'counts', shape: [this.nItems, 1] }], inputs: [id], trainable: false, storage: 'js' });
    b.add({ name: 'output', type: 'Output', branch: 'joint', detail: 'score = count_i', outputShape: [1], inputs: [counts] });
    return "score = the item's count";
  }

  override exportState(): ModelState {
    if (this.counts.length !== this.nItems) throw new Error('popularity: the model is not trained yet (call fit first)');
    // -Infinity (every row counts) is not JSON: saved as null.
    return { kind: this.kind, config: { minRating: Number.isFinite(this.minRating) ? this.minRating : null }, globalMean: this.globalMean, tensors: { counts: this.counts.slice() } };
  }

  override importState(state: ModelState): void {
    this.counts = stateTensor(state, 'counts', Float32Array, this.nItems).slice();
    this.globalMean = state.globalMean;
  }

  protected releaseWeights(): void {
    this.counts = new Float32Array(0);
  }

  protected override scoreAll(users: Int32Array): Float32Array {
    const out = new Float32Array(users.length * this.nItems);
    for (let b = 0; b < users.length; b++) out.set(this.counts.length === this.nItems ? this.counts : new Float32Array(this.nItems), b * this.nItems);
    return out;
  }

  protected snapshot(): unknown {
    return this.counts.slice();
  }

  protected restore(snapshot: unknown): void {
    this.counts = (snapshot as Float32Array).slice();
  }

  protected disposeModel(): void {
    this.counts = new Float32Array(0);
  }
}
