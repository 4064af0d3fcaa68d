import { describe, expect, it } from 'vitest';
import { SIZES, Twin, testRng } from '../twin.js';
import { createBackend } from '../../../src/backends/index.js';

describe('embedding gather', () => {
  it.each(SIZES)('matches the reference at dim %i, with an output stride', async (dim) => {
    const rng = testRng(dim);
    const rows = 37;
    const n = 23;
    const stride = dim + 3;
    const t = (await Twin.create())
      .put('table', rng.f32(rows * dim))
      .put('idx', rng.i32(n, rows))
      .put('out', rng.f32(n * stride));
    t.run((k, p) => k.gather(p('out'), stride, p('table'), p('idx'), n, dim));
    t.expectClose('out', { rel: 0 });
  });

  it('copies the indexed rows (hand-computed)', async () => {
    const be = await createBackend('js');
    const table = be.allocF32(6, [1, 2, 3, 4, 5, 6]);
    const idx = be.allocI32(3, [2, 0, 2]);
    const out = be.allocF32(6);
    be.kernels.gather(out.ptr, 2, table.ptr, idx.ptr, 3, 2);
    expect(Array.from(be.f32(out))).toEqual([5, 6, 1, 2, 5, 6]);
  });

  it.each(SIZES)('mean pooling matches the reference at dim %i, with empty rows', async (dim) => {
    const rng = testRng(100 + dim);
    const rows = 19;
    const n = 11;
    const offsets = rng.csrOffsets(n);
    const t = (await Twin.create())
      .put('table', rng.f32(rows * dim))
      .put('ids', rng.i32(offsets[n], rows))
      .put('offsets', offsets)
      .put('out', rng.f32(n * dim));
    t.run((k, p) => k.gatherMean(p('out'), dim, p('table'), p('ids'), p('offsets'), n, dim));
    t.expectClose('out', { reduction: 5 });
    const out = t.get('js', 'out');
    expect(out[0]).toBe(0);
  });

  it.each(SIZES)('weighted pooling matches the reference at dim %i, with empty rows and an output stride', async (dim) => {
    const rng = testRng(150 + dim);
    const rows = 19;
    const n = 11;
    const stride = dim + 2;
    const offsets = rng.csrOffsets(n);
    const t = (await Twin.create())
      .put('table', rng.f32(rows * dim))
      .put('ids', rng.i32(offsets[n], rows))
      .put('w', rng.f32(Math.max(1, offsets[n])))
      .put('offsets', offsets)
      .put('out', rng.f32(n * stride));
    t.run((k, p) => k.gatherWeighted(p('out'), stride, p('table'), p('ids'), p('w'), p('offsets'), n, dim));
    t.expectClose('out', { reduction: 5 });
    expect(t.get('js', 'out')[0]).toBe(0);
  });

  it('weighted pooling sums w · row (hand-computed)', async () => {
    for (const name of ['wasm', 'js'] as const) {
      const be = await createBackend(name);
      const table = be.allocF32(6, [1, 2, 3, 4, 5, 6]);
      const ids = be.allocI32(3, [2, 0, 1]);
      const w = be.allocF32(3, [0.5, 2, 1]);
      const offsets = be.allocI32(3, [0, 2, 3]);
      const out = be.allocF32(4);
      be.kernels.gatherWeighted(out.ptr, 2, table.ptr, ids.ptr, w.ptr, offsets.ptr, 2, 2);
      expect(Array.from(be.f32(out))).toEqual([0.5 * 5 + 2 * 1, 0.5 * 6 + 2 * 2, 3, 4]);
    }
  });
});
