// What a fit records about its training ratings for serving: the scale that predictions are
// clipped to, the spread that ranking priors are measured in, and which ratings count as
// relevant when lists are evaluated. Saved with the model.

import type { Interactions } from '../data/interactions.js';

export interface TrainingSummary {
  ratingMin: number;
  ratingMax: number;
  /** Standard deviation of the training ratings (1 when they do not vary). */
  ratingStd: number;
  /**
   * Ratings at least this are relevant in ranking metrics: for implicit losses the smallest
   * rating trained on as a positive; for rating models the top quarter of the scale
   * (4 on 1–5 stars, 3.875 on 0.5–5).
   */
  relevance: number;
}

/**
 * The summary of `train`'s ratings.
 *
 * @example
 * summarizeTraining(train, false); // { ratingMin: 1, ratingMax: 5, ratingStd: 1.13, relevance: 4 }
 */
export function summarizeTraining(train: Pick<Interactions, 'ratings' | 'length'>, implicit: boolean): TrainingSummary {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let r = 0; r < train.length; r++) {
    const v = train.ratings[r];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const mean = sum / Math.max(1, train.length);
  let ss = 0;
  for (let r = 0; r < train.length; r++) ss += (train.ratings[r] - mean) ** 2;
  const std = Math.sqrt(ss / Math.max(1, train.length));
  return {
    ratingMin: min,
    ratingMax: max,
    ratingStd: std > 1e-12 * Math.max(1, Math.abs(mean)) ? std : 1,
    relevance: implicit ? min : min + 0.75 * (max - min),
  };
}

/** Checks a saved summary (finite numbers, min ≤ max, std > 0); null when absent. */
export function checkTrainingSummary(json: unknown): TrainingSummary | null {
  if (json === undefined || json === null) return null;
  const s = json as Record<string, unknown>;
  const fields = ['ratingMin', 'ratingMax', 'ratingStd', 'relevance'] as const;
  if (!fields.every((f) => typeof s[f] === 'number' && Number.isFinite(s[f])) || (s.ratingMin as number) > (s.ratingMax as number) || !((s.ratingStd as number) > 0)) {
    throw new Error(`the saved training summary is damaged: ${JSON.stringify(json)}`);
  }
  return { ratingMin: s.ratingMin as number, ratingMax: s.ratingMax as number, ratingStd: s.ratingStd as number, relevance: s.relevance as number };
}
