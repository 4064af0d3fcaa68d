import { describe, expect, it } from 'vitest';
import { cooccurrenceGraph } from '../../src/data/cooccurrence.js';
import { interactions } from '../../src/data/interactions.js';

describe('cooccurrenceGraph', () => {
  // Users 0-3 like items 0 and 1 together; user 4 likes 0 and 2; user 5 likes 3 only; low ratings do not count.
  const pairs = [[0, 0], [0, 1], [1, 0], [1, 1], [2, 0], [2, 1], [3, 0], [3, 1], [4, 0], [4, 2], [5, 3], [5, 2]];
  const ratings = pairs.map(([u, i]) => (u === 5 && i === 2 ? 2 : 5));
  const data = interactions(Int32Array.from(pairs, (p) => p[0]), Int32Array.from(pairs, (p) => p[1]), Float32Array.from(ratings));

  it('links items liked together by enough users, weighted by PMI, in both directions', () => {
    const g = cooccurrenceGraph(data, 4, { minCount: 1, minPmi: -Infinity });
    // 6 users liked something; c0 = 5, c1 = 4, c2 = 1, c01 = 4, c02 = 1.
    expect([...g.rowPtr]).toEqual([0, 2, 3, 4, 4]);
    expect([...g.col]).toEqual([1, 2, 0, 0]);
    expect(g.weight[0]).toBeCloseTo(Math.log((4 * 6) / (5 * 4)), 6);
    expect(g.weight[1]).toBeCloseTo(Math.log((1 * 6) / (5 * 1)), 6);
    expect(g.weight[2]).toBe(g.weight[0]);
  });

  it('drops pairs below minCount and at or below minPmi', () => {
    expect([...cooccurrenceGraph(data, 4, { minCount: 2, minPmi: -Infinity }).col]).toEqual([1, 0]);
    const positive = cooccurrenceGraph(data, 4, { minCount: 1 });
    expect(positive.col.length).toBe(4);
    expect([...cooccurrenceGraph(data, 4, { minCount: 1, minPmi: 0.2 }).col]).toEqual([]);
  });
});
