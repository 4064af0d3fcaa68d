// Random walks: DeepWalk steps follow the edge weights, Node2Vec's q sends walks further
// from their start and p back to where they came from, and walks repeat per seed.
import { describe, expect, it } from 'vitest';
import { randomWalks, type WalkGraph } from '../../src/preprocessing/random-walks.js';

/** An undirected graph from edge triples. */
function graphOf(nodes: number, edges: [number, number, number][]): WalkGraph {
  const lists: [number, number][][] = Array.from({ length: nodes }, () => []);
  for (const [a, b, w] of edges) lists[a].push([b, w]), lists[b].push([a, w]);
  const rowPtr = new Int32Array(nodes + 1);
  lists.forEach((l, n) => (rowPtr[n + 1] = rowPtr[n] + l.length));
  const flat = lists.flatMap((l) => l.sort((x, y) => x[0] - y[0]));
  return { nodes, rowPtr, col: Int32Array.from(flat, (e) => e[0]), weight: Float32Array.from(flat, (e) => e[1]) };
}

/** A ring of n nodes, each linked to its two neighbours. */
const ring = (n: number) => graphOf(n, Array.from({ length: n }, (_, k) => [k, (k + 1) % n, 1] as [number, number, number]));

describe('randomWalks', () => {
  it('DeepWalk (p = q = 1): transitions out of a node are in proportion to the edge weights', () => {
    const g = graphOf(4, [[0, 1, 1], [0, 2, 2], [0, 3, 5]]);
    const walks = randomWalks(g, { walksPerNode: 4000, length: 3, seed: 7 });
    const from0 = new Float64Array(4);
    for (let s = 0; s + 1 < walks.offsets.length; s++) {
      for (let k = walks.offsets[s]; k + 1 < walks.offsets[s + 1]; k++) if (walks.tokens[k] === 0) from0[walks.tokens[k + 1]]++;
    }
    const total = from0[1] + from0[2] + from0[3];
    expect(total).toBeGreaterThan(5000);
    expect(Math.abs(from0[1] / total - 1 / 8)).toBeLessThan(0.02);
    expect(Math.abs(from0[2] / total - 2 / 8)).toBeLessThan(0.02);
    expect(Math.abs(from0[3] / total - 5 / 8)).toBeLessThan(0.02);
    // Leaves 1, 2, 3 have only node 0 to go to.
    expect(from0[0]).toBe(0);
  });

  it('a small q sends walks further from their start than a large one, and a small p returns more often', () => {
    const n = 200;
    const g = ring(n);
    const stats = (p: number, q: number) => {
      const w = randomWalks(g, { walksPerNode: 5, length: 20, p, q, seed: 3 });
      let dist = 0, back = 0, steps = 0;
      for (let s = 0; s + 1 < w.offsets.length; s++) {
        const start = w.tokens[w.offsets[s]];
        const end = w.tokens[w.offsets[s + 1] - 1];
        const d = Math.abs(end - start);
        dist += Math.min(d, n - d);
        for (let k = w.offsets[s] + 2; k < w.offsets[s + 1]; k++) (back += +(w.tokens[k] === w.tokens[k - 2])), steps++;
      }
      const walks = w.offsets.length - 1;
      return { dist: dist / walks, back: back / steps };
    };
    const outward = stats(1, 0.25);
    const deepwalk = stats(1, 1);
    const inward = stats(1, 4);
    expect(outward.dist).toBeGreaterThan(1.5 * deepwalk.dist);
    expect(deepwalk.dist).toBeGreaterThan(1.2 * inward.dist);
    // On a ring, a step either returns (weight 1/p) or moves on (1/q): P(back) = (1/p) / (1/p + 1/q).
    expect(deepwalk.back).toBeCloseTo(0.5, 1);
    expect(stats(0.25, 1).back).toBeCloseTo(0.8, 1);
  });

  it('repeats per seed, starts every node walksPerNode times, and stops at nodes without out-edges', () => {
    const g = ring(10);
    const a = randomWalks(g, { walksPerNode: 3, length: 5, seed: 1, q: 0.5 });
    expect(Array.from(randomWalks(g, { walksPerNode: 3, length: 5, seed: 1, q: 0.5 }).tokens)).toEqual(Array.from(a.tokens));
    expect(a.offsets.length - 1).toBe(30);
    expect(a.tokens.length).toBe(150);
    // Directed 0 → 1 → 2, and 2 has no out-edges.
    const chain: WalkGraph = { nodes: 3, rowPtr: Int32Array.of(0, 1, 2, 2), col: Int32Array.of(1, 2) };
    const c = randomWalks(chain, { walksPerNode: 1, length: 10, seed: 1 });
    const walks = Array.from({ length: c.offsets.length - 1 }, (_, s) => Array.from(c.tokens.subarray(c.offsets[s], c.offsets[s + 1])).join(''));
    expect(walks.sort()).toEqual(['012', '12']);
    expect(() => randomWalks(chain, { p: 0 })).toThrow(/p and q/);
  });
});
