import { describe, expect, it } from 'vitest';
import { SIZES, Twin, testRng } from '../twin.js';
import { createBackend } from '../../../src/backends/index.js';
import type { Kernels } from '../../../src/backends/kernels.js';

type Forward = 'relu' | 'sigmoid' | 'tanh';
const BACKWARD = { relu: 'reluBackward', sigmoid: 'sigmoidBackward', tanh: 'tanhBackward' } as const satisfies Record<Forward, keyof Kernels>;
const FORWARD: Forward[] = ['relu', 'sigmoid', 'tanh'];

/** Normal inputs with a few saturating ones (±50) and exact zeros mixed in. */
function inputs(n: number, seed: number): Float32Array {
  const rng = testRng(seed);
  const x = rng.f32(n, 3);
  for (let i = 0; i < n; i += 7) x[i] = [50, -50, 0, 1e-4, -1e-4][(i / 7) % 5];
  return x;
}

describe.each(FORWARD)('nn %s', (fwd) => {
  it.each(SIZES)('forward and backward match the reference at n=%i, also in place', async (n) => {
    const rng = testRng(n + 17);
    const t = (await Twin.create()).put('x', inputs(n, n)).put('y', rng.f32(n)).put('inplace', inputs(n, n));
    t.run((k, p) => k[fwd](p('y'), p('x'), n));
    t.expectClose('y');
    t.run((k, p) => k[fwd](p('inplace'), p('inplace'), n));
    t.expectClose('inplace');
    for (const side of ['wasm', 'js'] as const) {
      expect(Array.from(t.get(side, 'y')).every(Number.isFinite), `${side} output finite`).toBe(true);
    }

    // Backward from the reference's forward output, so both sides see identical y.
    t.put('yRef', t.get('js', 'y') as Float32Array).put('dy', rng.f32(n)).put('dx', rng.f32(n));
    t.run((k, p) => k[BACKWARD[fwd]](p('dx'), p('dy'), p('yRef'), n));
    t.expectClose('dx');
    t.run((k, p) => k[BACKWARD[fwd]](p('dy'), p('dy'), p('yRef'), n));
    t.expectClose('dy');
  });
});

describe('nn activations (hand-computed)', () => {
  it('relu and its backward', async () => {
    const be = await createBackend('js');
    const x = be.allocF32(4, [-2, 0, 3, -0.5]);
    const dy = be.allocF32(4, [1, 2, 3, 4]);
    be.kernels.relu(x.ptr, x.ptr, 4);
    expect(Array.from(be.f32(x))).toEqual([0, 0, 3, 0]);
    be.kernels.reluBackward(dy.ptr, dy.ptr, x.ptr, 4);
    expect(Array.from(be.f32(dy))).toEqual([0, 0, 3, 0]);
  });

  it('sigmoid and tanh at 0 and saturation, and their backward', async () => {
    const be = await createBackend('js');
    const x = be.allocF32(3, [0, 50, -50]);
    const y = be.allocF32(3);
    const dy = be.allocF32(3, [2, 2, 2]);
    const dx = be.allocF32(3);
    be.kernels.sigmoid(y.ptr, x.ptr, 3);
    const s = be.read(y);
    expect(s[0]).toBe(0.5);
    expect(s[1]).toBe(1);
    // e^-50 / (1 + e^-50) keeps its relative precision instead of rounding 1 - 1 to 0.
    expect(Math.abs(s[2] / Math.exp(-50) - 1)).toBeLessThan(1e-6);
    be.kernels.sigmoidBackward(dx.ptr, dy.ptr, y.ptr, 3);
    expect(be.read(dx)[0]).toBe(0.5); // 2 · 0.5 · 0.5
    be.kernels.tanh(y.ptr, x.ptr, 3);
    expect(Array.from(be.f32(y))).toEqual([0, 1, -1]);
    be.kernels.tanhBackward(dx.ptr, dy.ptr, y.ptr, 3);
    expect(Array.from(be.f32(dx))).toEqual([2, 0, 0]);
  });
});
