import { describe, expect, it } from 'vitest';
import { pairedComparison } from '../../src/evaluation/paired-comparison.js';
import { rankingMetrics, type PerUserRanking } from '../../src/training/ranking-metrics.js';
import { interactions } from '../../src/data/interactions.js';
import { Rng } from '../../src/random.js';

function perUser(users: number[], precision: number[], auc = precision): PerUserRanking {
  const f = (x: number[]) => Float64Array.from(x);
  return { users: Int32Array.from(users), hr: f(precision), precision: f(precision), recall: f(precision), ndcg: f(precision), map: f(precision), auc: f(auc) };
}

describe('pairedComparison', () => {
  it('the mean of the per-user differences and its standard error, by hand', () => {
    const a = perUser([0, 1, 2, 3], [0.3, 0.5, 0.2, 0.4]);
    const b = perUser([0, 1, 2, 3], [0.1, 0.5, 0.1, 0.1]);
    // d = 0.2, 0, 0.1, 0.3: mean 0.15, sample variance 0.05 / 3, SE √(0.05 / 3 / 4).
    const c = pairedComparison(a, b);
    expect(c.users).toBe(4);
    const p = c.differences.find((d) => d.metric === 'precision')!;
    expect(p.difference).toBeCloseTo(0.15, 12);
    expect(p.standardError).toBeCloseTo(Math.sqrt(0.05 / 3 / 4), 12);
  });

  it('joins users by key and leaves out those only one side scored', () => {
    const a = perUser([0, 1, 2], [0.5, 0.4, 0.9]);
    const b = perUser([5, 6], [0.1, 0.2]); // other indexes: 5 ↔ 'u1', 6 ↔ 'u2'
    const c = pairedComparison(a, b, (u) => `u${u}`, (u) => `u${u - 4}`);
    expect(c.users).toBe(2);
    expect(c.differences[0].difference).toBeCloseTo(((0.4 - 0.1) + (0.9 - 0.2)) / 2, 12);
    expect(pairedComparison(perUser([0], [1]), perUser([0], [0])).differences[0].standardError).toBeNaN();
    expect(() => pairedComparison(perUser([0], [1]), perUser([1], [1]))).toThrow(/no user in common/);
  });
});

describe('rankingMetrics perUser', () => {
  it('per-user values whose means are the reported metrics', () => {
    const rng = new Rng(5);
    const nUsers = 40, nItems = 30;
    const users: number[] = [], items: number[] = [], ratings: number[] = [];
    for (let u = 0; u < nUsers; u++) for (let i = 0; i < nItems; i++) if (rng.uniform() < 0.3) (users.push(u), items.push(i), ratings.push(1 + Math.floor(rng.uniform() * 5)));
    const data = interactions(Int32Array.from(users), Int32Array.from(items), Float32Array.from(ratings));
    const scores = Float32Array.from({ length: nUsers * nItems }, () => rng.uniform());
    const score = (us: Int32Array) => {
      const out = new Float32Array(us.length * nItems);
      us.forEach((u, r) => out.set(scores.subarray(u * nItems, (u + 1) * nItems), r * nItems));
      return out;
    };
    const none = { offsets: new Int32Array(nUsers + 1), items: new Int32Array(0) };
    const m = rankingMetrics(score, nItems, null, data, { k: 5, exclude: none, itemSupport: new Int32Array(nItems).fill(10), perUser: true, usersPerCall: 7 });
    const p = m.perUser!;
    expect(p.users.length).toBe(m.users);
    expect([...p.users]).toEqual([...p.users].sort((x, y) => x - y));
    const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length;
    for (const f of ['hr', 'precision', 'recall', 'ndcg', 'map', 'auc'] as const) expect(mean(p[f]), f).toBeCloseTo(m[f], 12);
    expect(new Set(p.precision).size).toBeGreaterThan(1);
    expect(rankingMetrics(score, nItems, null, data, { k: 5, exclude: none, itemSupport: new Int32Array(nItems).fill(10) }).perUser).toBeUndefined();
  });
});
