// `wasmrec train --implicit`: ratings ≥ threshold become positives, models train with an
// implicit loss, and the test part is scored with top-10 ranking metrics.

import { subset, type Interactions } from '../data/interactions.js';
import { rankingMetrics } from '../evaluation/ranking.js';
import type { ModelKind, ModelOptions } from '../models/factory.js';
import type { Recommender } from '../models/recommender.js';
import type { LossConfig, LossName } from '../training/losses.js';
import type { OptimizerConfig } from '../training/optimizer.js';

export const DEFAULT_THRESHOLD = 4;
export const IMPLICIT_MODELS: readonly ModelKind[] = ['popularity', 'mf', 'linear', 'two-tower'];
/** Cut-off of the ranking metrics the JSON reports. */
const K = 10;

/** What `test` holds in implicit mode: top-10 metrics over test users with ≥ 1 positive. */
export interface ImplicitTestMetrics {
  p_at_10: number;
  r_at_10: number;
  ndcg_at_10: number;
  hr_at_10: number;
  map_at_10: number;
  auc: number;
  /** Test users evaluated. */
  users: number;
}

export interface ImplicitDefaults {
  loss: LossConfig;
  optimizer?: OptimizerConfig;
  epochs?: number;
  options: ModelOptions;
}

/**
 * Each model's implicit settings, measured on ML-100K u1 (ratings ≥ 4) and its cold-users
 * split (README, "Implicit feedback"). MF: BPR with 4 negatives beat BCE (P@10 0.292 vs
 * 0.224 when chosen; 0.324 since MF's mini-batch L2 counts per example) with Adam 0.003,
 * K = 32, 10 epochs. Two-tower (mlp head): BCE with 4 negatives beat BPR and the dot head's
 * in-batch softmax when chosen (P@10 0.301 vs 0.236 and 0.262; with today's two-tower
 * defaults the dot head's softmax measured 0.339 once, untuned: worth re-measuring); user id dropout
 * 0.5 without item id dropout is what lifted new users above popularity on P@10; the
 * popularity prior (weight 1 on log(1 + positives) in the scores) with lighter bias and id
 * regularisation (0 and 0.0003) lifted them above it on AUC too, chosen on inner cold-user
 * validation splits of the training users (src/models/popularity-prior.ts).
 * LinearRS was not tuned: it takes BCE, the two-tower's loss.
 */
export function implicitDefaults(kind: ModelKind): ImplicitDefaults {
  switch (kind) {
    case 'mf':
      return { loss: { name: 'bpr', negatives: 4 }, optimizer: { name: 'adam', lr: 0.003 }, epochs: 10, options: { factors: 32, regFactors: 0.001, regBias: 0.001 } };
    case 'two-tower':
      return { loss: { name: 'bce', negatives: 4 }, options: { userIdDropout: 0.5, itemIdDropout: 0, regBias: 0, regId: 0.0003, popularityPrior: 1 } };
    case 'linear':
      return { loss: { name: 'bce', negatives: 4 }, options: {} };
    case 'popularity':
      return { loss: { name: 'bce' }, options: {} };
    default:
      throw new Error(`--implicit supports the models ${IMPLICIT_MODELS.join(', ')}, not '${kind}'`);
  }
}

/** The loss for `kind`: its default, with --loss and --negatives applied. */
export function implicitLoss(kind: ModelKind, loss?: LossName, negatives?: number): LossConfig {
  const base = implicitDefaults(kind).loss;
  if (loss === 'mse') throw new Error('--implicit trains on positives only: use --loss bce, bpr or softmax');
  const name = loss ?? base.name;
  return { ...base, name, negatives: negatives ?? (name === base.name ? base.negatives : undefined) };
}

/** The rows rated ≥ threshold: what implicit models train on. */
export function positivesOf(data: Interactions, threshold: number): Interactions {
  const rows: number[] = [];
  for (let r = 0; r < data.length; r++) if (data.ratings[r] >= threshold) rows.push(r);
  return subset(data, rows);
}

/** Top-10 ranking metrics of `model` on `test`, training positives excluded. */
export function implicitTestMetrics(model: Recommender, train: Interactions, test: Interactions, threshold: number): ImplicitTestMetrics {
  const m = rankingMetrics((users) => model.scoreItems(users), model.nItems, train, test, { k: K, threshold });
  return { p_at_10: m.precision, r_at_10: m.recall, ndcg_at_10: m.ndcg, hr_at_10: m.hr, map_at_10: m.map, auc: m.auc, users: m.users };
}
