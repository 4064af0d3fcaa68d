import { describe, expect, it } from 'vitest';
import { SIZES, Twin, testRng } from '../twin.js';

describe('nn fill', () => {
  it.each(SIZES)('sets n values and nothing past them, as the reference, n %i', async (n) => {
    const rng = testRng(300 + n);
    const t = (await Twin.create()).put('y', rng.f32(n + 3));
    t.run((k, p) => k.fill(p('y') + 4, n, -1.25));
    for (const side of ['wasm', 'js'] as const) {
      const y = t.get(side, 'y');
      expect(Array.from(y.subarray(1, n + 1)).every((v) => v === -1.25)).toBe(true);
    }
    t.expectClose('y', { rel: 0 });
    // The values before and after the range are untouched.
    for (const side of ['wasm', 'js'] as const) {
      const y = t.get(side, 'y');
      expect(y[0]).not.toBe(-1.25);
      expect(y[n + 1]).not.toBe(-1.25);
    }
  });
});
