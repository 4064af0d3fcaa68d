import { describe, expect, it } from 'vitest';
import { SIZES, Twin, testRng } from '../twin.js';
import { createBackend } from '../../../src/backends/index.js';

const ROWS = 9;

/** Bit patterns of table rows [from, ROWS), for "untouched" checks. */
function tailBits(a: ArrayLike<number>, from: number, dim: number): number[] {
  return Array.from(new Int32Array(Float32Array.from(a).buffer).subarray(from * dim));
}

describe('embedding scatter-add', () => {
  it.each(SIZES)('matches the reference with repeated indices at dim %i, with a row stride', async (dim) => {
    const rng = testRng(200 + dim);
    const n = 23;
    const stride = dim + 3;
    // Indices only in [0, ROWS-2): the last two rows must stay untouched.
    const table = rng.f32(ROWS * dim);
    const t = (await Twin.create())
      .put('gTable', table)
      .put('gRows', rng.f32(n * stride))
      .put('idx', rng.i32(n, ROWS - 2));
    t.run((k, p) => k.scatterAdd(p('gTable'), p('gRows'), stride, p('idx'), n, dim));
    t.expectClose('gTable', { reduction: n });
    for (const side of ['wasm', 'js'] as const) {
      expect(tailBits(t.get(side, 'gTable'), ROWS - 2, dim)).toEqual(tailBits(table, ROWS - 2, dim));
    }
  });

  it('accumulates repeated indices (hand-computed)', async () => {
    const be = await createBackend('js');
    const g = be.allocF32(6, [1, 1, 1, 1, 1, 1]);
    const rows = be.allocF32(9, [1, 2, 99, 3, 4, 99, 5, 6, 99]);
    const idx = be.allocI32(3, [2, 0, 2]);
    be.kernels.scatterAdd(g.ptr, rows.ptr, 3, idx.ptr, 3, 2);
    expect(Array.from(be.f32(g))).toEqual([4, 5, 1, 1, 7, 9]);
  });

  it.each(SIZES)('mean backward matches the reference at dim %i, with empty rows and repeats', async (dim) => {
    const rng = testRng(300 + dim);
    const n = 11;
    const offsets = rng.csrOffsets(n);
    const table = rng.f32(ROWS * dim);
    const t = (await Twin.create())
      .put('gTable', table)
      .put('gRows', rng.f32(n * dim))
      .put('ids', rng.i32(offsets[n], ROWS - 2))
      .put('offsets', offsets);
    t.run((k, p) => k.scatterAddMean(p('gTable'), p('gRows'), dim, p('ids'), p('offsets'), n, dim));
    t.expectClose('gTable', { reduction: offsets[n] });
    for (const side of ['wasm', 'js'] as const) {
      expect(tailBits(t.get(side, 'gTable'), ROWS - 2, dim)).toEqual(tailBits(table, ROWS - 2, dim));
    }
  });

  it('mean backward splits each row gradient over its ids (hand-computed)', async () => {
    const be = await createBackend('js');
    const g = be.allocF32(3);
    const rows = be.allocF32(3, [8, 100, 6]);
    const ids = be.allocI32(4, [0, 2, 0, 1]);
    // Row 0 → ids {0, 2, 0}; row 1 empty; row 2 → id 1.
    const offsets = be.allocI32(4, [0, 3, 3, 4]);
    be.kernels.scatterAddMean(g.ptr, rows.ptr, 1, ids.ptr, offsets.ptr, 3, 1);
    const got = be.read(g);
    expect(got[0]).toBeCloseTo(16 / 3, 5);
    expect(got[1]).toBe(6);
    expect(got[2]).toBeCloseTo(8 / 3, 5);
  });

  it.each(SIZES)('weighted backward matches the reference at dim %i, with empty rows and repeats', async (dim) => {
    const rng = testRng(350 + dim);
    const n = 11;
    const offsets = rng.csrOffsets(n);
    const table = rng.f32(ROWS * dim);
    const t = (await Twin.create())
      .put('gTable', table)
      .put('gRows', rng.f32(n * (dim + 1)))
      .put('ids', rng.i32(offsets[n], ROWS - 2))
      .put('w', rng.f32(offsets[n]))
      .put('offsets', offsets);
    t.run((k, p) => k.scatterAddWeighted(p('gTable'), p('gRows'), dim + 1, p('ids'), p('w'), p('offsets'), n, dim));
    t.expectClose('gTable', { reduction: offsets[n] });
    for (const side of ['wasm', 'js'] as const) {
      expect(tailBits(t.get(side, 'gTable'), ROWS - 2, dim)).toEqual(tailBits(table, ROWS - 2, dim));
    }
  });

  it('weighted backward gives each id w · its row\'s gradient (hand-computed)', async () => {
    for (const name of ['wasm', 'js'] as const) {
      const be = await createBackend(name);
      const g = be.allocF32(3);
      const rows = be.allocF32(2, [8, 6]);
      const ids = be.allocI32(3, [0, 2, 0]);
      const w = be.allocF32(3, [0.5, 0.25, 1]);
      const offsets = be.allocI32(3, [0, 2, 3]);
      be.kernels.scatterAddWeighted(g.ptr, rows.ptr, 1, ids.ptr, w.ptr, offsets.ptr, 2, 1);
      expect(Array.from(be.read(g))).toEqual([4 + 6, 0, 2]);
    }
  });
});
