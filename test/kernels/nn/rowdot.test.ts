import { describe, expect, it } from 'vitest';
import { SIZES, Twin, testRng } from '../twin.js';
import { createBackend } from '../../../src/backends/index.js';

describe('nn rowDot', () => {
  it.each(SIZES)('forward and backward match the reference at dim %i', async (dim) => {
    const rng = testRng(dim * 31);
    const n = 37;
    const t = (await Twin.create())
      .put('a', rng.f32(n * dim))
      .put('b', rng.f32(n * dim))
      .put('out', rng.f32(n))
      .put('dOut', rng.f32(n));
    t.run((k, p) => k.rowDot(p('out'), p('a'), p('b'), n, dim));
    t.expectClose('out', { reduction: dim });
    const daInit = rng.f32(n * dim);
    const dbInit = rng.f32(n * dim);
    for (const acc of [0, 1]) {
      t.put(`da${acc}`, daInit).put(`db${acc}`, dbInit);
      t.run((k, p) => k.rowDotBackward(p(`da${acc}`), p(`db${acc}`), p('dOut'), p('a'), p('b'), n, dim, acc));
      t.expectClose(`da${acc}`, { reduction: 2 });
      t.expectClose(`db${acc}`, { reduction: 2 });
    }
    // In place: da over a and db over b.
    t.run((k, p) => k.rowDotBackward(p('a'), p('b'), p('dOut'), p('a'), p('b'), n, dim, 0));
    t.expectClose('a');
    t.expectClose('b');
  });

  it('computes dot products and their gradients (hand-computed)', async () => {
    const be = await createBackend('js');
    const a = be.allocF32(4, [1, 2, 3, 4]);
    const b = be.allocF32(4, [5, 6, -1, 2]);
    const out = be.allocF32(2);
    be.kernels.rowDot(out.ptr, a.ptr, b.ptr, 2, 2);
    expect(Array.from(be.f32(out))).toEqual([17, 5]);
    const dOut = be.allocF32(2, [2, -1]);
    const da = be.allocF32(4, [1, 1, 1, 1]);
    const db = be.allocF32(4);
    be.kernels.rowDotBackward(da.ptr, db.ptr, dOut.ptr, a.ptr, b.ptr, 2, 2, 1);
    expect(Array.from(be.f32(da))).toEqual([11, 13, 2, -1]);
    expect(Array.from(be.f32(db))).toEqual([2, 4, -3, -4]);
  });
});
