import { describe, expect, it } from 'vitest';
import { interactions } from '../../src/data/interactions.js';
import { rankingMetrics, positivesByUser } from '../../src/training/ranking-metrics.js';

const data = (rows: [number, number, number][]) =>
  interactions(Int32Array.from(rows, (r) => r[0]), Int32Array.from(rows, (r) => r[1]), Float32Array.from(rows, (r) => r[2]));

describe('ranking metrics', () => {
  // 6 items; user 0 rated item 0 in training; its test positives are items 2 and 4
  // (item 5 rated 2 is not a positive).
  const train = data([[0, 0, 5]]);
  const test = data([[0, 2, 4], [0, 4, 5], [0, 5, 2]]);
  // Ranking of candidates 1..5 by score: 2, 1, 5, 4, 3 (item 0 excluded though scored best).
  const scores = new Float32Array([9, 0.8, 0.9, 0.1, 0.3, 0.5]);
  const score = (users: Int32Array) => {
    const out = new Float32Array(users.length * 6);
    for (let b = 0; b < users.length; b++) out.set(scores, b * 6);
    return out;
  };

  it('matches hand-computed values at K=2 and K=4', () => {
    const at2 = rankingMetrics(score, 6, train, test, { k: 2 });
    expect(at2.users).toBe(1);
    expect(at2.hr).toBe(1);
    expect(at2.precision).toBeCloseTo(1 / 2);
    expect(at2.recall).toBeCloseTo(1 / 2);
    expect(at2.ndcg).toBeCloseTo(1 / (1 + 1 / Math.log2(3)));
    expect(at2.map).toBeCloseTo(1 / 2);
    // Positives 2 (rank 1) and 4 (rank 4) against negatives 1, 5, 3: 3 + 1 of 6 pairs.
    expect(at2.auc).toBeCloseTo(4 / 6);
    const at4 = rankingMetrics(score, 6, train, test, { k: 4 });
    expect(at4.recall).toBe(1);
    expect(at4.precision).toBeCloseTo(2 / 4);
    expect(at4.ndcg).toBeCloseTo((1 + 1 / Math.log2(5)) / (1 + 1 / Math.log2(3)));
    expect(at4.map).toBeCloseTo((1 + 2 / 4) / 2);
  });

  it('counts ties as half in the AUC and ignores users without test positives', () => {
    const flat = (users: Int32Array) => new Float32Array(users.length * 6).fill(1);
    const m = rankingMetrics(flat, 6, train, data([...[[0, 2, 4], [0, 4, 5]] as [number, number, number][], [1, 3, 1]]), { k: 2 });
    expect(m.users).toBe(1);
    expect(m.auc).toBeCloseTo(0.5);
  });

  it('groups positives by user, deduplicated, with the threshold', () => {
    const p = positivesByUser(data([[0, 1, 4], [0, 1, 5], [0, 2, 3], [1, 2, 4]]), 4);
    expect(Array.from(p.get(0)!)).toEqual([1]);
    expect(Array.from(p.get(1)!)).toEqual([2]);
  });
});
