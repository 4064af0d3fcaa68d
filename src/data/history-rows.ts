// A user's latest events as fixed-width rows, what the sequence models (../models/
// sequence-model.ts) encode and serve from: item ids, and their time gaps to the prediction.

import type { Histories } from './histories.js';
import type { IdIndex } from './interactions.js';
import { gapBucket } from './time-gaps.js';

/**
 * The gap buckets of lastItems' events (−1 = padding): each event's time to `now[u]`, or to
 * the user's latest event when now (or now[u]) is null (NaN). `times` are the timestamps of the rows h indexes.
 */
export function lastGaps(h: Histories, L: number, times: Float64Array, now: Float64Array | null): Int32Array {
  const users = h.start.length - 1;
  const out = new Int32Array(users * L).fill(-1);
  for (let u = 0; u < users; u++) {
    if (h.start[u + 1] === h.start[u]) continue;
    const at = now && !Number.isNaN(now[u]) ? now[u] : times[h.rows[h.start[u + 1] - 1]];
    const from = Math.max(h.start[u], h.start[u + 1] - L);
    for (let e = from; e < h.start[u + 1]; e++) out[u * L + (L - (h.start[u + 1] - e))] = gapBucket(at - times[h.rows[e]]);
  }
  return out;
}

/** The last L items of each history as rows (rows × L, most recent in slot L−1, −1 = padding). */
export function lastItems(h: Histories, L: number): Int32Array {
  const users = h.start.length - 1;
  const out = new Int32Array(users * L).fill(-1);
  for (let u = 0; u < users; u++) {
    const from = Math.max(h.start[u], h.start[u + 1] - L);
    for (let e = from; e < h.start[u + 1]; e++) out[u * L + (L - (h.start[u + 1] - e))] = h.items[e];
  }
  return out;
}

/**
 * A session's known items as one history row (L, −1 = padding, the latest last), the known
 * indices, the unknown ids and, given `times` (one per item), the kept items' times.
 */
export function sessionRow(index: IdIndex, items: readonly string[], L: number, times: readonly number[] | null = null): { row: Int32Array; known: number[]; unknown: string[]; keptTimes: number[] | null } {
  if (times && times.length !== items.length) throw new Error(`recommendForHistory: ${items.length} items but ${times.length} times`);
  const known: number[] = [];
  const knownTimes: number[] = [];
  const unknown: string[] = [];
  items.forEach((id, k) => {
    const i = index.get(String(id));
    if (i < 0) unknown.push(String(id));
    else {
      known.push(i);
      if (times) knownTimes.push(times[k]);
    }
  });
  const row = new Int32Array(L).fill(-1);
  const kept = known.slice(-L);
  row.set(kept, L - kept.length);
  return { row, known, unknown, keptTimes: times ? knownTimes.slice(-L) : null };
}
