// Negative sampling: never a positive of the user, the asked-for distribution over the
// items that have positives, and the same draws for the same seed.
import { describe, expect, it } from 'vitest';
import { interactions, type Interactions } from '../../src/data/interactions.js';
import { Rng } from '../../src/random.js';
import { NegativeSampler } from '../../src/training/negatives.js';

const N_ITEMS = 30;
/** Item i < 20 has i + 1 positives; items 20..29 have none. User 40 has no positives. */
function positives(): Interactions {
  const users: number[] = [];
  const items: number[] = [];
  for (let i = 0; i < 20; i++) for (let c = 0; c <= i; c++) {
    users.push((i * 7 + c * 3) % 40);
    items.push(i);
  }
  // Duplicate pairs would make popularity counts differ from i + 1.
  expect(new Set(users.map((u, r) => u * N_ITEMS + items[r])).size).toBe(users.length);
  return interactions(Int32Array.from(users), Int32Array.from(items), new Float32Array(users.length).fill(1));
}

/** Pearson's χ² of observed counts against expected probabilities. */
function chiSquare(counts: number[], probs: number[], n: number): number {
  return counts.reduce((s, c, i) => s + (c - n * probs[i]) ** 2 / (n * probs[i]), 0);
}

/**
 * A χ² bound no fair sampler reaches: the statistic has mean dof and std √(2·dof), so
 * dof + 12·√(2·dof) is beyond any p-value that matters (the draws are seeded anyway).
 */
const chiBound = (dof: number) => dof + 12 * Math.sqrt(2 * dof);

function histogram(sampler: NegativeSampler, user: number, n: number, seed: number): number[] {
  const rng = new Rng(seed);
  const counts = new Array<number>(N_ITEMS).fill(0);
  for (let d = 0; d < n; d++) counts[sampler.sample(user, rng)]++;
  return counts;
}

const DRAWS = 60_000;

describe('NegativeSampler', () => {
  const train = positives();

  it.each(['uniform', 'popularity'] as const)('%s: never returns one of the user\'s positives, nor an item without positives', (mode) => {
    const sampler = new NegativeSampler(train, N_ITEMS, mode);
    const rng = new Rng(17);
    for (let u = 0; u < 40; u++) {
      const own = new Set(Array.from(train.items).filter((_, r) => train.users[r] === u));
      expect(own.size).toBeGreaterThan(0);
      const drawn = new Set(Array.from({ length: 500 }, () => sampler.sample(u, rng)));
      expect([...drawn].filter((i) => own.has(i) || sampler.isPositive(u, i) || i >= 20), `user ${u}`).toEqual([]);
      // Enough draws to see most of the allowed items.
      expect(drawn.size).toBeGreaterThan(10);
      for (const i of own) expect(sampler.isPositive(u, i)).toBe(true);
    }
  });

  it('uniform: every item with positives equally often', () => {
    const counts = histogram(new NegativeSampler(train, N_ITEMS, 'uniform'), 40, DRAWS, 1);
    const uniform = Array.from({ length: 20 }, () => 1 / 20);
    const popular = Array.from({ length: 20 }, (_, i) => (i + 1) / 210);
    expect(counts.slice(20).every((c) => c === 0)).toBe(true);
    expect(chiSquare(counts.slice(0, 20), uniform, DRAWS)).toBeLessThan(chiBound(19));
    // The test can tell the two distributions apart.
    expect(chiSquare(counts.slice(0, 20), popular, DRAWS)).toBeGreaterThan(100 * chiBound(19));
  });

  it('popularity: items in proportion to their positives', () => {
    const counts = histogram(new NegativeSampler(train, N_ITEMS, 'popularity'), 40, DRAWS, 1);
    const uniform = Array.from({ length: 20 }, () => 1 / 20);
    const popular = Array.from({ length: 20 }, (_, i) => (i + 1) / 210);
    expect(counts.slice(20).every((c) => c === 0)).toBe(true);
    expect(chiSquare(counts.slice(0, 20), popular, DRAWS)).toBeLessThan(chiBound(19));
    expect(chiSquare(counts.slice(0, 20), uniform, DRAWS)).toBeGreaterThan(100 * chiBound(19));
  });

  it('for a user with positives: the same distribution over the other items', () => {
    // User 0's positives are removed; the rest keep their relative weights.
    const own = new Set(Array.from(train.items).filter((_, r) => train.users[r] === 0));
    const others = Array.from({ length: 20 }, (_, i) => i).filter((i) => !own.has(i));
    for (const mode of ['uniform', 'popularity'] as const) {
      const counts = histogram(new NegativeSampler(train, N_ITEMS, mode), 0, DRAWS, 2);
      const weight = (i: number) => (mode === 'uniform' ? 1 : i + 1);
      const total = others.reduce((s, i) => s + weight(i), 0);
      expect(others.reduce((s, i) => s + counts[i], 0)).toBe(DRAWS);
      expect(chiSquare(others.map((i) => counts[i]), others.map((i) => weight(i) / total), DRAWS), mode).toBeLessThan(chiBound(others.length - 1));
    }
  });

  it('draws the same items for the same seed and others for another', () => {
    const sampler = new NegativeSampler(train, N_ITEMS, 'popularity');
    const draw = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 200 }, (_, d) => sampler.sample(d % 41, rng));
    };
    expect(draw(8)).toEqual(draw(8));
    expect(draw(9)).not.toEqual(draw(8));
    // A second sampler on the same data is no different.
    const again = new NegativeSampler(train, N_ITEMS, 'popularity');
    const rng = new Rng(8);
    expect(Array.from({ length: 200 }, (_, d) => again.sample(d % 41, rng))).toEqual(draw(8));
  });

  it('gives a user who liked every item one of them instead of looping forever', () => {
    const all = interactions(new Int32Array(5), Int32Array.of(0, 1, 2, 3, 4), new Float32Array(5).fill(1));
    const sampler = new NegativeSampler(all, 5, 'uniform');
    const item = sampler.sample(0, new Rng(1));
    expect(item).toBeGreaterThanOrEqual(0);
    expect(item).toBeLessThan(5);
    // Another user still gets any of them.
    expect(sampler.isPositive(1, sampler.sample(1, new Rng(1)))).toBe(false);
  });

  it('refuses data without positives', () => {
    expect(() => new NegativeSampler(interactions(new Int32Array(0), new Int32Array(0), new Float32Array(0)), 4)).toThrow('negative sampling: no training positives');
  });
});
