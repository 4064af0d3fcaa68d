// Is one model's list better than another's, or is the gap within what the test users'
// sample allows? Both lists are scored for the same users, so the per-user differences are
// paired: their mean is the difference of the metrics, and its standard error (the
// differences' standard deviation over √n) is how much that mean would move on another
// sample of users of the same size. On a cold-user split of ML-100K (189 users) a P@10
// difference has a standard error near 0.007 (docs/tuning.md, sixth round).

import type { PerUserRanking } from '../training/ranking-metrics.js';
import { mean, standardError } from './stats.js';

/** The per-user metrics compared. */
export const PAIRED_METRICS = ['precision', 'recall', 'ndcg', 'auc'] as const;
export type PairedMetric = (typeof PAIRED_METRICS)[number];

export interface PairedDifference {
  metric: PairedMetric;
  /** Mean over the common users of a − b. */
  difference: number;
  /** Standard error of that mean (NaN for fewer than 2 users). */
  standardError: number;
}

export interface PairedComparison {
  /** Users that both rankings scored. */
  users: number;
  differences: PairedDifference[];
}

/**
 * Compares two rankings' per-user metrics (`rankingMetrics(…, { perUser: true })`) over the
 * users both scored; `keyA` / `keyB` name a user of each (e.g. its raw id, when the two models
 * index users differently; default the index).
 *
 * @example
 * const c = pairedComparison(a.perUser!, b.perUser!);
 * c.differences[0]; // { metric: 'precision', difference: 0.016, standardError: 0.0071 }
 */
export function pairedComparison(
  a: PerUserRanking,
  b: PerUserRanking,
  keyA: (user: number) => string | number = (u) => u,
  keyB: (user: number) => string | number = (u) => u,
): PairedComparison {
  const rowOfB = new Map<string | number, number>();
  b.users.forEach((u, r) => rowOfB.set(keyB(u), r));
  const pairs: [number, number][] = [];
  a.users.forEach((u, r) => {
    const rb = rowOfB.get(keyA(u));
    if (rb !== undefined) pairs.push([r, rb]);
  });
  if (pairs.length === 0) throw new Error('paired comparison: the two rankings have no user in common');
  const differences = PAIRED_METRICS.map((metric) => {
    const d = pairs.map(([ra, rb]) => a[metric][ra] - b[metric][rb]);
    return { metric, difference: mean(d), standardError: standardError(d) };
  });
  return { users: pairs.length, differences };
}
