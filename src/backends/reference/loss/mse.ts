// Reference squared-error loss (mirrors assembly/loss/mse.ts).
import type { Heap } from '../../heap.js';

/** Returns Σ (pred - target)² (in f64); grad[r] = scale · 2 · (pred[r] - target[r]). */
export function mse(h: Heap, gradPtr: number, predPtr: number, targetPtr: number, n: number, scale: number): number {
  const f = h.f32;
  const twoScale = Math.fround(2 * Math.fround(scale));
  let sse = 0;
  for (let r = 0; r < n; r++) {
    const d = Math.fround(f[(predPtr >> 2) + r] - f[(targetPtr >> 2) + r]);
    f[(gradPtr >> 2) + r] = twoScale * d;
    sse += d * d;
  }
  return sse;
}
