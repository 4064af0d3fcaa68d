// Recommendation lists by raw id, as users of the library and the CLI see them.

import type { IdIndex } from '../data/interactions.js';
import type { Ranked } from './topk.js';

/** One recommended item: its raw id, title when known, and the dense index as an extra. */
export interface Recommendation {
  /** The item's raw id, as in the data files. */
  item: string;
  title?: string;
  /** What the list is ordered by (see `Recommender.rankingScores`). */
  score: number;
  /** A rating model's predicted rating of the item (clipped to the rating scale); absent for implicit models. */
  rating?: number;
  /** The item's dense index in the model. */
  index: number;
}

/** How a user's list was made: their own scores, a feature row, or the ranking of an unknown user. */
export type RecommendationBasis = 'known user' | 'features' | 'unknown user';

/**
 * A ranked list as Recommendations.
 *
 * @example
 * toRecommendations(model.recommendIndices(0, 10), model.indexes.itemIndex, titles);
 */
export function toRecommendations(ranked: Ranked, items: IdIndex, titles: Record<string, string> | null, ratings?: (index: number) => number): Recommendation[] {
  return Array.from(ranked.indices, (index, r) => {
    const item = items.ids[index];
    const title = titles?.[item];
    const rec: Recommendation = { item, ...(title !== undefined ? { title } : {}), score: ranked.scores[r], index };
    if (ratings) rec.rating = ratings(index);
    return rec;
  });
}

/** The dense indices of raw ids, skipping ids the index does not hold. */
export function indicesOf(index: IdIndex, ids: Iterable<string>): number[] {
  const out: number[] = [];
  for (const id of ids) {
    const i = index.get(String(id));
    if (i >= 0) out.push(i);
  }
  return out;
}
