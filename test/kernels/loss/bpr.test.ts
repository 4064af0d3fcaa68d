import { describe, expect, it } from 'vitest';
import { SIZES, Twin, expectClose, testRng } from '../twin.js';
import { createBackend } from '../../../src/backends/index.js';

describe('loss bpr', () => {
  it.each(SIZES)('matches the reference at n %i, also writing over the scores', async (n) => {
    const rng = testRng(1300 + n);
    const pos = rng.f32(n, 4);
    const neg = rng.f32(n, 4);
    if (n > 2) {
      pos[0] = 80; // differences whose exp overflows f32
      neg[1] = 80;
    }
    const t = (await Twin.create())
      .put('gPos', new Float32Array(n)).put('gNeg', new Float32Array(n))
      .put('pos', pos).put('neg', neg)
      .put('pos2', pos).put('neg2', neg);
    const sum = t.run((k, p) => k.bpr(p('gPos'), p('gNeg'), p('pos'), p('neg'), n, 0.5));
    expectClose([sum.wasm], [sum.js], { reduction: n, label: 'loss' });
    expect(Number.isFinite(sum.js)).toBe(true);
    t.expectClose('gPos');
    t.expectClose('gNeg');
    // In place: the gradients over the two score vectors.
    t.run((k, p) => k.bpr(p('pos2'), p('neg2'), p('pos2'), p('neg2'), n, 0.5));
    for (const side of ['wasm', 'js'] as const) {
      expect(Array.from(t.get(side, 'pos2'))).toEqual(Array.from(t.get(side, 'gPos')));
      expect(Array.from(t.get(side, 'neg2'))).toEqual(Array.from(t.get(side, 'gNeg')));
    }
  });

  it('computes hand-checked values', async () => {
    const be = await createBackend('js');
    const pos = be.allocF32(3, [1, 0, -50]);
    const neg = be.allocF32(3, [1, Math.log(3), 50]);
    const gp = be.allocF32(3);
    const gn = be.allocF32(3);
    const loss = be.kernels.bpr(gp.ptr, gn.ptr, pos.ptr, neg.ptr, 3, 1);
    // d = 0: log 2, σ(0) = 1/2; d = −log 3: −log σ(−log 3) = log 4, σ(log 3) = 3/4; d = −100: ≈ 100, σ(100) ≈ 1.
    expect(loss).toBeCloseTo(Math.log(2) + Math.log(4) + 100, 5);
    expect(Array.from(be.f32(gp))).toEqual([-0.5, -0.75, -1].map((v) => expect.closeTo(v, 6)));
    expect(Array.from(be.f32(gn))).toEqual([0.5, 0.75, 1].map((v) => expect.closeTo(v, 6)));
  });
});
