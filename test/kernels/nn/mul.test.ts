import { describe, expect, it } from 'vitest';
import { SIZES, Twin, testRng } from '../twin.js';
import { createBackend } from '../../../src/backends/index.js';

describe('nn mul', () => {
  it.each(SIZES)('matches the reference at n=%i, also in place', async (n) => {
    const rng = testRng(n * 13 + 1);
    const a = rng.f32(n);
    const b = rng.f32(n);
    const t = (await Twin.create()).put('a', a).put('b', b).put('y', rng.f32(n)).put('inplace', a);
    t.run((k, p) => k.mul(p('y'), p('a'), p('b'), n));
    // A single product is exactly rounded in both: the results must be bit-identical.
    expect(Array.from(t.get('wasm', 'y'))).toEqual(Array.from(t.get('js', 'y')));
    t.run((k, p) => k.mul(p('inplace'), p('inplace'), p('b'), n));
    t.expectClose('inplace', { rel: 0 });
    expect(Array.from(t.get('js', 'inplace'))).toEqual(Array.from(t.get('js', 'y')));
  });

  it('multiplies elementwise (hand-computed)', async () => {
    const be = await createBackend('js');
    const a = be.allocF32(5, [1, -2, 3, 0.5, 4]);
    const m = be.allocF32(5, [2, 0, 2, 2, 0]);
    be.kernels.mul(a.ptr, a.ptr, m.ptr, 5);
    expect(Array.from(be.f32(a))).toEqual([2, -0, 6, 1, 0]);
  });
});
