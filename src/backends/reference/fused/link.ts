// Reference link regression by SGD (mirrors assembly/fused/link.ts).
import type { Heap } from '../../heap.js';

const f32 = Math.fround;

/** e = A[a]·B[b] − t per link; both rows step against weight·e² with L2 reg. Returns Σ e². */
export function linkSgd(h: Heap, aPtr: number, bPtr: number, aRowsPtr: number, bRowsPtr: number, targetsPtr: number, start: number, count: number, k: number, lr: number, weight: number, reg: number): number {
  const f = h.f32;
  const ints = h.i32;
  [lr, weight, reg] = [lr, weight, reg].map(f32);
  const keep = f32(1 - f32(lr * reg));
  let sse = 0;
  for (let l = start; l < start + count; l++) {
    const a = (aPtr >> 2) + ints[(aRowsPtr >> 2) + l] * k;
    const b = (bPtr >> 2) + ints[(bRowsPtr >> 2) + l] * k;
    let dot = 0;
    for (let c = 0; c < k; c++) dot = f32(dot + f32(f[a + c] * f[b + c]));
    const err = f32(dot - f[(targetsPtr >> 2) + l]);
    sse += err * err;
    const step = f32(f32(lr * weight) * err);
    for (let c = 0; c < k; c++) {
      const av = f[a + c];
      const bv = f[b + c];
      f[a + c] = f32(f32(keep * av) - f32(step * bv));
      f[b + c] = f32(f32(keep * bv) - f32(step * av));
    }
  }
  return sse;
}
