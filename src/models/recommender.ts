// What users of a trained model call: top-N lists by raw id (for known users, for brand-new
// users described by features, and items similar to an item), each as the dense-index
// variant too. Lists rank by `rankingScores` (./ranking-policy.ts), never by a bare
// predicted rating.

import type { RawRow } from '../preprocessing/derive.js';
import { RankingLearner } from './ranking-learner.js';
import { indicesOf, toRecommendations, type Recommendation, type RecommendationBasis } from './recommendations.js';
import { coRatingCosine, cosineToRow, itemsOf } from './serving.js';
import { topK, type Ranked } from './topk.js';

export { type CompileOptions, type EntityRef, type EpochContext, type EvaluateOptions, type ModelIndexes } from './learner.js';

export interface RecommendIndexOptions {
  /** Item indices not to recommend (default: the user's training items). */
  exclude?: Iterable<number>;
  /** Items with fewer training interactions are left out (default: the model's `minSupport`; 0 = none). */
  minSupport?: number;
}

export interface RecommendOptions {
  /** Raw item ids not to recommend, on top of the user's training items (unknown ids are ignored). */
  exclude?: Iterable<string>;
  /** Recommend items the user already has in the training data too (default false). */
  includeSeen?: boolean;
  /** Items with fewer training interactions are left out (default: the model's `minSupport`; 0 = none). */
  minSupport?: number;
}

/**
 * A trained model that makes recommendation lists. Every model kind is one.
 *
 * @example
 * model.recommend('196', 10);      // [{ item: '50', title: 'Star Wars (1977)', score, rating, index }, …]
 * model.similarItems('50', 5);
 * model.recommendForFeatures({ age: 25, gender: 'F', occupation: 'student' }, 10);
 */
export abstract class Recommender extends RankingLearner {
  /** Item titles by raw id (set by buildModel from the data set, and by loading a model file). */
  itemTitles: Record<string, string> | null = null;

  /**
   * The k best items for a user given by raw id, best first. A user the model never saw is
   * described by their feature row when the pipeline has one, else gets the list of an
   * unknown user (see `recommendationBasis`).
   *
   * @example
   * model.recommend('196', 10, { exclude: ['50'] });
   */
  recommend(userId: string, k = 10, options: RecommendOptions = {}): Recommendation[] {
    if (typeof userId !== 'string') throw new TypeError(`recommend takes a raw user id (a string), got ${typeof userId}; for dense indices use recommendIndices`);
    const u = this.indexes.userIndex.get(userId);
    const extra = indicesOf(this.indexes.itemIndex, options.exclude ?? []);
    const featureRow = u < 0 ? this.pipeline?.rawRow('user', userId) : null;
    if (featureRow) return this.recommendForFeatures(featureRow, k, { exclude: options.exclude, minSupport: options.minSupport });
    const exclude = options.includeSeen ? extra : [...this.seenItems(u), ...extra];
    return this.listOf(this.recommendIndices(u, k, { exclude, minSupport: options.minSupport }), u);
  }

  /** How `recommend(userId)` makes its list: the user's own scores, a feature row, or the unknown-user ranking. */
  recommendationBasis(userId: string): RecommendationBasis {
    if (this.indexes.userIndex.get(userId) >= 0) return 'known user';
    return this.pipeline?.rawRow('user', userId) ? 'features' : 'unknown user';
  }

  /**
   * The k best item indices and ranking scores for dense user index `user` (-1 = unknown),
   * skipping `exclude` (default: the user's training items) and items below minSupport.
   *
   * @example
   * const { indices, scores } = model.recommendIndices(0, 10);
   */
  recommendIndices(user: number, k: number, options: RecommendIndexOptions = {}): Ranked {
    const scores = this.rankingScores(Int32Array.of(user), options.minSupport ?? this.minSupport);
    return topK(scores, k, this.mask(options.exclude ?? this.seenItems(user)));
  }

  /** The items user `user` (dense index) had in the training data (empty when unknown). */
  seenItems(user: number): Int32Array {
    return itemsOf(this.trainingItems, user);
  }

  /**
   * The k best items for a brand-new user described by raw feature values (keys as in the
   * user table). Encoded by `this.pipeline`; without one (MF, baselines) every new user gets
   * the unknown-user ranking.
   *
   * @example
   * model.recommendForFeatures({ age: 25, gender: 'F', occupation: 'student' }, 10);
   */
  recommendForFeatures(userFeatures: RawRow, k = 10, options: Omit<RecommendOptions, 'includeSeen'> = {}): Recommendation[] {
    const ratings = this.implicit ? null : this.clip(this.rawScoresForFeatures(userFeatures));
    const scores = this.rankingScoresForFeatures(userFeatures, options.minSupport ?? this.minSupport);
    const ranked = topK(scores, k, this.mask(indicesOf(this.indexes.itemIndex, options.exclude ?? [])));
    return toRecommendations(ranked, this.indexes.itemIndex, this.itemTitles, ratings ? (i) => ratings[i] : undefined);
  }

  /** Every item's prediction for a brand-new user described by raw feature values. */
  scoreItemsForFeatures(userFeatures: RawRow): Float32Array {
    return this.clip(this.rawScoresForFeatures(userFeatures));
  }

  /**
   * The k items most similar to the item with raw id `itemId`, the item itself excluded
   * (see `similarItemIndices`).
   *
   * @example
   * model.similarItems('50', 10); // [{ item: '181', title: 'Return of the Jedi (1983)', score: 0.93, index }, …]
   */
  similarItems(itemId: string, k = 10): Recommendation[] {
    const i = this.indexes.itemIndex.get(String(itemId));
    if (i < 0) throw new Error(`similarItems: item '${itemId}' is not in the model`);
    return toRecommendations(this.similarItemIndices(i, k), this.indexes.itemIndex, this.itemTitles);
  }

  /**
   * The k items most similar to item `item` (dense index), the item itself and items below
   * minSupport excluded: cosine over the model's item vectors (`itemVectors`), else
   * co-rating cosine over the training data. Items without a representation are skipped.
   */
  similarItemIndices(item: number, k: number, minSupport = this.minSupport): Ranked {
    const scores = this.itemSimilarities(item);
    const support = this.itemSupport;
    if (support) for (let i = 0; i < scores.length; i++) if (support[i] < minSupport) scores[i] = NaN;
    return topK(scores, k, this.mask([item]));
  }

  /** Similarity of item `item` to every item (NaN = no evidence); see `similarItems`. */
  itemSimilarities(item: number): Float32Array {
    const v = this.itemVectors();
    return v ? cosineToRow(v.vectors, v.dim, item) : coRatingCosine(this.trainingItems, this.nItems, item);
  }

  /** One vector per item (nItems × dim) that the model scores with, or null when it has none. */
  itemVectors(): { vectors: Float32Array; dim: number } | null {
    return null;
  }

  /** A user's ranked indices as Recommendations, with predicted ratings for rating models. */
  private listOf(ranked: Ranked, user: number): Recommendation[] {
    if (this.implicit) return toRecommendations(ranked, this.indexes.itemIndex, this.itemTitles);
    const ratings = this.predict({ users: new Int32Array(ranked.indices.length).fill(user), items: ranked.indices });
    const at = new Map(Array.from(ranked.indices, (i, r) => [i, ratings[r]]));
    return toRecommendations(ranked, this.indexes.itemIndex, this.itemTitles, (i) => at.get(i)!);
  }

  private mask(exclude: Iterable<number>): Uint8Array {
    const mask = new Uint8Array(this.nItems);
    for (const i of exclude) if (i >= 0 && i < mask.length) mask[i] = 1;
    return mask;
  }
}
