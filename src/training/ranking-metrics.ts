// Top-K metrics of recommendation lists, averaged over users with ≥ 1 relevant test item:
// how well a ranking finds the held-out items (P, R, NDCG, HR, MAP at K, AUC), and what the
// lists look like (catalogue coverage, share of rarely-seen items).

import type { Interactions } from '../data/interactions.js';

/** Scores of every item for each user in `users`: users.length × nItems, row-major; NaN = not recommendable. */
export type ScoreItems = (users: Int32Array) => Float32Array;

/** Items with fewer training interactions than this count as "obscure" in `obscure`. */
export const OBSCURE_SUPPORT = 5;

/** Each user's excluded items in CSR form (as models keep their training items). */
export interface ExcludedItems {
  offsets: Int32Array;
  items: Int32Array;
}

export interface RankingOptions {
  /** Cut-off K (default 10). */
  k?: number;
  /** Test rows rated ≥ threshold are relevant (default 4); use -Infinity when every row is. */
  threshold?: number;
  /**
   * Items not ranked for each user (what `recommend` excludes: the user's training items).
   * Default: the user's training rows rated ≥ threshold.
   */
  exclude?: ExcludedItems;
  /** Training interactions per item, for `obscure` (default: counted from `train`). */
  itemSupport?: ArrayLike<number>;
  /** Users scored per call of `scoreItems` (default 256): bounds memory, amortises calls. */
  usersPerCall?: number;
  /**
   * Rank only these items (default: every item). Cold-item evaluation ranks the new items,
   * e.g. the items of a cold-items split's test part, against each other.
   */
  candidates?: ArrayLike<number>;
  /** Also return each user's values (`perUser`), e.g. for paired comparisons of two models. */
  perUser?: boolean;
}

/** The per-user values behind the means, in the order of `users` (ascending indices). */
export interface PerUserRanking {
  users: Int32Array;
  hr: Float64Array;
  precision: Float64Array;
  recall: Float64Array;
  ndcg: Float64Array;
  map: Float64Array;
  auc: Float64Array;
}

export interface RankingMetrics {
  k: number;
  /** Hit rate: share of users with at least one relevant item in their top K. */
  hr: number;
  precision: number;
  recall: number;
  ndcg: number;
  /** Mean average precision at K (normalised by min(K, #relevant)). */
  map: number;
  /** Probability that a random relevant item outranks a random other candidate (not-recommendable items rank last). */
  auc: number;
  /** Share of the catalogue that appears in at least one user's top K. */
  coverage: number;
  /** Share of top-K slots on items with fewer than OBSCURE_SUPPORT training interactions. */
  obscure: number;
  /** Users evaluated (those with at least one relevant test item). */
  users: number;
  /** With `options.perUser`. */
  perUser?: PerUserRanking;
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

/** Training interactions per item (rows of `train`, whatever their rating). */
export function itemSupportOf(train: Pick<Interactions, 'items' | 'length'>, nItems: number): Int32Array {
  const counts = new Int32Array(nItems);
  for (let r = 0; r < train.length; r++) counts[train.items[r]]++;
  return counts;
}

/**
 * HR, Precision, Recall, NDCG, MAP at K, AUC, coverage and the obscure share of the
 * rankings `scoreItems` gives, with the test part's relevant items as targets and each
 * user's excluded items left out of the ranking.
 *
 * @example
 * const m = rankingMetrics((users) => model.rankingScores(users), nItems, train, test, { k: 10 });
 * m.ndcg;
 */
export function rankingMetrics(scoreItems: ScoreItems, nItems: number, train: Interactions | null, test: Interactions, options: RankingOptions = {}): RankingMetrics {
  if (!train && !(options.exclude && options.itemSupport)) throw new Error('ranking: without training data, give exclude and itemSupport');
  const k = options.k ?? 10;
  const threshold = options.threshold ?? 4;
  const perCall = options.usersPerCall ?? 256;
  if (!(Number.isInteger(k) && k >= 1)) throw new Error(`ranking: k must be an integer ≥ 1, got ${k}`);
  const trainPositives = options.exclude ? null : positivesByUser(train!, threshold);
  const excludedOf = (u: number): ArrayLike<number> => {
    const ex = options.exclude;
    if (!ex) return trainPositives!.get(u) ?? [];
    return u >= 0 && u + 1 < ex.offsets.length ? ex.items.subarray(ex.offsets[u], ex.offsets[u + 1]) : [];
  };
  const support = options.itemSupport ?? itemSupportOf(train!, nItems);
  const relevant = positivesByUser(test, threshold);
  const users = Int32Array.from(relevant.keys()).sort();
  const sums = { hr: 0, precision: 0, recall: 0, ndcg: 0, map: 0, auc: 0 };
  const perUser = options.perUser ? perUserArrays(users) : undefined;
  let slots = 0;
  let obscureSlots = 0;
  const listed = new Uint8Array(nItems);
  // Items outside the candidates stay excluded for every user; `base` restores that state.
  const base = new Uint8Array(nItems);
  if (options.candidates) {
    base.fill(1);
    for (let j = 0; j < options.candidates.length; j++) base[options.candidates[j]] = 0;
  }
  const excluded = base.slice();
  const isRelevant = new Uint8Array(nItems);
  for (let start = 0; start < users.length; start += perCall) {
    const batch = users.subarray(start, Math.min(users.length, start + perCall));
    const scores = scoreItems(batch);
    for (let b = 0; b < batch.length; b++) {
      const u = batch[b];
      const row = scores.subarray(b * nItems, (b + 1) * nItems);
      const ex = excludedOf(u);
      const pos = relevant.get(u)!;
      for (let j = 0; j < ex.length; j++) excluded[ex[j]] = 1;
      for (const i of pos) if (!excluded[i]) isRelevant[i] = 1;
      const m = userMetrics(row, excluded, isRelevant, k);
      sums.hr += m.hr;
      sums.precision += m.precision;
      sums.recall += m.recall;
      sums.ndcg += m.ndcg;
      sums.map += m.map;
      sums.auc += m.auc;
      if (perUser) for (const f of PER_USER_FIELDS) perUser[f][start + b] = m[f];
      for (const i of m.top) {
        listed[i] = 1;
        if ((support[i] ?? 0) < OBSCURE_SUPPORT) obscureSlots++;
      }
      slots += m.top.length;
      for (let j = 0; j < ex.length; j++) excluded[ex[j]] = base[ex[j]];
      for (const i of pos) isRelevant[i] = 0;
    }
  }
  const n = Math.max(1, users.length);
  let covered = 0;
  for (let i = 0; i < nItems; i++) covered += listed[i];
  return {
    k,
    hr: sums.hr / n,
    precision: sums.precision / n,
    recall: sums.recall / n,
    ndcg: sums.ndcg / n,
    map: sums.map / n,
    auc: sums.auc / n,
    coverage: nItems > 0 ? covered / nItems : 0,
    obscure: slots > 0 ? obscureSlots / slots : 0,
    users: users.length,
    ...(perUser ? { perUser } : {}),
  };
}

const PER_USER_FIELDS = ['hr', 'precision', 'recall', 'ndcg', 'map', 'auc'] as const;

function perUserArrays(users: Int32Array): PerUserRanking {
  const n = users.length;
  return { users, hr: new Float64Array(n), precision: new Float64Array(n), recall: new Float64Array(n), ndcg: new Float64Array(n), map: new Float64Array(n), auc: new Float64Array(n) };
}

/** One user's metrics and top-K list; relevant items that were excluded do not count. */
function userMetrics(scores: Float32Array, excluded: Uint8Array, isRelevant: Uint8Array, k: number) {
  // Candidates ranked by score (not recommendable = NaN last). Ties are broken by a fixed
  // scramble of the item index, reproducible but unrelated to file order: broken by the index
  // itself, a model that ties every new item (popularity on cold items) would be credited
  // with the data file's order, which in MovieLens puts old, popular films first.
  const candidates: number[] = [];
  let nPos = 0;
  for (let i = 0; i < scores.length; i++) {
    if (excluded[i]) continue;
    candidates.push(i);
    nPos += isRelevant[i];
  }
  const value = (i: number) => (Number.isNaN(scores[i]) ? -Infinity : scores[i]);
  candidates.sort((a, b) => value(b) - value(a) || tieOrder(a) - tieOrder(b));
  // The list a user sees: never a not-recommendable item.
  const top = candidates.slice(0, k).filter((i) => !Number.isNaN(scores[i]));
  if (nPos === 0) return { hr: 0, precision: 0, recall: 0, ndcg: 0, map: 0, auc: 0, top };
  let hits = 0;
  let dcg = 0;
  let apSum = 0;
  for (let r = 0; r < top.length; r++) {
    if (!isRelevant[top[r]]) continue;
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
    auc: auc(value, candidates, isRelevant, nPos),
    top,
  };
}

/** A fixed pseudo-random order of item indices (Knuth's multiplicative hash). */
export const tieOrder = (i: number) => Math.imul(i, 0x9e3779b1) >>> 0;

/** AUC from the ranks of relevant items among candidates, ties counted as half (Mann–Whitney U). */
function auc(value: (i: number) => number, sortedDesc: number[], isRelevant: Uint8Array, nPos: number): number {
  const nNeg = sortedDesc.length - nPos;
  if (nNeg === 0) return 1;
  let pairsWon = 0;
  let negBelow = nNeg;
  for (let r = 0; r < sortedDesc.length; ) {
    // A run of equal scores: relevant items in it beat the others below and tie the run's.
    let end = r;
    let posRun = 0;
    let negRun = 0;
    while (end < sortedDesc.length && value(sortedDesc[end]) === value(sortedDesc[r])) {
      if (isRelevant[sortedDesc[end]]) posRun++;
      else negRun++;
      end++;
    }
    negBelow -= negRun;
    pairsWon += posRun * (negBelow + 0.5 * negRun);
    r = end;
  }
  return pairsWon / (nPos * nNeg);
}
