// Top-K ranking metrics for implicit feedback, averaged over users with ≥ 1 test positive.
// Items a user had as training positives are excluded from that user's ranking.

import type { Interactions } from '../data/interactions.js';

/** Scores of every item for each user in `users`: users.length × nItems, row-major. */
export type ScoreItems = (users: Int32Array) => Float32Array;

export interface RankingOptions {
  /** Cut-off K (default 10). */
  k?: number;
  /** Ratings ≥ threshold are positives (default 4); use 0 when every row is a positive. */
  threshold?: number;
  /** Users scored per call of `scoreItems` (default 256): bounds memory, amortises calls. */
  usersPerCall?: number;
}

export interface RankingMetrics {
  k: number;
  /** Hit rate: share of users with at least one positive in their top K. */
  hr: number;
  precision: number;
  recall: number;
  ndcg: number;
  /** Mean average precision at K (normalised by min(K, #positives)). */
  map: number;
  /** Probability that a random test positive outranks a random non-positive candidate. */
  auc: number;
  /** Users evaluated (those with at least one test positive). */
  users: number;
}

/** user → item indices (deduplicated), for rows with rating ≥ threshold. */
export function positivesByUser(data: Interactions, threshold: number): Map<number, Int32Array> {
  const lists = new Map<number, Set<number>>();
  for (let r = 0; r < data.length; r++) {
    if (data.ratings[r] < threshold) continue;
    let s = lists.get(data.users[r]);
    if (!s) lists.set(data.users[r], (s = new Set()));
    s.add(data.items[r]);
  }
  return new Map(Array.from(lists, ([u, s]) => [u, Int32Array.from(s)]));
}

/**
 * HR, Precision, Recall, NDCG, MAP at K and AUC of the scores `scoreItems` gives, with the
 * test part's positives as relevant items and the training positives excluded.
 *
 * @example
 * const m = rankingMetrics((users) => model.scoreItems(users), nItems, train, test, { k: 10 });
 * m.ndcg;
 */
export function rankingMetrics(scoreItems: ScoreItems, nItems: number, train: Interactions, test: Interactions, options: RankingOptions = {}): RankingMetrics {
  const k = options.k ?? 10;
  const threshold = options.threshold ?? 4;
  const perCall = options.usersPerCall ?? 256;
  if (!(Number.isInteger(k) && k >= 1)) throw new Error(`ranking: k must be an integer ≥ 1, got ${k}`);
  const seen = positivesByUser(train, threshold);
  const relevant = positivesByUser(test, threshold);
  const users = Int32Array.from(relevant.keys()).sort();
  const sums = { hr: 0, precision: 0, recall: 0, ndcg: 0, map: 0, auc: 0 };
  const excluded = new Uint8Array(nItems);
  const isPositive = new Uint8Array(nItems);
  for (let start = 0; start < users.length; start += perCall) {
    const batch = users.subarray(start, Math.min(users.length, start + perCall));
    const scores = scoreItems(batch);
    for (let b = 0; b < batch.length; b++) {
      const u = batch[b];
      const row = scores.subarray(b * nItems, (b + 1) * nItems);
      const train = seen.get(u) ?? new Int32Array(0);
      const pos = relevant.get(u)!;
      for (const i of train) excluded[i] = 1;
      for (const i of pos) if (!excluded[i]) isPositive[i] = 1;
      const m = userMetrics(row, excluded, isPositive, k);
      if (m) {
        sums.hr += m.hr;
        sums.precision += m.precision;
        sums.recall += m.recall;
        sums.ndcg += m.ndcg;
        sums.map += m.map;
        sums.auc += m.auc;
      }
      for (const i of train) excluded[i] = 0;
      for (const i of pos) isPositive[i] = 0;
    }
  }
  const n = Math.max(1, users.length);
  return {
    k,
    hr: sums.hr / n,
    precision: sums.precision / n,
    recall: sums.recall / n,
    ndcg: sums.ndcg / n,
    map: sums.map / n,
    auc: sums.auc / n,
    users: users.length,
  };
}

/** One user's metrics; positives that were also training positives do not count. */
function userMetrics(scores: Float32Array, excluded: Uint8Array, isPositive: Uint8Array, k: number) {
  // Candidates ranked by score, ties broken by item index so results are reproducible.
  const candidates: number[] = [];
  let nPos = 0;
  for (let i = 0; i < scores.length; i++) {
    if (excluded[i]) continue;
    candidates.push(i);
    nPos += isPositive[i];
  }
  if (nPos === 0) return { hr: 0, precision: 0, recall: 0, ndcg: 0, map: 0, auc: 0 };
  candidates.sort((a, b) => scores[b] - scores[a] || a - b);
  let hits = 0;
  let dcg = 0;
  let apSum = 0;
  for (let r = 0; r < Math.min(k, candidates.length); r++) {
    if (!isPositive[candidates[r]]) continue;
    hits++;
    dcg += 1 / Math.log2(r + 2);
    apSum += hits / (r + 1);
  }
  let idcg = 0;
  for (let r = 0; r < Math.min(k, nPos); r++) idcg += 1 / Math.log2(r + 2);
  return {
    hr: hits > 0 ? 1 : 0,
    precision: hits / k,
    recall: hits / nPos,
    ndcg: dcg / idcg,
    map: apSum / Math.min(k, nPos),
    auc: auc(scores, candidates, isPositive, nPos),
  };
}

/** AUC from the ranks of positives among candidates, ties counted as half (Mann–Whitney U). */
function auc(scores: Float32Array, sortedDesc: number[], isPositive: Uint8Array, nPos: number): number {
  const nNeg = sortedDesc.length - nPos;
  if (nNeg === 0) return 1;
  let pairsWon = 0;
  let negBelow = nNeg;
  for (let r = 0; r < sortedDesc.length; ) {
    // A run of equal scores: positives in it beat the negatives below and tie the run's.
    let end = r;
    let posRun = 0;
    let negRun = 0;
    while (end < sortedDesc.length && scores[sortedDesc[end]] === scores[sortedDesc[r]]) {
      if (isPositive[sortedDesc[end]]) posRun++;
      else negRun++;
      end++;
    }
    negBelow -= negRun;
    pairsWon += posRun * (negBelow + 0.5 * negRun);
    r = end;
  }
  return pairsWon / (nPos * nNeg);
}
