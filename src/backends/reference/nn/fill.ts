// Reference fill (mirrors assembly/nn/fill.ts).
import type { Heap } from '../../heap.js';

/** y[i] = value for i < n. */
export function fill(h: Heap, yPtr: number, n: number, value: number): void {
  h.f32.fill(value, yPtr >> 2, (yPtr >> 2) + n);
}
