// When an epoch's loss says training has diverged, for every optimizer: Adam and Adagrad at
// a far too high learning rate stay finite (losses of 1e20, predictions of -65,000), so a
// finiteness check alone misses them.

import type { Interactions } from '../data/interactions.js';
import { TrainingDivergedError } from './fit.js';
import type { LossConfig } from './losses.js';

/** How many times the reference loss an epoch may reach before training counts as diverged. */
export const DIVERGENCE_FACTOR = 1e3;

/**
 * The trivial predictor's loss is at least this: ratings all at (or near) 0 would otherwise
 * make any model's first steps look like divergence.
 */
const MIN_TRIVIAL_LOSS = 1;

/**
 * The mean loss per training example of a predictor that learnt nothing, on `train`:
 * mse predicting 0 (the mean squared rating), bce and bpr scoring every item 0 (ln 2 per
 * labelled row or pair), the in-batch softmax scoring every item alike (ln of the batch).
 * A model with a bias starts near or below it, so healthy epochs stay below it.
 *
 * @example
 * trivialLoss(resolveLoss('mse'), train, 256); // ≈ 13.7 on MovieLens 100K
 */
export function trivialLoss(loss: Required<LossConfig>, train: Pick<Interactions, 'ratings'>, batchSize: number): number {
  switch (loss.name) {
    case 'mse': {
      let sq = 0;
      for (let r = 0; r < train.ratings.length; r++) sq += train.ratings[r] * train.ratings[r];
      return train.ratings.length > 0 ? sq / train.ratings.length : 0;
    }
    case 'bce':
      return (1 + loss.negatives) * Math.LN2;
    case 'bpr':
      return loss.negatives * Math.LN2;
    case 'softmax':
      return Math.log(Math.max(2, batchSize));
  }
}

/**
 * Raises TrainingDivergedError after an epoch whose mean loss is not finite, or exceeds
 * DIVERGENCE_FACTOR (1000) × the smaller of the first epoch's loss and T — but never a limit
 * below T itself — where T is `trivialLoss` (at least 1). So epoch 1 fails above 1000·T, and
 * a later epoch also when the loss grew a thousandfold from the first (a run that fits well
 * in epoch 1 and then blows up). Healthy runs stay below T after epoch 1 and never come
 * near: the model accuracy tests train every model and optimizer under this rule.
 *
 * @example
 * const monitor = new DivergenceMonitor(trivialLoss(loss, train, batchSize));
 * monitor.check(logs); // after each epoch
 */
export class DivergenceMonitor {
  private readonly trivial: number;
  private first = NaN;

  constructor(trivial: number) {
    this.trivial = Math.max(MIN_TRIVIAL_LOSS, trivial);
  }

  /** The largest loss epoch `epoch` may report. */
  limit(epoch: number): number {
    if (epoch === 0 || Number.isNaN(this.first)) return DIVERGENCE_FACTOR * this.trivial;
    return Math.max(DIVERGENCE_FACTOR * Math.min(this.first, this.trivial), this.trivial);
  }

  /** Throws when the epoch's loss shows divergence; remembers the first epoch's loss. */
  check(logs: { epoch: number; loss: number; lr: number }): void {
    const { epoch, loss, lr } = logs;
    if (!Number.isFinite(loss)) throw new TrainingDivergedError(epoch, loss, lr);
    const limit = this.limit(epoch);
    if (loss > limit) throw new TrainingDivergedError(epoch, loss, lr, this.why(epoch, limit));
    if (Number.isNaN(this.first)) this.first = loss;
  }

  private why(epoch: number, limit: number): string {
    const nothing = `the loss of a predictor that learnt nothing (${this.trivial.toPrecision(3)})`;
    if (limit === this.trivial) return `above ${nothing}`;
    const base = epoch === 0 || this.first >= this.trivial ? nothing : `the first epoch's loss (${this.first.toPrecision(3)})`;
    return `above ${DIVERGENCE_FACTOR} × ${base}`;
  }
}
