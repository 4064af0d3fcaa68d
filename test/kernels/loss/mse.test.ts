import { describe, expect, it } from 'vitest';
import { SIZES, Twin, expectClose, testRng } from '../twin.js';
import { createBackend } from '../../../src/backends/index.js';

describe('loss mse', () => {
  it.each(SIZES)('matches the reference at n %i', async (n) => {
    const rng = testRng(800 + n);
    const t = (await Twin.create())
      .put('grad', rng.f32(n))
      .put('pred', rng.f32(n, 2))
      .put('target', rng.f32(n, 2));
    const sse = t.run((k, p) => k.mse(p('grad'), p('pred'), p('target'), n, 1 / n));
    expectClose([sse.wasm], [sse.js], { reduction: n, label: 'sse' });
    expect(sse.js).toBeGreaterThan(0);
    t.expectClose('grad');
  });

  it.each([5, 17, 257])('may write the gradient over the predictions, n %i', async (n) => {
    const rng = testRng(900 + n);
    const t = (await Twin.create()).put('pred', rng.f32(n)).put('target', rng.f32(n)).put('check', new Float32Array(n));
    t.run((k, p) => k.mse(p('check'), p('pred'), p('target'), n, 0.5));
    t.run((k, p) => k.mse(p('pred'), p('pred'), p('target'), n, 0.5));
    for (const side of ['wasm', 'js'] as const) {
      expect(Array.from(t.get(side, 'pred'))).toEqual(Array.from(t.get(side, 'check')));
    }
  });

  it('computes a tiny vector (hand-computed)', async () => {
    const be = await createBackend('js');
    const pred = be.allocF32(3, [1, 2.5, -1]);
    const target = be.allocF32(3, [0, 3, 1]);
    const grad = be.allocF32(3);
    const sse = be.kernels.mse(grad.ptr, pred.ptr, target.ptr, 3, 0.25);
    expect(sse).toBe(1 + 0.25 + 4);
    expect(Array.from(be.read(grad))).toEqual([0.5, -0.25, -1]); // 0.25 · 2 · (pred - target)
  });
});
