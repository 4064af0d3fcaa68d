// `wasmrec train --implicit`: ratings ≥ threshold become positives and models train with
// their kind's implicit loss; every model's test part is scored with top-10 list metrics.

import type { Interactions } from '../data/interactions.js';
import type { ModelKind } from '../models/factory.js';
import type { ListProtocol } from '../models/evaluate.js';
import type { Recommender } from '../models/recommender.js';
import type { LossName } from '../training/losses.js';
import type { MetricName } from '../training/metrics.js';

export const DEFAULT_THRESHOLD = 4;
/** The kinds that train with an implicit loss. */
export const IMPLICIT_MODELS: readonly ModelKind[] = ['popularity', 'mf', 'lightgcn', 'youtube', 'sequence-two-tower', 'gru4rec', 'sasrec', 'bst', 'mf-features', 'linear', 'two-tower', 'ensemble'];

/** Which training ratings an implicit model learns from: those ≥ the threshold, or every one (who rated what). */
export type ImplicitEvents = 'positives' | 'all';

/**
 * The training events `--implicit` gives a kind unless --implicit-events says otherwise.
 * LightGCN propagates over the graph of every training rating (the paper's "interaction
 * graph"; Microsoft Recommenders' ML-100K setup): on ML-100K, ratings ≥ 4 as the test's
 * positives, P@10 u1 0.352 → 0.361, u2 0.273 → 0.306, u3 0.223 → 0.247 against its graph
 * of positives only. MF's full softmax gained nothing from it (u1 0.362 → 0.363).
 */
export function defaultImplicitEvents(kind: ModelKind): ImplicitEvents {
  return kind === 'lightgcn' ? 'all' : 'positives';
}

/** Top-10 metrics of a model's lists over the test users with ≥ 1 relevant item. */
export interface RankingTestMetrics {
  p_at_10: number;
  r_at_10: number;
  ndcg_at_10: number;
  hr_at_10: number;
  map_at_10: number;
  auc: number;
  /** Share of the catalogue in at least one top 10. */
  coverage_at_10: number;
  /** Share of top-10 slots on items with fewer than 5 training interactions. */
  obscure_at_10: number;
  /** Test users evaluated. */
  users: number;
}

const LIST_METRICS: MetricName[] = ['p_at_10', 'r_at_10', 'ndcg_at_10', 'hr_at_10', 'map_at_10', 'auc', 'coverage_at_10', 'obscure_at_10'];

/** The loss `--implicit` trains `model` with: `--loss`, else the kind's best measured one. */
export function implicitLossName(model: Recommender, loss?: LossName): LossName {
  if (loss === 'mse') throw new Error('--implicit trains on positives only: use --loss bce, bpr or softmax');
  return loss ?? model.defaultImplicitLoss();
}

export { positivesOf } from '../data/interactions.js';

/** The lists `testMetrics` scores: on a cold-items split the new items only, with no support floor. */
export function listProtocol(newItems: boolean): ListProtocol {
  return newItems ? { candidates: 'data', minSupport: 0 } : {};
}

/**
 * A trained model's test metrics: its lists' top-10 metrics, plus RMSE and MAE for rating
 * models. On a cold-items split (`newItems`) the lists rank the test's new items against
 * each other with no support floor: over the whole catalogue, items without training
 * interactions never reach a list and P@10 would read 0 for every model.
 */
export function testMetrics(model: Recommender, test: Interactions, newItems = false): RankingTestMetrics & { rmse?: number; mae?: number } {
  const lists = model.evaluate(test, { metrics: LIST_METRICS, ...listProtocol(newItems) }) as unknown as RankingTestMetrics;
  return !model.ratingScores ? lists : { ...model.evaluate(test, { metrics: ['rmse', 'mae'] }), ...lists } as RankingTestMetrics & { rmse: number; mae: number };
}
