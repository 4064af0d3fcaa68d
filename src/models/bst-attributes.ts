// What each history token of BST (./bst.ts) carries besides its item and position: the
// event's rating (eventRatings) and its time gap (timeGaps), as one bucket id of a small
// embedding table (src/nn/event-embedding.ts) — rating bucket × GAP_BUCKETS + gap bucket.
//
// The gap of event k is to the user's NEXT event, t(k+1) − t(k), and for her latest event to
// the moment of the prediction. Under the causal block the query at position j (scoring the
// event j + 1) so sees when it is asked (BST's "time to the recommendation"), never what comes
// next; an event-to-target gap per (query, key) pair would need a pair-wise attention bias.

import type { Histories } from '../data/histories.js';
import { GAP_BUCKETS, gapBucket } from '../data/time-gaps.js';
import { RATING_BUCKETS, ratingBucket } from '../nn/event-embedding.js';
import { stateTensor, type ModelState } from './state.js';

/** Which attributes the tokens carry. */
export interface EventAttributes {
  ratings: boolean;
  gaps: boolean;
}

/** Rows of the attribute table (0: no attribute, no table). */
export function attributeBuckets(a: EventAttributes): number {
  if (!a.ratings && !a.gaps) return 0;
  return (a.ratings ? RATING_BUCKETS : 1) * (a.gaps ? GAP_BUCKETS : 1);
}

/** The table's name in model files: `event_ratings` as before time gaps, else `event_attributes`. */
export function attributeTableName(a: EventAttributes): string {
  return a.gaps ? 'event_attributes' : 'event_ratings';
}

/** The bucket id of an event of `rating` (NaN: unknown) whose gap is `gapSeconds` (NaN: unknown). */
function bucketOf(a: EventAttributes, rating: number, gapSeconds: number): number {
  const r = a.ratings ? ratingBucket(rating) : 0;
  return a.gaps ? r * GAP_BUCKETS + gapBucket(gapSeconds) : r;
}

/**
 * One id per history event (h's order), for training: ratings[h.rows[e]] and the gap to the
 * user's next event (her last has none: it is only ever a target). Undefined without attributes.
 */
export function trainingAttributes(a: EventAttributes, h: Histories, ratings: Float32Array, times: Float64Array | null): Int32Array | undefined {
  if (!a.ratings && !a.gaps) return undefined;
  if (a.gaps && !times) throw new Error('bst: timeGaps needs the events\' timestamps; these interactions have none');
  const out = new Int32Array(h.items.length);
  for (let u = 0; u + 1 < h.start.length; u++) {
    for (let e = h.start[u]; e < h.start[u + 1]; e++) {
      const gap = a.gaps && e + 1 < h.start[u + 1] ? times![h.rows[e + 1]] - times![h.rows[e]] : NaN;
      out[e] = bucketOf(a, ratings[h.rows[e]], gap);
    }
  }
  return out;
}

/**
 * Each user's latest L events' ids (nUsers × L aligned with lastItems, 0 = padding): gaps to
 * the next event, the latest one's to `now[u]` (default: her latest event's time, gap 0).
 */
export function servingAttributes(a: EventAttributes, h: Histories, ratings: Float32Array, times: Float64Array | null, L: number, now: Float64Array | null): Int32Array | null {
  if (!a.ratings && !a.gaps) return null;
  if (a.gaps && !times) throw new Error('bst: timeGaps needs the events\' timestamps; these interactions have none');
  const users = h.start.length - 1;
  const out = new Int32Array(users * L);
  for (let u = 0; u < users; u++) {
    const end = h.start[u + 1];
    if (end === h.start[u]) continue;
    const at = now && !Number.isNaN(now[u]) ? now[u] : a.gaps ? times![h.rows[end - 1]] : NaN;
    for (let e = Math.max(h.start[u], end - L); e < end; e++) {
      const next = e + 1 < end ? times?.[h.rows[e + 1]] ?? NaN : at;
      out[u * L + L - (end - e)] = bucketOf(a, ratings[h.rows[e]], a.gaps ? next - times![h.rows[e]] : NaN);
    }
  }
  return out;
}

/**
 * A session's row (L, aligned with sessionRow's items, the latest last): no ratings; with
 * `times` (seconds, one per kept item) the gaps between them, the latest's unknown.
 */
export function sessionAttributes(a: EventAttributes, L: number, kept: number, times: readonly number[] | null): Int32Array | null {
  if (!a.ratings && !a.gaps) return null;
  const out = new Int32Array(L);
  for (let k = 0; k < kept; k++) {
    const gap = times && k + 1 < kept ? times[k + 1] - times[k] : NaN;
    out[L - kept + k] = bucketOf(a, NaN, gap);
  }
  return out;
}

/** Reads the saved rows (tensor `historyRatings`, its name from before time gaps), checking every id. */
export function importAttributes(a: EventAttributes, state: ModelState, nUsers: number, L: number): Int32Array | null {
  const buckets = attributeBuckets(a);
  if (buckets === 0) return null;
  const b = stateTensor(state, 'historyRatings', Int32Array, nUsers * L);
  if (!b.every((x) => x >= 0 && x < buckets)) throw new Error(`bst: saved tensor 'historyRatings' holds an event attribute outside [0, ${buckets})`);
  return b.slice();
}
