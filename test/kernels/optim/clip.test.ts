import { describe, expect, it } from 'vitest';
import { SIZES, Twin, testRng } from '../twin.js';
import { createBackend } from '../../../src/backends/index.js';

describe('optim clip (gradient norm over rows)', () => {
  it.each(SIZES)('sum of squares and scaling match the reference at dim %i', async (dim) => {
    const rng = testRng(300 + dim);
    const rows = 23;
    const listed = Int32Array.of(3, 0, 22, 7, 11);
    const t = (await Twin.create()).put('grad', rng.f32(rows * dim)).put('rows', listed);
    const ss = t.run((k, p) => k.sumSquaresRows(p('grad'), p('rows'), listed.length, dim));
    expect(Math.abs(ss.wasm - ss.js)).toBeLessThanOrEqual(1e-5 * Math.sqrt(dim) * ss.js);
    t.run((k, p) => k.scaleRows(p('grad'), p('rows'), listed.length, dim, 0.37));
    t.expectClose('grad', { rel: 0 });
  });

  it('measures and rescales only the listed rows (hand-computed)', async () => {
    const be = await createBackend('js');
    const g = be.allocF32(6, [1, 2, 3, 4, 5, 6]);
    const rows = be.allocI32(1, [1]);
    expect(be.kernels.sumSquaresRows(g.ptr, rows.ptr, 1, 3)).toBe(16 + 25 + 36);
    be.kernels.scaleRows(g.ptr, rows.ptr, 1, 3, 0.5);
    expect(Array.from(be.f32(g))).toEqual([1, 2, 3, 2, 2.5, 3]);
  });
});
