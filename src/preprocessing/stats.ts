// Per-user and per-item rating statistics, computed from training ratings only: anything
// else would leak the test ratings into the features.

import type { IdIndex, Interactions } from '../data/interactions.js';
import type { Side, StatName } from './spec.js';
import { ALL_STATS } from './spec.js';

/** Statistics in ALL_STATS order: mean, log(1+count), q25, q50, q75. */
export type StatValues = [number, number, number, number, number];

/** Statistics by raw id, plus what an entity without training ratings gets. */
export interface RatingStats {
  byId: Map<string, StatValues>;
  /** Global mean and quartiles of all training ratings, with count 0 (log(1+0) = 0). */
  cold: StatValues;
}

/**
 * The p-quantile of ascending `sorted` by linear interpolation between order statistics
 * (NumPy's default, "type 7"); NaN when empty.
 *
 * @example
 * quantile(Float32Array.of(1, 2, 3, 4), 0.25); // 1.75
 */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function statsOf(sorted: Float32Array): StatValues {
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i];
  return [sum / sorted.length, Math.log1p(sorted.length), quantile(sorted, 0.25), quantile(sorted, 0.5), quantile(sorted, 0.75)];
}

/**
 * Rating statistics of every user (or item) of `train`, keyed by the raw id from `index`.
 *
 * @example
 * const { byId, cold } = ratingStats(split.train, 'user', dataset.userIndex);
 * byId.get('196'); // [mean, log1p(count), q25, q50, q75]
 */
export function ratingStats(train: Interactions, side: Side, index: IdIndex): RatingStats {
  const who = side === 'user' ? train.users : train.items;
  const nEntities = index.size;
  // Bucket the ratings per entity (counting sort), then sort each bucket once.
  const offsets = new Int32Array(nEntities + 1);
  for (let r = 0; r < train.length; r++) offsets[who[r] + 1]++;
  for (let e = 0; e < nEntities; e++) offsets[e + 1] += offsets[e];
  const fill = offsets.slice(0, nEntities);
  const grouped = new Float32Array(train.length);
  for (let r = 0; r < train.length; r++) grouped[fill[who[r]]++] = train.ratings[r];

  const byId = new Map<string, StatValues>();
  for (let e = 0; e < nEntities; e++) {
    if (offsets[e + 1] === offsets[e]) continue;
    const slice = grouped.subarray(offsets[e], offsets[e + 1]);
    slice.sort();
    byId.set(index.ids[e], statsOf(slice));
  }
  let cold: StatValues = [NaN, 0, NaN, NaN, NaN];
  if (train.length > 0) {
    cold = statsOf(grouped.sort());
    cold[1] = 0;
  }
  return { byId, cold };
}

/** Positions in StatValues of the requested statistics. */
export function statColumns(stats: readonly StatName[] | undefined): number[] {
  return (stats ?? ALL_STATS).map((s) => ALL_STATS.indexOf(s));
}

/** Column names such as `rating_mean`, `rating_log_count`, `rating_q25`. */
export function statNames(prefix: string, stats: readonly StatName[] | undefined): string[] {
  const suffix: Record<StatName, string> = { mean: 'mean', logCount: 'log_count', q25: 'q25', q50: 'q50', q75: 'q75' };
  return (stats ?? ALL_STATS).map((s) => `${prefix}_${suffix[s]}`);
}
