// Time-gap buckets: log-scale minutes, 0 for no (or unknown) time, capped at the last bucket.
import { describe, expect, it } from 'vitest';
import { GAP_BUCKETS, gapBucket } from '../../src/data/time-gaps.js';
import { lastGaps } from '../../src/data/history-rows.js';

describe('gapBucket', () => {
  it('buckets seconds by ⌈log2(1 + minutes)⌉', () => {
    expect([0, -5, NaN].map(gapBucket)).toEqual([0, 0, 0]);
    expect(gapBucket(30)).toBe(1); // ⌈log2 1.5⌉
    expect(gapBucket(60)).toBe(1);
    expect(gapBucket(120)).toBe(2); // ⌈log2 3⌉
    expect(gapBucket(86_400)).toBe(11); // a day: ⌈log2 1441⌉
    expect(gapBucket(10 * 365 * 86_400)).toBe(GAP_BUCKETS - 1);
  });

  it('lastGaps gives each kept event its gap to now, or to the latest event, with −1 padding', () => {
    // User 0: events at t = 0, 60, 600 (rows 0..2); user 1: none; user 2: one at t = 7200 (row 3).
    const h = { start: Int32Array.of(0, 3, 3, 4), items: Int32Array.of(5, 6, 7, 8), rows: Int32Array.of(0, 1, 2, 3) };
    const times = Float64Array.of(0, 60, 600, 7200);
    // L = 2 keeps the last two events of user 0: gaps 540 s (⌈log2 10⌉ = 4) and 0.
    expect(Array.from(lastGaps(h, 2, times, null))).toEqual([4, 0, -1, -1, -1, 0]);
    // At now = 3600 for user 0 (NaN: user 2 counts from her latest event).
    expect(Array.from(lastGaps(h, 2, times, Float64Array.of(3600, NaN, NaN)))).toEqual([gapBucket(3540), gapBucket(3000), -1, -1, -1, 0]);
  });
});
