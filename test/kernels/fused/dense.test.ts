import { describe, expect, it } from 'vitest';
import { SIZES, Twin, testRng } from '../twin.js';
import { createBackend } from '../../../src/backends/index.js';
import { DENSE_ACT } from '../../../src/backends/kernels.js';

const ACTS = [DENSE_ACT.linear, DENSE_ACT.relu];

describe('fused denseForward', () => {
  it.each(SIZES)('matches the reference at n=%i columns (with and without bias, linear and relu)', async (n) => {
    for (const [m, k] of [[1, 3], [5, 17], [257, 42]]) {
      const rng = testRng(n * 100 + m);
      const t = (await Twin.create()).put('x', rng.f32(m * k)).put('w', rng.f32(k * n)).put('b', rng.f32(n));
      for (const act of ACTS) {
        for (const bias of [true, false]) {
          const name = `y${act}${bias}`;
          t.put(name, rng.f32(m * n));
          t.run((kk, p) => kk.denseForward(p(name), p('x'), p('w'), bias ? p('b') : 0, m, k, n, act));
          t.expectClose(name, { reduction: k + 1 });
        }
      }
    }
  });

  it('applies relu after the bias (hand-computed)', async () => {
    const be = await createBackend('js');
    const x = be.allocF32(2, [1, 2]);
    const w = be.allocF32(4, [1, -1, 1, -1]);
    const b = be.allocF32(2, [0.5, 0.5]);
    const y = be.allocF32(2);
    be.kernels.denseForward(y.ptr, x.ptr, w.ptr, b.ptr, 1, 2, 2, DENSE_ACT.relu);
    expect(Array.from(be.f32(y))).toEqual([3.5, 0]);
  });
});

describe('fused denseActBackward', () => {
  it.each(SIZES)('matches the reference at n=%i columns, in place and not', async (n) => {
    for (const m of [1, 5, 256]) {
      const rng = testRng(n * 7 + m);
      const y = rng.f32(m * n);
      for (let i = 0; i < y.length; i += 5) y[i] = 0;
      const t = (await Twin.create()).put('y', y).put('dy', rng.f32(m * n));
      for (const act of ACTS) {
        t.put(`gb${act}`, rng.f32(n)).put(`dz${act}`, rng.f32(m * n)).put(`dyIn${act}`, t.get('js', 'dy') as Float32Array);
        t.run((k, p) => k.denseActBackward(p(`dz${act}`), p(`gb${act}`), p('dy'), p('y'), m, n, act));
        t.expectClose(`dz${act}`);
        t.expectClose(`gb${act}`, { reduction: m + 1 });
        t.run((k, p) => k.denseActBackward(p(`dyIn${act}`), p(`gb${act}`), p(`dyIn${act}`), p('y'), m, n, act));
        t.expectClose(`dyIn${act}`);
      }
    }
  });

  it('masks by y > 0 and sums the columns (hand-computed)', async () => {
    const be = await createBackend('js');
    const y = be.allocF32(4, [1, 0, -1, 2]);
    const dy = be.allocF32(4, [10, 20, 30, 40]);
    const gb = be.allocF32(2, [1, 1]);
    be.kernels.denseActBackward(dy.ptr, gb.ptr, dy.ptr, y.ptr, 2, 2, DENSE_ACT.relu);
    expect(Array.from(be.f32(dy))).toEqual([10, 0, 0, 40]);
    expect(Array.from(be.f32(gb))).toEqual([11, 41]);
  });
});
