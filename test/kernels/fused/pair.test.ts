import { describe, expect, it } from 'vitest';
import { SIZES, Twin, testRng } from '../twin.js';
import { createBackend } from '../../../src/backends/index.js';
import { DENSE_ACT } from '../../../src/backends/kernels.js';

const ACTS = [DENSE_ACT.linear, DENSE_ACT.relu];

describe('fused pairHidden', () => {
  it.each(SIZES)('matches the reference at h=%i (linear and relu)', async (h) => {
    for (const [m, n] of [[1, 1], [3, 5], [4, 17]]) {
      const rng = testRng(h * 31 + m * n);
      const t = (await Twin.create()).put('a', rng.f32(m * h)).put('b', rng.f32(n * h));
      for (const act of ACTS) {
        t.put(`h${act}`, rng.f32(m * n * h));
        t.run((k, p) => k.pairHidden(p(`h${act}`), p('a'), p('b'), m, n, h, act));
        t.expectClose(`h${act}`);
      }
    }
  });
});

describe('fused pairScore', () => {
  it.each(SIZES)('matches the reference at h=%i (linear and relu, overwrite and accumulate)', async (h) => {
    for (const [m, n] of [[1, 1], [3, 5], [4, 17]]) {
      const rng = testRng(h * 17 + m * n);
      const t = (await Twin.create()).put('a', rng.f32(m * h)).put('b', rng.f32(n * h)).put('w', rng.f32(h));
      for (const act of ACTS) {
        for (const acc of [0, 1]) {
          const name = `s${act}${acc}`;
          t.put(name, rng.f32(m * n));
          t.run((k, p) => k.pairScore(p(name), p('a'), p('b'), p('w'), m, n, h, 0.25, act, acc));
          t.expectClose(name, { reduction: h + 1 });
        }
      }
    }
  });

  it('adds A[u] and B[i], applies relu, weights and adds the bias (hand-computed)', async () => {
    const be = await createBackend('js');
    const a = be.allocF32(4, [1, -1, 0, 2]); // users × h = 2 × 2
    const b = be.allocF32(2, [0.5, 0.5]); // one item
    const w = be.allocF32(2, [2, 3]);
    const s = be.allocF32(2, [10, 10]);
    be.kernels.pairScore(s.ptr, a.ptr, b.ptr, w.ptr, 2, 1, 2, 1, DENSE_ACT.relu, 1);
    // user 0: relu(1.5, -0.5) = (1.5, 0) → 3 + 1 = 4; user 1: (0.5, 2.5) → 1 + 7.5 + 1 = 9.5.
    expect(Array.from(be.f32(s))).toEqual([14, 19.5]);
  });
});
