// What serving needs beyond predict: each user's training items (to exclude them from
// recommendations and to save them with a model) and item-to-item similarities.

import type { Interactions } from '../data/interactions.js';

/** Each user's training items in CSR form: user u's are items[offsets[u] .. offsets[u+1]), ascending. */
export interface UserItems {
  offsets: Int32Array;
  items: Int32Array;
}

/**
 * The distinct items each of `nUsers` users rated in `train` (a user rating an item twice
 * counts once).
 *
 * @example
 * const seen = userItemLists(split.train, dataset.userIndex.size);
 * seen.items.subarray(seen.offsets[0], seen.offsets[1]); // user 0's training items
 */
export function userItemLists(train: Pick<Interactions, 'users' | 'items' | 'length'>, nUsers: number): UserItems {
  const counts = new Int32Array(nUsers + 1);
  for (let r = 0; r < train.length; r++) counts[train.users[r] + 1]++;
  for (let u = 0; u < nUsers; u++) counts[u + 1] += counts[u];
  const fill = counts.slice(0, nUsers);
  const items = new Int32Array(train.length);
  for (let r = 0; r < train.length; r++) items[fill[train.users[r]]++] = train.items[r];
  // Sort and deduplicate per user, compacting in place.
  const offsets = new Int32Array(nUsers + 1);
  let out = 0;
  for (let u = 0; u < nUsers; u++) {
    const row = items.subarray(counts[u], counts[u + 1]).sort();
    offsets[u] = out;
    for (let j = 0; j < row.length; j++) if (j === 0 || row[j] !== row[j - 1]) items[out++] = row[j];
  }
  offsets[nUsers] = out;
  return { offsets, items: items.slice(0, out) };
}

/** User u's training items (empty for an unknown or out-of-range user). */
export function itemsOf(lists: UserItems | null, user: number): Int32Array {
  if (!lists || !(user >= 0 && user < lists.offsets.length - 1)) return new Int32Array(0);
  return lists.items.subarray(lists.offsets[user], lists.offsets[user + 1]);
}

/**
 * Cosine similarity of row `item` of `vectors` (n × dim, row-major) to every row. Rows of
 * zero length (e.g. MF factors of items without training ratings) get NaN, which top-k
 * skips: a similarity to nothing is no evidence.
 */
export function cosineToRow(vectors: Float32Array, dim: number, item: number): Float32Array {
  const n = dim > 0 ? vectors.length / dim : 0;
  const out = new Float32Array(n).fill(NaN);
  if (!(item >= 0 && item < n)) return out;
  const q = vectors.subarray(item * dim, (item + 1) * dim);
  let qq = 0;
  for (let d = 0; d < dim; d++) qq += q[d] * q[d];
  if (qq === 0) return out;
  for (let i = 0; i < n; i++) {
    let dot = 0;
    let vv = 0;
    for (let d = 0; d < dim; d++) {
      const v = vectors[i * dim + d];
      dot += q[d] * v;
      vv += v * v;
    }
    if (vv > 0) out[i] = dot / Math.sqrt(qq * vv);
  }
  return out;
}

/**
 * Co-rating cosine of `item` to every item over the training data: |U_i ∩ U_j| / √(|U_i|·|U_j|),
 * where U_i are the users who rated i. The fallback of models without item vectors.
 */
export function coRatingCosine(lists: UserItems | null, nItems: number, item: number): Float32Array {
  const out = new Float32Array(nItems).fill(NaN);
  if (!lists || !(item >= 0 && item < nItems)) return out;
  const raters = new Int32Array(nItems);
  const common = new Int32Array(nItems);
  const nUsers = lists.offsets.length - 1;
  for (let u = 0; u < nUsers; u++) {
    const row = lists.items.subarray(lists.offsets[u], lists.offsets[u + 1]);
    for (const i of row) raters[i]++;
    // Binary search: rows are sorted.
    if (binaryHas(row, item)) for (const i of row) common[i]++;
  }
  if (raters[item] === 0) return out;
  for (let i = 0; i < nItems; i++) if (raters[i] > 0) out[i] = common[i] / Math.sqrt(raters[item] * raters[i]);
  return out;
}

function binaryHas(sorted: Int32Array, v: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] === v;
}
