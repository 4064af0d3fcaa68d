import { describe, expect, it } from 'vitest';
import { SIZES, Twin, testRng } from '../twin.js';
import { createBackend } from '../../../src/backends/index.js';

describe('linalg colSum', () => {
  it.each(SIZES)('matches the reference at n=%i columns, overwriting and accumulating', async (n) => {
    for (const m of [1, 5, 17, 256]) {
      const rng = testRng(n * 1000 + m);
      const t = (await Twin.create()).put('x', rng.f32(m * n));
      const yInit = rng.f32(n);
      for (const acc of [0, 1]) {
        t.put(`y${acc}`, yInit);
        t.run((k, p) => k.colSum(p(`y${acc}`), p('x'), m, n, acc));
        t.expectClose(`y${acc}`, { reduction: m + 1 });
      }
    }
  });

  it('sums the columns (hand-computed)', async () => {
    const be = await createBackend('js');
    const x = be.allocF32(6, [1, 2, 3, 4, 5, 6]);
    const y = be.allocF32(3, [10, 20, 30]);
    be.kernels.colSum(y.ptr, x.ptr, 2, 3, 1);
    expect(Array.from(be.f32(y))).toEqual([15, 27, 39]);
    be.kernels.colSum(y.ptr, x.ptr, 2, 3, 0);
    expect(Array.from(be.f32(y))).toEqual([5, 7, 9]);
  });
});
