// topK: the heap selection against the definition (sort everything, ties by lower index).
import { describe, expect, it } from 'vitest';
import { topK } from '../../src/models/topk.js';
import { Rng } from '../../src/random.js';

/** The definition: every kept entry sorted by score descending, then index ascending; the first k. */
function bySorting(scores: ArrayLike<number>, k: number, exclude?: ArrayLike<number>): number[] {
  const kept = Array.from({ length: scores.length }, (_, i) => i).filter((i) => !(exclude && exclude[i]) && !Number.isNaN(scores[i]));
  return kept.sort((a, b) => scores[b] - scores[a] || a - b).slice(0, Math.max(0, k));
}

describe('topK', () => {
  it('returns the best k, best first, with their scores', () => {
    const r = topK(Float32Array.of(0.1, 0.9, 0.5, -2, 0.7), 3);
    expect(Array.from(r.indices)).toEqual([1, 4, 2]);
    expect(Array.from(r.scores)).toEqual([0.9, 0.7, 0.5].map(Math.fround));
  });

  it('breaks ties by the lower index, also across the heap boundary', () => {
    const scores = [1, 3, 3, 2, 3, 3];
    expect(Array.from(topK(scores, 2).indices)).toEqual([1, 2]);
    expect(Array.from(topK(scores, 3).indices)).toEqual([1, 2, 4]);
    expect(Array.from(topK(scores, 5).indices)).toEqual([1, 2, 4, 5, 3]);
    // Equal scores only: the order is the index order.
    expect(Array.from(topK(new Float32Array(7), 4).indices)).toEqual([0, 1, 2, 3]);
  });

  it('skips NaN scores and excluded entries, and keeps ±Infinity', () => {
    const scores = [NaN, 1, NaN, 2, -Infinity, Infinity, 5];
    const exclude = Uint8Array.of(0, 0, 0, 0, 0, 0, 1);
    const r = topK(scores, 10, exclude);
    expect(Array.from(r.indices)).toEqual([5, 3, 1, 4]);
    expect(Array.from(r.scores)).toEqual([Infinity, 2, 1, -Infinity]);
    expect(topK([NaN, NaN], 2).indices).toHaveLength(0);
    expect(topK([1, 2, 3], 3, [1, 1, 1]).indices).toHaveLength(0);
  });

  it('returns every kept entry when k exceeds them, and nothing for k = 0 or no scores', () => {
    expect(Array.from(topK([2, 0, 1], 50).indices)).toEqual([0, 2, 1]);
    const none = topK([2, 0, 1], 0);
    expect(none.indices).toHaveLength(0);
    expect(none.scores).toHaveLength(0);
    expect(topK([], 5).indices).toHaveLength(0);
  });

  it('agrees with sorting on random scores full of ties, with and without exclusions', () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + rng.int(60);
      // Few distinct values so that ties are everywhere; some NaN.
      const scores = Float32Array.from({ length: n }, () => (rng.uniform() < 0.1 ? NaN : rng.int(6) - 2));
      const exclude = trial % 2 ? Uint8Array.from({ length: n }, () => (rng.uniform() < 0.3 ? 1 : 0)) : undefined;
      const k = rng.int(n + 3);
      const r = topK(scores, k, exclude);
      const want = bySorting(scores, k, exclude);
      expect(Array.from(r.indices), `trial ${trial}`).toEqual(want);
      expect(Array.from(r.scores)).toEqual(want.map((i) => scores[i]));
    }
  });
});
