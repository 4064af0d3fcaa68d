// Evaluating a trained model by metric name: rating metrics of its predictions, and ranking
// metrics of the lists `recommend` would give each user of the data (./learner.ts calls it).

import type { Interactions } from '../data/interactions.js';
import { parseMetric, ratingMetrics, type MetricName, type Metrics } from '../training/metrics.js';
import { OBSCURE_SUPPORT, rankingMetrics, type RankingMetrics } from '../training/ranking-metrics.js';
import type { UserItems } from './serving.js';

/** What evaluation asks of a model (its public API). */
export interface Evaluable {
  readonly kind: string;
  readonly implicit: boolean;
  /** Whether its predictions are ratings (rating metrics need them). */
  readonly ratingScores: boolean;
  readonly nItems: number;
  readonly trainingItems: UserItems | null;
  readonly itemSupport: Int32Array | null;
  readonly compiledLoss: { readonly name: string };
  predict(data: Pick<Interactions, 'users' | 'items'>): Float32Array;
  rankingScores(users: Int32Array, minSupport?: number): Float32Array;
}

/** Throws when a metric is unknown, or needs ratings from a model that scores logits. */
export function checkMetrics(names: readonly string[], model: Pick<Evaluable, 'kind' | 'implicit' | 'compiledLoss' | 'ratingScores'>): void {
  for (const name of names) {
    if (parseMetric(name).kind === 'rating' && !model.ratingScores) {
      const why = model.implicit ? `a model trained with the '${model.compiledLoss.name}' loss scores logits` : 'its scores are not ratings';
      throw new Error(`${model.kind}: metric '${name}' needs ratings; ${why} (use ranking metrics such as ndcg_at_10)`);
    }
  }
}

const FIELD = { p: 'precision', r: 'recall', ndcg: 'ndcg', hr: 'hr', map: 'map', coverage: 'coverage', obscure: 'obscure', auc: 'auc' } as const;

/**
 * The metrics `names` of `model` on `data`: rmse and mae of its predictions; ranking
 * metrics of each user's list (their training items excluded, items below minSupport not
 * recommendable; test ratings ≥ threshold relevant), plus `users`, the users ranked.
 *
 * @example
 * evaluateModel(model, test, ['rmse', 'ndcg_at_10'], 4); // { rmse: 0.92, ndcg_at_10: 0.29, users: 459 }
 */
export function evaluateModel(
  model: Evaluable,
  data: Interactions,
  names: readonly MetricName[],
  threshold: number,
  lists: ListProtocol = {},
): Metrics {
  checkMetrics(names, model);
  const parsed = names.map((name) => ({ name, m: parseMetric(name) }));
  const out: Metrics = {};
  if (parsed.some((p) => p.m.kind === 'rating')) {
    const r = ratingMetrics(model.predict(data), data.ratings);
    for (const p of parsed) if (p.m.kind === 'rating') out[p.name] = r[p.m.name];
  }
  const ranking = parsed.filter((p) => p.m.kind === 'ranking');
  // One pass per cut-off; AUC does not depend on it and comes from the first.
  const ks = [...new Set(ranking.filter((p) => p.m.name !== 'auc').map((p) => (p.m.kind === 'ranking' ? p.m.k : 10)))];
  if (ks.length === 0 && ranking.length > 0) ks.push(10);
  for (const k of ks) {
    const m = listMetrics(model, data, k, threshold, lists);
    for (const p of ranking) {
      if (p.m.kind !== 'ranking') continue;
      if (p.m.name === 'auc' ? k === ks[0] : p.m.k === k) out[p.name] = m[FIELD[p.m.name as keyof typeof FIELD]];
    }
    out.users = m.users;
  }
  return out;
}

/** How `evaluate` lists for a data set: over every item, or only the data's (cold items), with a support floor. */
export interface ListProtocol {
  candidates?: 'all' | 'data';
  minSupport?: number;
}

/**
 * The ranking metrics at k of `model`'s lists for the users of `data`, as `evaluate` computes
 * them. `asIn` ranks with another model's exclusions and item support, so that two models'
 * lists are compared over the same candidates (`perUser` for a paired comparison).
 */
export function listMetrics(
  model: Evaluable,
  data: Interactions,
  k: number,
  threshold: number,
  lists: ListProtocol = {},
  options: { perUser?: boolean; asIn?: Evaluable } = {},
): RankingMetrics {
  const own = options.asIn ?? model;
  const candidates = lists.candidates === 'data' ? Int32Array.from(new Set(data.items)) : undefined;
  return rankingMetrics((users) => model.rankingScores(users, lists.minSupport), model.nItems, null, data, {
    k, threshold, candidates, perUser: options.perUser,
    // A model without them (a file of wasmrec 0.1) excludes nothing and knows no obscure items.
    exclude: own.trainingItems ?? { offsets: new Int32Array(1), items: new Int32Array(0) },
    itemSupport: own.itemSupport ?? new Int32Array(own.nItems).fill(OBSCURE_SUPPORT),
  });
}
