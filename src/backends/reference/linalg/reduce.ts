// Reference reductions (mirrors assembly/linalg/reduce.ts).
import type { Heap } from '../../heap.js';

/** y[j] (+)= Σ_r X[r,j] for X[m×n] row-major: the bias gradient db = Σ over the batch of dY. */
export function colSum(h: Heap, yPtr: number, xPtr: number, m: number, n: number, accumulate: number): void {
  const f = h.f32;
  const y = yPtr >> 2;
  const x = xPtr >> 2;
  for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let r = 0; r < m; r++) sum += f[x + r * n + j];
    f[y + j] = accumulate ? f[y + j] + sum : sum;
  }
}
