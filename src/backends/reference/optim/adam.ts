// Reference lazy sparse Adam / AdamW (mirrors assembly/optim/adam.ts).
import type { Heap } from '../../heap.js';

const f32 = Math.fround;

/**
 * For each listed row:
 *   g' = g + l2 w;  m = b1 m + (1-b1) g';  v = b2 v + (1-b2) g'²;
 *   w -= lr (m/c1) / (sqrt(v/c2) + eps) + lr decay w;  g = 0,
 * with bias corrections c1 = 1 - b1^t, c2 = 1 - b2^t from the caller.
 * Rounded to f32 at each step like the WASM core.
 */
export function adamSparse(h: Heap, paramPtr: number, gradPtr: number, mPtr: number, vPtr: number, rowsPtr: number, nRows: number, dim: number, lr: number, beta1: number, beta2: number, eps: number, l2: number, decay: number, c1: number, c2: number): void {
  const f = h.f32;
  const rows = h.i32;
  lr = f32(lr);
  beta1 = f32(beta1);
  beta2 = f32(beta2);
  eps = f32(eps);
  l2 = f32(l2);
  c1 = f32(c1);
  c2 = f32(c2);
  const lrDecay = f32(lr * f32(decay));
  const oneMinusB1 = f32(1 - beta1);
  const oneMinusB2 = f32(1 - beta2);
  for (let r = 0; r < nRows; r++) {
    const row = rows[(rowsPtr >> 2) + r];
    for (let c = 0; c < dim; c++) {
      const wi = (paramPtr >> 2) + row * dim + c;
      const gi = (gradPtr >> 2) + row * dim + c;
      const mi = (mPtr >> 2) + row * dim + c;
      const vi = (vPtr >> 2) + row * dim + c;
      const w = f[wi];
      const g = f32(f[gi] + f32(l2 * w));
      f[mi] = f32(f32(beta1 * f[mi]) + f32(oneMinusB1 * g));
      f[vi] = f32(f32(beta2 * f[vi]) + f32(oneMinusB2 * f32(g * g)));
      const mHat = f32(f[mi] / c1);
      const vHat = f32(f[vi] / c2);
      const step = f32(f32(lr * mHat) / f32(f32(Math.sqrt(vHat)) + eps));
      f[wi] = f32(w - f32(step + f32(lrDecay * w)));
      f[gi] = 0;
    }
  }
}
