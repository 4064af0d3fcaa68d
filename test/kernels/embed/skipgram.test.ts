// Skip-gram SGD: WASM vs the reference on random batches at every SIMD size, the loss against
// a hand computation, and the direction of the update.
import { describe, expect, it } from 'vitest';
import { SIZES, Twin, expectClose, testRng } from '../twin.js';

const ROWS = 30;
const PAIRS = 200;
const NEG = 3;

describe('skipgramSgd', () => {
  it.each(SIZES)('matches the reference after two batches at dim %i', async (dim) => {
    const rng = testRng(700 + dim);
    const t = (await Twin.create())
      .put('in', rng.f32(ROWS * dim, 0.5))
      .put('out', rng.f32(ROWS * dim, 0.5))
      .put('centers', rng.i32(PAIRS, ROWS))
      .put('contexts', rng.i32(PAIRS, ROWS))
      .put('negatives', rng.i32(PAIRS * NEG, ROWS))
      .put('scratch', new Float32Array(dim));
    const losses: number[] = [];
    for (let batch = 0; batch < 2; batch++) {
      const loss = t.run((k, p) => k.skipgramSgd(p('in'), p('out'), p('centers'), p('contexts'), p('negatives'), PAIRS, NEG, dim, 0.05, p('scratch')));
      // Lane-order sums differ by an ulp per dot product and feed later pairs' updates of the same rows.
      expectClose([loss.wasm], [loss.js], { rel: 1e-4, label: `loss ${batch}` });
      for (const name of ['in', 'out']) t.expectClose(name, { rel: 1e-3, reduction: dim });
      losses.push(loss.js);
    }
    expect(losses[1]).toBeLessThan(losses[0]);
  });

  it('one pair: the loss is log(1+e^-s) + log(1+e^s_neg), and the update moves the context toward the center', async () => {
    const dim = 2;
    const t = (await Twin.create())
      .put('in', Float32Array.of(1, 0, 0, 0))
      .put('out', Float32Array.of(0.5, 0, 0, 0, -1, 0))
      .put('centers', Int32Array.of(0))
      .put('contexts', Int32Array.of(0))
      .put('negatives', Int32Array.of(2))
      .put('scratch', new Float32Array(dim));
    const loss = t.run((k, p) => k.skipgramSgd(p('in'), p('out'), p('centers'), p('contexts'), p('negatives'), 1, 1, dim, 0.1, p('scratch')));
    // Context: s = 0.5; negative: s = −1 → −log σ(0.5) − log σ(1).
    const expected = Math.log1p(Math.exp(-0.5)) + Math.log1p(Math.exp(-1));
    expectClose([loss.wasm, loss.js], [expected, expected], { rel: 1e-6 });
    for (const side of ['wasm', 'js'] as const) {
      const out = t.get(side, 'out');
      expect(out[0]).toBeCloseTo(0.5 + 0.1 * (1 - 1 / (1 + Math.exp(-0.5))), 6);
      expect(out[4]).toBeCloseTo(-1 - 0.1 / (1 + Math.exp(1)), 6);
    }
  });
});
