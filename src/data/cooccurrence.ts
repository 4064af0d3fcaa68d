// An item–item graph from the training data alone: items linked when enough users liked both,
// weighted by pointwise mutual information (as the Keras Node2Vec example builds its MovieLens
// graph). Node2Vec walks it; graph layers aggregate over it.

import type { CsrGraph } from './edges.js';
import type { Interactions } from './interactions.js';

export interface CooccurrenceOptions {
  /** Interactions with a rating ≥ this count (default 4: "liked"); -Infinity counts all. */
  threshold?: number;
  /** Pairs liked together by fewer users are not linked (default 5). */
  minCount?: number;
  /** Links with PMI ≤ this are dropped (default 0: only pairs seen together more than chance). */
  minPmi?: number;
}

/** Dense pair counts up to this many items (4096² u32 = 64 MB); a Map beyond. */
const DENSE_LIMIT = 4096;

/**
 * The undirected co-occurrence graph of `nItems` items: weight = PMI = log(c_ij · U / (c_i c_j))
 * with c_ij the users who liked both, c_i those who liked i, U the users who liked anything.
 *
 * @example
 * const g = cooccurrenceGraph(split.train, dataset.itemIndex.ids.length, { minCount: 10 });
 */
export function cooccurrenceGraph(train: Interactions, nItems: number, opts: CooccurrenceOptions = {}): CsrGraph {
  const threshold = opts.threshold ?? 4;
  const minCount = opts.minCount ?? 5;
  const minPmi = opts.minPmi ?? 0;
  const liked = new Map<number, number[]>();
  for (let x = 0; x < train.length; x++) {
    if (!(train.ratings[x] >= threshold)) continue;
    let list = liked.get(train.users[x]);
    if (!list) liked.set(train.users[x], (list = []));
    list.push(train.items[x]);
  }
  const itemCount = new Float64Array(nItems);
  const dense = nItems <= DENSE_LIMIT ? new Uint32Array(nItems * nItems) : null;
  const sparse = dense ? null : new Map<number, number>();
  for (const list of liked.values()) {
    const items = [...new Set(list)].sort((a, b) => a - b);
    for (const i of items) itemCount[i]++;
    for (let a = 0; a < items.length; a++) {
      for (let b = a + 1; b < items.length; b++) {
        const key = items[a] * nItems + items[b];
        if (dense) dense[key]++;
        else sparse!.set(key, (sparse!.get(key) ?? 0) + 1);
      }
    }
  }
  const rows: [number, number][][] = Array.from({ length: nItems }, () => []);
  const users = liked.size;
  const add = (key: number, c: number) => {
    if (c < minCount) return;
    const i = Math.floor(key / nItems);
    const j = key - i * nItems;
    const pmi = Math.log((c * users) / (itemCount[i] * itemCount[j]));
    if (pmi <= minPmi) return;
    rows[i].push([j, pmi]);
    rows[j].push([i, pmi]);
  };
  if (dense) for (let key = 0; key < dense.length; key++) dense[key] && add(key, dense[key]);
  else for (const [key, c] of sparse!) add(key, c);
  const rowPtr = new Int32Array(nItems + 1);
  rows.forEach((r, i) => (rowPtr[i + 1] = rowPtr[i] + r.length));
  const col = new Int32Array(rowPtr[nItems]);
  const weight = new Float32Array(col.length);
  rows.forEach((r, i) => {
    r.sort((a, b) => a[0] - b[0]);
    r.forEach(([j, w], k) => {
      col[rowPtr[i] + k] = j;
      weight[rowPtr[i] + k] = w;
    });
  });
  return { nodes: nItems, rowPtr, col, weight };
}
