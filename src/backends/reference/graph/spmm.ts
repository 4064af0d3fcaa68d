// Reference CSR × dense propagation (mirrors assembly/graph/spmm.ts).
import type { Heap } from '../../heap.js';

const f32 = Math.fround;

/**
 * Y[r] = α Σ_e val[e] X[col[e]] + β B[r] over the edges e of row r (CSR rowPtr/col/val),
 * rows of `dim` floats; β = 0 ignores B. Sums in edge order, rounded to f32 per product and
 * addition like the WASM core (whose lanes follow the same order per column).
 */
export function spmm(h: Heap, yPtr: number, rowPtrPtr: number, colPtr: number, valPtr: number, xPtr: number, bPtr: number, nRows: number, dim: number, alpha: number, beta: number): void {
  const f = h.f32;
  const ints = h.i32;
  alpha = f32(alpha);
  beta = f32(beta);
  for (let r = 0; r < nRows; r++) {
    const e0 = ints[(rowPtrPtr >> 2) + r];
    const e1 = ints[(rowPtrPtr >> 2) + r + 1];
    for (let c = 0; c < dim; c++) {
      let acc = 0;
      for (let e = e0; e < e1; e++) acc = f32(acc + f32(f[(valPtr >> 2) + e] * f[(xPtr >> 2) + ints[(colPtr >> 2) + e] * dim + c]));
      let out = f32(alpha * acc);
      if (beta !== 0) out = f32(out + f32(beta * f[(bPtr >> 2) + r * dim + c]));
      f[(yPtr >> 2) + r * dim + c] = out;
    }
  }
}
