import { describe, expect, it } from 'vitest';
import { SIZES, Twin, expectClose, testRng } from '../twin.js';
import { createBackend } from '../../../src/backends/index.js';

/** Logits with saturating values (±60: exp(60) overflows f32) mixed into normal ones. */
function logits(n: number, seed: number): Float32Array {
  const x = testRng(seed).f32(n, 3);
  for (let i = 0; i < n; i += 5) x[i] = [60, -60, 0, 15, -15][(i / 5) % 5];
  return x;
}

function labels(n: number, seed: number): Float32Array {
  const rng = testRng(seed);
  return Float32Array.from({ length: n }, () => (rng.uniform() < 0.3 ? 1 : 0));
}

describe('loss bceLogits', () => {
  it.each(SIZES)('matches the reference at n %i, also writing over the logits', async (n) => {
    const t = (await Twin.create())
      .put('grad', new Float32Array(n))
      .put('x', logits(n, n))
      .put('y', labels(n, n + 1))
      .put('inplace', logits(n, n));
    const sum = t.run((k, p) => k.bceLogits(p('grad'), p('x'), p('y'), n, 1 / n));
    expectClose([sum.wasm], [sum.js], { reduction: n, label: 'loss' });
    expect(Number.isFinite(sum.js) && sum.js > 0).toBe(true);
    t.expectClose('grad');
    t.run((k, p) => k.bceLogits(p('inplace'), p('inplace'), p('y'), n, 1 / n));
    for (const side of ['wasm', 'js'] as const) expect(Array.from(t.get(side, 'inplace'))).toEqual(Array.from(t.get(side, 'grad')));
  });

  it('computes hand-checked values, finite at saturation', async () => {
    const be = await createBackend('js');
    const x = be.allocF32(4, [0, Math.log(3), 100, -100]);
    const y = be.allocF32(4, [1, 0, 1, 1]);
    const g = be.allocF32(4);
    const loss = be.kernels.bceLogits(g.ptr, x.ptr, y.ptr, 4, 1);
    // −log σ(0) = log 2; −log(1 − σ(log 3)) = −log(1/4) = log 4; −log σ(100) ≈ e^−100; −log σ(−100) ≈ 100.
    expect(loss).toBeCloseTo(Math.log(2) + Math.log(4) + 100, 5);
    expect(Array.from(be.f32(g))).toEqual([-0.5, Math.fround(0.75), 0, -1].map((v) => expect.closeTo(v, 6)));
  });
});
