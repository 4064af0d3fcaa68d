// Reference binary cross-entropy on logits (mirrors assembly/loss/bce.ts).
import type { Heap } from '../../heap.js';

/**
 * Returns Σ_r [softplus(x_r) − y_r·x_r] (in f64); grad[r] = scale · (σ(x_r) − y_r).
 * softplus(x) − x·y = max(x, 0) − x·y + log1p(e^−|x|), so exp never overflows.
 */
export function bceLogits(h: Heap, gradPtr: number, logitPtr: number, targetPtr: number, n: number, scale: number): number {
  const f = h.f32;
  let sum = 0;
  for (let r = 0; r < n; r++) {
    const x = f[(logitPtr >> 2) + r];
    const y = f[(targetPtr >> 2) + r];
    const e = Math.exp(-Math.abs(x));
    const sigmoid = x >= 0 ? 1 / (1 + e) : e / (1 + e);
    f[(gradPtr >> 2) + r] = scale * (sigmoid - y);
    sum += Math.max(x, 0) - x * y + Math.log1p(e);
  }
  return sum;
}
