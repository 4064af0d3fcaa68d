// The types of the model API shared by every kind: compile and evaluate options, who a
// prediction is for, what an epoch gets, and the id indexes a model knows.

import type { IdIndex } from '../data/interactions.js';
import type { EncodedSide } from '../preprocessing/encoded.js';
import type { LossConfig, LossName } from '../training/losses.js';
import type { MetricName } from '../training/metrics.js';
import type { OptimizerConfig, OptimizerName } from '../training/optimizer.js';

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
  /**
   * A rating model that also ranks well: with an implicit loss here ('bpr', 'bce', a
   * LossConfig; true = the kind's best measured one), `fit` also trains a ranking twin — the
   * same kind and options, its own weights — on the ratings ≥ threshold, and lists rank by
   * the twin's scores while `predict` stays the rating model's. Only with the 'mse' loss,
   * for kinds that take an implicit loss.
   */
  ranking?: LossName | LossConfig | true;
}

export interface EvaluateOptions {
  /** Metrics to compute (default: the compiled ones). */
  metrics?: MetricName[];
  /** Ratings ≥ threshold are relevant for ranking metrics (default: the compiled or learned one). */
  threshold?: number;
  /**
   * Which items ranking metrics rank: 'all' (default: what `recommend` ranks), or 'data' —
   * only the items that occur in the evaluated data, ranked against each other, the protocol
   * for new items (a cold-items split's test items have no training interactions).
   */
  candidates?: 'all' | 'data';
  /** Items with fewer training interactions are not ranked (default: the model's `minSupport`; use 0 with cold items). */
  minSupport?: number;
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
