// Reference gradient-norm kernels (mirrors assembly/optim/clip.ts).
import type { Heap } from '../../heap.js';

const f32 = Math.fround;

/** Σ g² over the listed rows (each row summed in f32 like the core's lanes, rows in f64). */
export function sumSquaresRows(h: Heap, gradPtr: number, rowsPtr: number, nRows: number, dim: number): number {
  const f = h.f32;
  const rows = h.i32;
  let total = 0;
  for (let r = 0; r < nRows; r++) {
    const base = (gradPtr >> 2) + rows[(rowsPtr >> 2) + r] * dim;
    let row = 0;
    for (let c = 0; c < dim; c++) row += f32(f[base + c] * f[base + c]);
    total += row;
  }
  return total;
}

/** g *= scale on the listed rows. */
export function scaleRows(h: Heap, gradPtr: number, rowsPtr: number, nRows: number, dim: number, scale: number): void {
  const f = h.f32;
  const rows = h.i32;
  scale = f32(scale);
  for (let r = 0; r < nRows; r++) {
    const base = (gradPtr >> 2) + rows[(rowsPtr >> 2) + r] * dim;
    for (let c = 0; c < dim; c++) f[base + c] = f32(f[base + c] * scale);
  }
}
