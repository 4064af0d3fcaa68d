import { describe, expect, it } from 'vitest';
import { SIZES, Twin, testRng } from '../twin.js';
import { createBackend } from '../../../src/backends/index.js';

describe('optim accumulateRows (replica gradients into the primary)', () => {
  it.each(SIZES)('matches the reference at dim %i', async (dim) => {
    const rng = testRng(700 + dim);
    const rows = 19;
    const listed = Int32Array.of(4, 0, 18, 9);
    const t = (await Twin.create()).put('dst', rng.f32(rows * dim)).put('src', rng.f32(rows * dim)).put('rows', listed);
    t.run((k, p) => k.accumulateRows(p('dst'), p('src'), p('rows'), listed.length, dim));
    t.expectClose('dst', { rel: 0 });
    t.expectClose('src', { rel: 0 });
  });

  it('adds and clears only the listed rows (hand-computed)', async () => {
    for (const name of ['wasm', 'js'] as const) {
      const be = await createBackend(name);
      const dst = be.allocF32(6, [1, 2, 3, 4, 5, 6]);
      const src = be.allocF32(6, [10, 20, 30, 40, 50, 60]);
      const rows = be.allocI32(1, [1]);
      be.kernels.accumulateRows(dst.ptr, src.ptr, rows.ptr, 1, 3);
      expect(Array.from(be.f32(dst))).toEqual([1, 2, 3, 44, 55, 66]);
      expect(Array.from(be.f32(src))).toEqual([10, 20, 30, 0, 0, 0]);
    }
  });
});
