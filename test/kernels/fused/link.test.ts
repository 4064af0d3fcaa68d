// Link regression (TrustSVD's trust term): WASM vs the reference at every SIMD size, repeated
// rows within a call, and one step worked out by hand.
import { describe, expect, it } from 'vitest';
import { SIZES, Twin, testRng } from '../twin.js';

describe('linkSgd', () => {
  it.each(SIZES)('k = %i: wasm matches the reference, rows repeating across links', async (k) => {
    const rng = testRng(k);
    const links = 40;
    const t = (await Twin.create())
      .put('A', rng.f32(9 * k, 0.3))
      .put('B', rng.f32(7 * k, 0.3))
      .put('aRows', rng.i32(links, 9))
      .put('bRows', rng.i32(links, 7))
      .put('targets', Float32Array.from({ length: links }, (_, l) => (l % 3 === 0 ? 0.5 : 1)));
    const sse = t.run((kn, p) => kn.linkSgd(p('A'), p('B'), p('aRows'), p('bRows'), p('targets'), 3, 30, k, 0.05, 0.7, 0.01));
    expect(sse.wasm).toBeCloseTo(sse.js, 4);
    t.expectClose('A', { reduction: k });
    t.expectClose('B', { reduction: k });
  });

  it('one link by hand: e = a·b − t, a −= lr (w e b + reg a), b −= lr (w e a_old + reg b)', async () => {
    for (const side of ['wasm', 'js'] as const) {
      const t = (await Twin.create()).put('A', Float32Array.of(1, 2)).put('B', Float32Array.of(0.5, -1)).put('aRows', Int32Array.of(0)).put('bRows', Int32Array.of(0)).put('targets', Float32Array.of(1));
      const sse = t.run((kn, p) => kn.linkSgd(p('A'), p('B'), p('aRows'), p('bRows'), p('targets'), 0, 1, 2, 0.1, 2, 0.5))[side];
      // e = 0.5 − 2 − 1 = −2.5; lr·w·e = −0.5; keep = 1 − 0.05 = 0.95.
      expect(sse).toBeCloseTo(6.25, 5);
      const a = Array.from(t.get(side, 'A'));
      const b = Array.from(t.get(side, 'B'));
      [0.95 + 0.5 * 0.5, 1.9 + 0.5 * -1].forEach((v, c) => expect(a[c]).toBeCloseTo(v, 5));
      [0.475 + 0.5 * 1, -0.95 + 0.5 * 2].forEach((v, c) => expect(b[c]).toBeCloseTo(v, 5));
    }
  });
});
