// Reference row-wise dot products (mirrors assembly/nn/rowdot.ts): the score of a
// dot-product head, out[r] = a[r]·b[r] for aligned rows of two n×dim matrices.
import type { Heap } from '../../heap.js';

/** out[r] = Σ_c a[r,c]·b[r,c] for r < n; a and b are n×dim row-major. */
export function rowDot(h: Heap, outPtr: number, aPtr: number, bPtr: number, n: number, dim: number): void {
  const f = h.f32;
  const a = aPtr >> 2;
  const b = bPtr >> 2;
  for (let r = 0; r < n; r++) {
    let sum = 0;
    for (let c = 0; c < dim; c++) sum += f[a + r * dim + c] * f[b + r * dim + c];
    f[(outPtr >> 2) + r] = sum;
  }
}

/**
 * da[r,c] (+)= dOut[r]·b[r,c]; db[r,c] (+)= dOut[r]·a[r,c]. Both inputs of an element are
 * read before either output is written, so da may alias a and db may alias b.
 */
export function rowDotBackward(h: Heap, daPtr: number, dbPtr: number, dOutPtr: number, aPtr: number, bPtr: number, n: number, dim: number, accumulate: number): void {
  const f = h.f32;
  const da = daPtr >> 2;
  const db = dbPtr >> 2;
  const a = aPtr >> 2;
  const b = bPtr >> 2;
  for (let r = 0; r < n; r++) {
    const d = f[(dOutPtr >> 2) + r];
    for (let c = 0; c < dim; c++) {
      const i = r * dim + c;
      const av = f[a + i];
      const bv = f[b + i];
      f[da + i] = accumulate ? f[da + i] + d * bv : d * bv;
      f[db + i] = accumulate ? f[db + i] + d * av : d * av;
    }
  }
}
