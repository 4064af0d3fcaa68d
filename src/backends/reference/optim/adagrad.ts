// Reference lazy sparse Adagrad (mirrors assembly/optim/adagrad.ts).
import type { Heap } from '../../heap.js';

const f32 = Math.fround;

/**
 * For each listed row: g' = g + l2 w;  a += g'²;  w -= lr g' / (sqrt(a) + eps) + lr decay w;
 * g = 0. Rounded to f32 at each step like the WASM core.
 */
export function adagradSparse(h: Heap, paramPtr: number, gradPtr: number, accPtr: number, rowsPtr: number, nRows: number, dim: number, lr: number, eps: number, l2: number, decay: number): void {
  const f = h.f32;
  const rows = h.i32;
  lr = f32(lr);
  eps = f32(eps);
  l2 = f32(l2);
  const lrDecay = f32(lr * f32(decay));
  for (let r = 0; r < nRows; r++) {
    const row = rows[(rowsPtr >> 2) + r];
    for (let c = 0; c < dim; c++) {
      const wi = (paramPtr >> 2) + row * dim + c;
      const gi = (gradPtr >> 2) + row * dim + c;
      const ai = (accPtr >> 2) + row * dim + c;
      const w = f[wi];
      const g = f32(f[gi] + f32(l2 * w));
      f[ai] = f32(f[ai] + f32(g * g));
      const step = f32(f32(lr * g) / f32(f32(Math.sqrt(f[ai])) + eps));
      f[wi] = f32(w - f32(step + f32(lrDecay * w)));
      f[gi] = 0;
    }
  }
}
