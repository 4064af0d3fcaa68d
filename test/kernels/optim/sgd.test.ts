import { describe, expect, it } from 'vitest';
import { SIZES } from '../twin.js';
import { REGULARISATION, checkSparseOptimizer } from './sparse.js';
import { createBackend } from '../../../src/backends/index.js';

describe('optim sgd (sparse)', () => {
  describe.each(REGULARISATION)('l2 $l2, decay $decay', ({ l2, decay }) => {
    it.each(SIZES)('matches the reference over several steps at dim %i', async (dim) => {
      await checkSparseOptimizer(dim, 1000 + dim, [], ({ k, p, grad, rows, nRows }) =>
        k.sgdSparse(p('param'), p(grad), p(rows), nRows, dim, 0.1, l2, decay),
      );
    });

    it.each(SIZES)('momentum matches the reference over several steps at dim %i', async (dim) => {
      await checkSparseOptimizer(dim, 2000 + dim, [{ name: 'vel' }], ({ k, p, grad, rows, nRows }) =>
        k.momentumSparse(p('param'), p(grad), p('vel'), p(rows), nRows, dim, 0.1, 0.9, l2, decay),
      );
    });
  });

  it('takes one SGD + L2 step (hand-computed)', async () => {
    const be = await createBackend('js');
    const w = be.allocF32(6, [9, 9, 9, 1, 2, 3]);
    const g = be.allocF32(6, [7, 7, 7, 0.5, 0.5, 0.5]);
    const rows = be.allocI32(1, [1]);
    be.kernels.sgdSparse(w.ptr, g.ptr, rows.ptr, 1, 3, 0.1, 0.1, 0);
    // g' = g + 0.1 w = [0.6, 0.7, 0.8]; w -= 0.1 g'.
    const got = Array.from(be.f32(w));
    [9, 9, 9, 0.94, 1.93, 2.92].forEach((x, i) => expect(got[i]).toBeCloseTo(x, 6));
    expect(Array.from(be.f32(g))).toEqual([7, 7, 7, 0, 0, 0]);
  });

  it('applies decoupled decay and momentum (hand-computed)', async () => {
    const be = await createBackend('js');
    const w = be.allocF32(1, [2]);
    const g = be.allocF32(1, [1]);
    const v = be.allocF32(1, [0]);
    const rows = be.allocI32(1, [0]);
    be.kernels.momentumSparse(w.ptr, g.ptr, v.ptr, rows.ptr, 1, 1, 0.5, 0.9, 0, 0.25);
    // v = 1; w = 2 - 0.5·1 - 0.5·0.25·2 = 1.25.
    expect(be.read(v)[0]).toBe(1);
    expect(be.read(w)[0]).toBe(1.25);
    be.write(g, [1]);
    be.kernels.momentumSparse(w.ptr, g.ptr, v.ptr, rows.ptr, 1, 1, 0.5, 0.5, 0, 0);
    // v = 0.5·1 + 1 = 1.5; w = 1.25 - 0.75.
    expect(be.read(v)[0]).toBe(1.5);
    expect(be.read(w)[0]).toBe(0.5);
  });
});
