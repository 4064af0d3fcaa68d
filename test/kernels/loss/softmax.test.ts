import { describe, expect, it } from 'vitest';
import { Twin, expectClose, testRng } from '../twin.js';
import { createBackend } from '../../../src/backends/index.js';

/** (rows, columns): in-batch softmax is square; sizes cover single rows and odd widths. */
const SHAPES: [number, number][] = [[1, 1], [1, 5], [3, 3], [4, 17], [16, 16], [17, 65], [64, 64], [65, 257]];

describe('loss softmaxXentRows', () => {
  it.each(SHAPES)('matches the reference for %i×%i, with and without keys and logQ, also in place', async (m, n) => {
    const rng = testRng(1700 + m * 31 + n);
    const logits = rng.f32(m * n, 4);
    if (m * n > 3) logits[2] = 90; // e^90 overflows f32: only the max shift keeps it finite
    const target = Int32Array.from({ length: m }, (_, r) => (r < n ? r : rng.int(n)));
    const key = Int32Array.from({ length: n }, () => rng.int(Math.max(1, n >> 1))); // duplicates
    const logQ = Float32Array.from({ length: n }, () => Math.log(0.001 + rng.uniform()));
    const t = (await Twin.create())
      .put('logits', logits).put('target', target).put('key', key).put('logQ', logQ)
      .put('g0', new Float32Array(m * n)).put('g1', new Float32Array(m * n)).put('inplace', logits);
    const plain = t.run((k, p) => k.softmaxXentRows(p('g0'), p('logits'), p('target'), 0, 0, m, n, 1 / m));
    expectClose([plain.wasm], [plain.js], { reduction: m * n, label: 'loss' });
    t.expectClose('g0', { reduction: n });
    const full = t.run((k, p) => k.softmaxXentRows(p('g1'), p('logits'), p('target'), p('key'), p('logQ'), m, n, 1 / m));
    expectClose([full.wasm], [full.js], { reduction: m * n, label: 'loss with keys and logQ' });
    t.expectClose('g1', { reduction: n });
    const inplace = t.run((k, p) => k.softmaxXentRows(p('inplace'), p('inplace'), p('target'), p('key'), p('logQ'), m, n, 1 / m));
    for (const side of ['wasm', 'js'] as const) {
      expect(inplace[side]).toBe(full[side]);
      expect(Array.from(t.get(side, 'inplace'))).toEqual(Array.from(t.get(side, 'g1')));
      // Each row's gradient sums to zero (softmax minus one-hot), and every value is finite.
      const g = t.get(side, 'g1');
      for (let r = 0; r < m; r++) {
        let s = 0;
        for (let c = 0; c < n; c++) s += g[r * n + c];
        expect(Math.abs(s)).toBeLessThan(1e-5);
      }
      expect(Array.from(g).every(Number.isFinite)).toBe(true);
    }
  });

  it('computes a hand-checked 2×3 case with a duplicate key and logQ', async () => {
    const be = await createBackend('js');
    const logits = be.allocF32(6, [0, 0, 0, 1, 2, 3]);
    const target = be.allocI32(2, [0, 2]);
    const key = be.allocI32(3, [7, 7, 9]); // column 1 repeats column 0's item
    const logQ = be.allocF32(3, [0, 0, Math.log(2)]);
    const grad = be.allocF32(6);
    const loss = be.kernels.softmaxXentRows(grad.ptr, logits.ptr, target.ptr, key.ptr, logQ.ptr, 2, 3, 1);
    // Row 0: column 1 is left out; z = [0, −, −log 2] → p = [2/3, 0, 1/3], loss = −log(2/3).
    // Row 1: nothing left out (key 9 is unique); z = [1, 2, 3 − log 2] → e = [e, e², e³/2].
    const e = [Math.E, Math.E ** 2, Math.E ** 3 / 2];
    const s = e[0] + e[1] + e[2];
    expect(loss).toBeCloseTo(-Math.log(2 / 3) - Math.log(e[2] / s), 5);
    const expected = [2 / 3 - 1, 0, 1 / 3, e[0] / s, e[1] / s, e[2] / s - 1];
    expect(Array.from(be.f32(grad))).toEqual(expected.map((v) => expect.closeTo(v, 6)));
  });

  it.each(['wasm', 'js'] as const)('%s: a row with target −1 (padding) adds no loss and a zero gradient row', async (name) => {
    const be = await createBackend(name);
    const logits = be.allocF32(6, [0, 1, 2, 3, 4, 5]);
    const grad = be.allocF32(6, [9, 9, 9, 9, 9, 9]);
    const onlyRow1 = be.kernels.softmaxXentRows(grad.ptr, logits.ptr, be.allocI32(2, [-1, 2]).ptr, 0, 0, 2, 3, 1);
    const z = [3, 4, 5];
    const s = z.reduce((a, v) => a + Math.exp(v), 0);
    expect(onlyRow1).toBeCloseTo(Math.log(s) - 5, 5);
    expect(Array.from(be.f32(grad)).slice(0, 3)).toEqual([0, 0, 0]);
    expect(be.f32(grad)[5]).toBeCloseTo(Math.exp(5) / s - 1, 6);
  });
});
