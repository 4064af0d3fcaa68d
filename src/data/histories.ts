// Behaviour histories: each user's events in time order (ties in file order), the input of
// sequence models and of the next-item split and metrics.

import type { Interactions } from './interactions.js';

/** Per-user event lists in CSR form: user u's items are items[start[u] .. start[u+1]), oldest first. */
export interface Histories {
  readonly start: Int32Array;
  readonly items: Int32Array;
  /** Row of each event in the Interactions it came from. */
  readonly rows: Int32Array;
}

export interface HistoryOptions {
  /** Only ratings ≥ this are events (default: every interaction). */
  threshold?: number;
}

/**
 * Groups the interactions by user, each user's in time order (without timestamps: file
 * order). Built from whatever it is given — pass the training part only, so that no model
 * sees a test event.
 *
 * @example
 * const h = buildHistories(split.train, nUsers, { threshold: 3 });
 * const lastOf7 = h.items[h.start[8] - 1];
 */
export function buildHistories(data: Interactions, nUsers: number, opts: HistoryOptions = {}): Histories {
  const threshold = opts.threshold ?? -Infinity;
  const ts = data.timestamps;
  const rows: number[] = [];
  for (let r = 0; r < data.length; r++) if (data.ratings[r] >= threshold) rows.push(r);
  rows.sort((a, b) => data.users[a] - data.users[b] || (ts ? ts[a] - ts[b] : 0) || a - b);
  const start = new Int32Array(nUsers + 1);
  for (const r of rows) start[data.users[r] + 1]++;
  for (let u = 0; u < nUsers; u++) start[u + 1] += start[u];
  return { start, items: Int32Array.from(rows, (r) => data.items[r]), rows: Int32Array.from(rows) };
}

/** User u's items, oldest first (a view, not a copy). */
export function historyOf(h: Histories, u: number): Int32Array {
  return h.items.subarray(h.start[u], h.start[u + 1]);
}
