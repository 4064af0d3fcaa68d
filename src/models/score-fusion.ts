// How an implicit ensemble joins its members' scores for ranking. Their logits are on
// different scales (a softmax's against a sigmoid's), so the raw mean would let one member
// decide; each member's row is first made scale-free, by its z-scores or by its ranks.

import { standardScaler } from '../preprocessing/scaler.js';

/**
 * - `standardised-mean`: the weighted mean of each member's scores standardised per user.
 *   A member whose scores spread further at the top (softmax MF on a user it knows) leads.
 * - `reciprocal-rank`: the weighted mean of 1 / (60 + rank) (Cormack et al., SIGIR 2009):
 *   every member's top counts alike, whatever its scores' spread.
 * - `adaptive`: reciprocal ranks for users without training interactions, standardised
 *   scores for the others. For a brand-new user MF's spread is mostly its item biases
 *   (the map from features is shrunk), which outvoted the two-tower; for a known user it is
 *   evidence. Measured on ML-100K (docs/tuning.md, seventh round): new users' P@10 lift over
 *   popularity +0.0225 with ranks against +0.0204 with z-scores (thirteen cold-user splits);
 *   known users' P@10 on u1 0.361 with z-scores against 0.350 with ranks.
 */
export const SCORE_FUSIONS = ['adaptive', 'reciprocal-rank', 'standardised-mean'] as const;
export type ScoreFusion = (typeof SCORE_FUSIONS)[number];
/** What one user's row gets. */
export type RowFusion = Exclude<ScoreFusion, 'adaptive'>;

/** Cormack et al.'s constant: it damps the weight of the very first ranks (60 to 100 measured alike). */
export const RECIPROCAL_RANK_K = 60;

/**
 * Each row of `scores` (rows × n) made scale-free in place, as `fusionOf(row)` says: z-scores
 * over its finite values (`standardScaler`), or 1 / (k + rank) with rank 0 for the highest
 * score. Equal scores share the best of their ranks, so no item gains from its index; a
 * non-finite score ranks after every finite one (all of them tied).
 */
export function fusedRows(scores: Float32Array, n: number, fusionOf: (row: number) => RowFusion, k = RECIPROCAL_RANK_K): Float32Array {
  let order: Int32Array | null = null;
  for (let at = 0, r = 0; at < scores.length; at += n, r++) {
    const row = scores.subarray(at, at + n);
    if (fusionOf(r) === 'standardised-mean') {
      const { mean, std } = standardScaler(row);
      for (let i = 0; i < n; i++) row[i] = (row[i] - mean) / std;
    } else {
      order ??= new Int32Array(n);
      reciprocalRanks(row, order, k);
    }
  }
  return scores;
}

function reciprocalRanks(row: Float32Array, order: Int32Array, k: number): void {
  const n = row.length;
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => {
    const x = keyOf(row[a]);
    const y = keyOf(row[b]);
    return x > y ? -1 : x < y ? 1 : 0;
  });
  // Walking down the order, each score is overwritten once its key has been compared.
  let rank = 0;
  let previous = 0;
  for (let r = 0; r < n; r++) {
    const key = keyOf(row[order[r]]);
    if (r > 0 && key !== previous) rank = r;
    previous = key;
    row[order[r]] = 1 / (k + rank);
  }
}

/** Scores as sort keys: every non-finite score is one value below all finite ones. */
function keyOf(v: number): number {
  return Number.isFinite(v) ? v : -Infinity;
}

/** Every row of `scores` (rows × n) as its z-scores over its finite values. */
export function standardisedRows(scores: Float32Array, n: number): Float32Array {
  return fusedRows(scores, n, () => 'standardised-mean');
}

/**
 * Every row of `scores` (rows × n) as 1 / (k + rank).
 *
 * @example
 * reciprocalRankRows(Float32Array.of(0.2, 3, 0.2, NaN), 4, 60); // [1/61, 1/60, 1/61, 1/63]
 */
export function reciprocalRankRows(scores: Float32Array, n: number, k = RECIPROCAL_RANK_K): Float32Array {
  return fusedRows(scores, n, () => 'reciprocal-rank', k);
}
