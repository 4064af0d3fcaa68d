import { describe, expect, it } from 'vitest';
import { SIZES } from '../twin.js';
import { REGULARISATION, checkSparseOptimizer } from './sparse.js';
import { createBackend } from '../../../src/backends/index.js';

const BETA1 = 0.9;
const BETA2 = 0.999;

describe('optim adam (sparse)', () => {
  describe.each(REGULARISATION)('l2 $l2, decay $decay', ({ l2, decay }) => {
    it.each(SIZES)('matches the reference over several steps at dim %i', async (dim) => {
      await checkSparseOptimizer(dim, 4000 + dim, [{ name: 'm' }, { name: 'v', positive: true }], ({ k, p, grad, rows, nRows, t }) =>
        k.adamSparse(p('param'), p(grad), p('m'), p('v'), p(rows), nRows, dim, 0.01, BETA1, BETA2, 1e-8, l2, decay, 1 - BETA1 ** t, 1 - BETA2 ** t),
      );
    });
  });

  it('takes one AdamW step on a 1-row tensor (hand-computed)', async () => {
    const be = await createBackend('js');
    const w = be.allocF32(2, [1, -2]);
    const g = be.allocF32(2, [0.5, 0.1]);
    const m = be.allocF32(2);
    const v = be.allocF32(2);
    const rows = be.allocI32(1, [0]);
    be.kernels.adamSparse(w.ptr, g.ptr, m.ptr, v.ptr, rows.ptr, 1, 2, 0.1, BETA1, BETA2, 1e-8, 0, 0.01, 1 - BETA1, 1 - BETA2);
    // t = 1: m = 0.1 g, v = 0.001 g², so m/c1 = g, v/c2 = g² and the step is lr·sign(g);
    // decay adds lr·0.01·w: w = [1 - 0.1 - 0.001, -2 - 0.1 + 0.002].
    const [m0, m1] = be.read(m);
    const [v0, v1] = be.read(v);
    // Relative checks: 1 - 0.999 rounded to f32 is 0.99999e-3, 1.3e-5 off.
    const near = (got: number, want: number) => expect(Math.abs(got / want - 1)).toBeLessThan(2e-5);
    near(m0, 0.05);
    near(m1, 0.01);
    near(v0, 0.00025);
    near(v1, 0.00001);
    const [w0, w1] = be.read(w);
    near(w0, 0.899);
    near(w1, -2.098);
    expect(Array.from(be.read(g))).toEqual([0, 0]);
  });
});
