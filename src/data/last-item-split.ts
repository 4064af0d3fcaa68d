// Leave-one-out by time, the protocol of sequential recommenders (SASRec, RecBole): each
// user's last event is her test target, the one before it validation, the rest training.

import type { Dataset } from './dataset.js';
import { DataError } from './errors.js';
import { buildHistories } from './histories.js';
import { subset, type Interactions } from './interactions.js';
import { splitReport, type SplitWithReport } from './split-report.js';

export interface LastItemOptions {
  /** Only ratings ≥ this are events (default 3, RecBole's MovieLens protocol); -Infinity: all. */
  threshold?: number;
}

/** A last-item split: `test` holds each user's last event, `validation` the one before. */
export interface LastItemSplit extends SplitWithReport {
  readonly validation: Interactions;
}

/**
 * The split of the events (ratings ≥ threshold) by time: users with fewer than three events
 * are left out (no training event would be left). Fails naming the ratings file when the
 * data has no timestamps.
 *
 * @example
 * const s = lastItemSplit(dataset); // s.test: one event per user
 */
export function lastItemSplit(dataset: Pick<Dataset, 'ratings' | 'report' | 'userIndex'>, opts: LastItemOptions = {}): LastItemSplit {
  const data = dataset.ratings;
  if (!data.timestamps) throw new DataError(dataset.report.files[0] ?? 'ratings', 0, 'timestamp', 'a last-item split orders events by time; these ratings have no timestamps');
  const threshold = opts.threshold ?? 3;
  const h = buildHistories(data, dataset.userIndex.ids.length, { threshold });
  const train: number[] = [];
  const validation: number[] = [];
  const test: number[] = [];
  for (let u = 0; u + 1 < h.start.length; u++) {
    const n = h.start[u + 1] - h.start[u];
    if (n < 3) continue;
    for (let k = h.start[u]; k < h.start[u + 1] - 2; k++) train.push(h.rows[k]);
    validation.push(h.rows[h.start[u + 1] - 2]);
    test.push(h.rows[h.start[u + 1] - 1]);
  }
  const parts = { train: subset(data, train), validation: subset(data, validation), test: subset(data, test) };
  return { name: `last-item(ratings ≥ ${threshold})`, ...parts, report: splitReport(parts.train, parts.test) };
}
