import { describe, expect, it } from 'vitest';
import { SIZES } from '../twin.js';
import { REGULARISATION, checkSparseOptimizer } from './sparse.js';
import { createBackend } from '../../../src/backends/index.js';

describe('optim adagrad (sparse)', () => {
  describe.each(REGULARISATION)('l2 $l2, decay $decay', ({ l2, decay }) => {
    it.each(SIZES)('matches the reference over several steps at dim %i', async (dim) => {
      await checkSparseOptimizer(dim, 3000 + dim, [{ name: 'acc', positive: true }], ({ k, p, grad, rows, nRows }) =>
        k.adagradSparse(p('param'), p(grad), p('acc'), p(rows), nRows, dim, 0.05, 1e-7, l2, decay),
      );
    });
  });

  it('takes two steps (hand-computed)', async () => {
    const be = await createBackend('js');
    const w = be.allocF32(2, [1, -1]);
    const g = be.allocF32(2, [2, -4]);
    const acc = be.allocF32(2);
    const rows = be.allocI32(1, [0]);
    be.kernels.adagradSparse(w.ptr, g.ptr, acc.ptr, rows.ptr, 1, 2, 0.5, 0, 0, 0);
    // a = g²; w -= 0.5 g/|g| = ±0.5.
    expect(Array.from(be.read(acc))).toEqual([4, 16]);
    expect(Array.from(be.read(w))).toEqual([0.5, -0.5]);
    expect(Array.from(be.read(g))).toEqual([0, 0]);
    be.write(g, [0, 3]);
    be.kernels.adagradSparse(w.ptr, g.ptr, acc.ptr, rows.ptr, 1, 2, 0.5, 0, 0, 0);
    // a = [4, 25]; w = [0.5, -0.5 - 0.5·3/5].
    expect(Array.from(be.read(acc))).toEqual([4, 25]);
    const got = be.read(w);
    expect(got[0]).toBe(0.5);
    expect(got[1]).toBeCloseTo(-0.8, 6);
  });
});
