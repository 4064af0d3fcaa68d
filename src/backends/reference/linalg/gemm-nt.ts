// Reference input-gradient product (mirrors assembly/linalg/gemm-nt.ts): a plain triple loop.
import type { Heap } from '../../heap.js';

/** Y[m×k] (+)= A[m×n]·B[k×n]ᵀ: Y[i,j] = (accumulate ? Y[i,j] : 0) + Σ_p A[i,p]·B[j,p]. */
export function gemmNt(h: Heap, yPtr: number, aPtr: number, bPtr: number, m: number, k: number, n: number, accumulate: number): void {
  const f = h.f32;
  const y = yPtr >> 2;
  const a = aPtr >> 2;
  const b = bPtr >> 2;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < k; j++) {
      let sum = 0;
      for (let p = 0; p < n; p++) sum += f[a + i * n + p] * f[b + j * n + p];
      f[y + i * k + j] = accumulate ? f[y + i * k + j] + sum : sum;
    }
  }
}
