// Next-item metrics, the protocol to trust (Krichene & Rendle, KDD 2020): the held-out next
// event is ranked against every item not in the user's earlier history. The sampled
// variant (100 random negatives) is computed too, labelled, because published numbers mix
// the two and differ about 3× between them.

import type { Histories } from '../data/histories.js';
import type { Interactions } from '../data/interactions.js';
import { Rng } from '../random.js';
import { tieOrder, type ScoreItems } from './ranking-metrics.js';

export interface NextItemMetrics {
  hr_at_10: number;
  ndcg_at_10: number;
  mrr: number;
  /** Test events ranked (one per user in a last-item split). */
  users: number;
  /** The same against 100 sampled negatives (not comparable with the full-ranking numbers). */
  sampled_100: { hr_at_10: number; ndcg_at_10: number; mrr: number };
}

export interface NextItemOptions {
  /** Cut-off of HR and NDCG (default 10). */
  k?: number;
  /** Seed of the sampled negatives (default 42). */
  seed?: number;
  /** Users scored per call (default 256). */
  batch?: number;
}

const SAMPLED = 100;

/**
 * HR@k, NDCG@k and MRR of each test event (user, item) among all items the user has not
 * interacted with before it (`before`: her earlier events). Ties are broken by a fixed
 * scramble of item indices, so a model that scores everything equal gets chance, not 1.
 *
 * @example
 * const m = nextItemMetrics((u) => model.rankingScores(u, 0), nItems, split.test, buildHistories(concatInteractions(train, validation), nUsers));
 */
export function nextItemMetrics(scores: ScoreItems, nItems: number, test: Interactions, before: Histories, opts: NextItemOptions = {}): NextItemMetrics {
  const k = opts.k ?? 10;
  const batch = opts.batch ?? 256;
  const rng = new Rng(opts.seed ?? 42);
  const full = { hr: 0, ndcg: 0, mrr: 0 };
  const sampled = { hr: 0, ndcg: 0, mrr: 0 };
  const seen = new Uint8Array(nItems);
  const add = (acc: typeof full, rank: number) => {
    if (rank <= k) {
      acc.hr++;
      acc.ndcg += 1 / Math.log2(rank + 1);
    }
    acc.mrr += 1 / rank;
  };
  for (let from = 0; from < test.length; from += batch) {
    const m = Math.min(batch, test.length - from);
    const s = scores(test.users.subarray(from, from + m));
    for (let r = 0; r < m; r++) {
      const u = test.users[from + r];
      const target = test.items[from + r];
      const row = s.subarray(r * nItems, (r + 1) * nItems);
      for (let e = before.start[u]; e < before.start[u + 1]; e++) seen[before.items[e]] = 1;
      seen[target] = 0;
      const beats = (j: number) => !seen[j] && j !== target && outranks(row, j, target);
      let greater = 0;
      for (let j = 0; j < nItems; j++) if (beats(j)) greater++;
      add(full, greater + 1);
      let sampledGreater = 0;
      // Rejection sampling needs unseen items to draw: a user who has seen them all has none.
      const unseen = nItems - 1 - (before.start[u + 1] - before.start[u]);
      for (let n = 0; n < SAMPLED && unseen > 0; n++) {
        let j: number;
        do j = rng.int(nItems);
        while (seen[j] || j === target);
        if (outranks(row, j, target)) sampledGreater++;
      }
      add(sampled, sampledGreater + 1);
      for (let e = before.start[u]; e < before.start[u + 1]; e++) seen[before.items[e]] = 0;
    }
  }
  const n = Math.max(1, test.length);
  return {
    hr_at_10: full.hr / n, ndcg_at_10: full.ndcg / n, mrr: full.mrr / n, users: test.length,
    sampled_100: { hr_at_10: sampled.hr / n, ndcg_at_10: sampled.ndcg / n, mrr: sampled.mrr / n },
  };
}

/** Whether item j ranks above the target: a higher score, or an equal one earlier in the fixed tie order. NaN never ranks above. */
function outranks(row: Float32Array, j: number, target: number): boolean {
  const a = row[j];
  const b = row[target];
  if (Number.isNaN(a)) return false;
  if (Number.isNaN(b)) return true;
  return a > b || (a === b && tieOrder(j) < tieOrder(target));
}
