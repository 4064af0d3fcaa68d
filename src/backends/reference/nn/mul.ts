// Reference elementwise product (mirrors assembly/nn/mul.ts).
import type { Heap } from '../../heap.js';

/** y[i] = a[i]·b[i]; reads both inputs of element i before writing it, so y may alias a or b. */
export function mul(h: Heap, yPtr: number, aPtr: number, bPtr: number, n: number): void {
  const f = h.f32;
  for (let i = 0; i < n; i++) f[(yPtr >> 2) + i] = f[(aPtr >> 2) + i] * f[(bPtr >> 2) + i];
}
