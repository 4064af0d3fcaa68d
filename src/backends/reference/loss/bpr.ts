// Reference BPR loss (mirrors assembly/loss/bpr.ts).
import type { Heap } from '../../heap.js';

/**
 * Returns Σ_r −log σ(pos_r − neg_r) (in f64); gradPos[r] = −scale · σ(neg_r − pos_r),
 * gradNeg[r] = scale · σ(neg_r − pos_r).
 */
export function bpr(h: Heap, gradPosPtr: number, gradNegPtr: number, posPtr: number, negPtr: number, n: number, scale: number): number {
  const f = h.f32;
  let sum = 0;
  for (let r = 0; r < n; r++) {
    const d = Math.fround(f[(posPtr >> 2) + r] - f[(negPtr >> 2) + r]);
    const e = Math.exp(-Math.abs(d));
    const wrong = d >= 0 ? e / (1 + e) : 1 / (1 + e); // σ(−d)
    f[(gradPosPtr >> 2) + r] = -scale * wrong;
    f[(gradNegPtr >> 2) + r] = scale * wrong;
    sum += Math.max(-d, 0) + Math.log1p(e);
  }
  return sum;
}
