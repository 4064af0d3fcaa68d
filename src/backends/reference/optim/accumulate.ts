// Reference of the replica gradient sum (mirrors assembly/optim/accumulate.ts).
import type { Heap } from '../../heap.js';

const f32 = Math.fround;

/** dst[row] += src[row]; src[row] = 0 on the listed rows. */
export function accumulateRows(h: Heap, dstPtr: number, srcPtr: number, rowsPtr: number, nRows: number, dim: number): void {
  const f = h.f32;
  const rows = h.i32;
  for (let r = 0; r < nRows; r++) {
    const at = rows[(rowsPtr >> 2) + r] * dim;
    const d = (dstPtr >> 2) + at;
    const s = (srcPtr >> 2) + at;
    for (let c = 0; c < dim; c++) {
      f[d + c] = f32(f[d + c] + f[s + c]);
      f[s + c] = 0;
    }
  }
}
