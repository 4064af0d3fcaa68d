// Reference pairwise mlp-head kernels (mirrors assembly/fused/pair.ts): the first hidden
// layer of every (user, item) pair from its split halves A[u] + B[i].
import type { Heap } from '../../heap.js';
import { DENSE_ACT } from '../../kernels.js';

/** H[(u*n + i)*h + c] = act(A[u*h + c] + B[i*h + c]). */
export function pairHidden(hp: Heap, hPtr: number, aPtr: number, bPtr: number, m: number, n: number, h: number, act: number): void {
  const f = hp.f32;
  const H = hPtr >> 2;
  const A = aPtr >> 2;
  const B = bPtr >> 2;
  for (let u = 0; u < m; u++) {
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < h; c++) {
        const z = f[A + u * h + c] + f[B + i * h + c];
        f[H + (u * n + i) * h + c] = act === DENSE_ACT.relu && !(z > 0) ? 0 : z;
      }
    }
  }
}

/** S[u*n + i] (+)= bias + Σ_c w[c]·act(A[u*h + c] + B[i*h + c]). */
export function pairScore(hp: Heap, sPtr: number, aPtr: number, bPtr: number, wPtr: number, m: number, n: number, h: number, bias: number, act: number, accumulate: number): void {
  const f = hp.f32;
  const S = sPtr >> 2;
  const A = aPtr >> 2;
  const B = bPtr >> 2;
  const W = wPtr >> 2;
  for (let u = 0; u < m; u++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < h; c++) {
        const z = f[A + u * h + c] + f[B + i * h + c];
        s += (act === DENSE_ACT.relu && !(z > 0) ? 0 : z) * f[W + c];
      }
      s += bias;
      f[S + u * n + i] = accumulate ? f[S + u * n + i] + s : s;
    }
  }
}
