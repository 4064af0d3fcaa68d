// Reference lazy sparse SGD and momentum (mirrors assembly/optim/sgd.ts).
import type { Heap } from '../../heap.js';

const f32 = Math.fround;

/**
 * For each listed row: g' = g + l2 w;  w -= lr g' + lr decay w;  g = 0.
 * Rounded to f32 at each step like the WASM core.
 */
export function sgdSparse(h: Heap, paramPtr: number, gradPtr: number, rowsPtr: number, nRows: number, dim: number, lr: number, l2: number, decay: number): void {
  const f = h.f32;
  const rows = h.i32;
  lr = f32(lr);
  l2 = f32(l2);
  const lrDecay = f32(lr * f32(decay));
  for (let r = 0; r < nRows; r++) {
    const row = rows[(rowsPtr >> 2) + r];
    for (let c = 0; c < dim; c++) {
      const wi = (paramPtr >> 2) + row * dim + c;
      const gi = (gradPtr >> 2) + row * dim + c;
      const w = f[wi];
      const g = f32(f[gi] + f32(l2 * w));
      f[wi] = f32(w - f32(f32(lr * g) + f32(lrDecay * w)));
      f[gi] = 0;
    }
  }
}

/** For each listed row: g' = g + l2 w;  v = momentum v + g';  w -= lr v + lr decay w;  g = 0. */
export function momentumSparse(h: Heap, paramPtr: number, gradPtr: number, velPtr: number, rowsPtr: number, nRows: number, dim: number, lr: number, momentum: number, l2: number, decay: number): void {
  const f = h.f32;
  const rows = h.i32;
  lr = f32(lr);
  momentum = f32(momentum);
  l2 = f32(l2);
  const lrDecay = f32(lr * f32(decay));
  for (let r = 0; r < nRows; r++) {
    const row = rows[(rowsPtr >> 2) + r];
    for (let c = 0; c < dim; c++) {
      const wi = (paramPtr >> 2) + row * dim + c;
      const gi = (gradPtr >> 2) + row * dim + c;
      const vi = (velPtr >> 2) + row * dim + c;
      const w = f[wi];
      const g = f32(f[gi] + f32(l2 * w));
      f[vi] = f32(f32(momentum * f[vi]) + g);
      f[wi] = f32(w - f32(f32(lr * f[vi]) + f32(lrDecay * w)));
      f[gi] = 0;
    }
  }
}
