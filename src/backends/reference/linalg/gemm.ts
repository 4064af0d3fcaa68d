// Reference dense matrix products (mirrors assembly/linalg/gemm.ts): plain triple loops.
import type { Heap } from '../../heap.js';

/**
 * Y[m×n] (+)= X[m×k]·W[k×n] (+ b[n] when bPtr != 0):
 * Y[i,j] = (accumulate ? Y[i,j] : 0) + b[j] + Σ_p X[i,p]·W[p,j].
 */
export function gemm(h: Heap, yPtr: number, xPtr: number, wPtr: number, bPtr: number, m: number, k: number, n: number, accumulate: number): void {
  const f = h.f32;
  const y = yPtr >> 2;
  const x = xPtr >> 2;
  const w = wPtr >> 2;
  const b = bPtr >> 2;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += f[x + i * k + p] * f[w + p * n + j];
      if (bPtr !== 0) sum += f[b + j];
      f[y + i * n + j] = accumulate ? f[y + i * n + j] + sum : sum;
    }
  }
}

/** Y[k×n] (+)= A[m×k]ᵀ·B[m×n]: Y[p,j] = (accumulate ? Y[p,j] : 0) + Σ_r A[r,p]·B[r,j]. */
export function gemmTn(h: Heap, yPtr: number, aPtr: number, bPtr: number, m: number, k: number, n: number, accumulate: number): void {
  const f = h.f32;
  const y = yPtr >> 2;
  const a = aPtr >> 2;
  const b = bPtr >> 2;
  for (let p = 0; p < k; p++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let r = 0; r < m; r++) sum += f[a + r * k + p] * f[b + r * n + j];
      f[y + p * n + j] = accumulate ? f[y + p * n + j] + sum : sum;
    }
  }
}
