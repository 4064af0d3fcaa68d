// Reference elementwise activations and their backward passes (mirrors assembly/nn/activation.ts).
// Each reads x[i] (or dy[i], y[i]) before writing index i, so outputs may alias inputs.
import type { Heap } from '../../heap.js';

/** y = max(x, 0); NaN maps to 0. */
export function relu(h: Heap, yPtr: number, xPtr: number, n: number): void {
  const f = h.f32;
  for (let i = 0; i < n; i++) {
    const x = f[(xPtr >> 2) + i];
    f[(yPtr >> 2) + i] = x > 0 ? x : 0;
  }
}

/** dx = y > 0 ? dy : 0, from the forward output y. */
export function reluBackward(h: Heap, dxPtr: number, dyPtr: number, yPtr: number, n: number): void {
  const f = h.f32;
  for (let i = 0; i < n; i++) {
    f[(dxPtr >> 2) + i] = f[(yPtr >> 2) + i] > 0 ? f[(dyPtr >> 2) + i] : 0;
  }
}

/** y = 1 / (1 + e^-x), written as e^x / (1 + e^x) for x < 0 so exp never overflows. */
export function sigmoid(h: Heap, yPtr: number, xPtr: number, n: number): void {
  const f = h.f32;
  for (let i = 0; i < n; i++) {
    const x = f[(xPtr >> 2) + i];
    const e = Math.exp(-Math.abs(x));
    f[(yPtr >> 2) + i] = x >= 0 ? 1 / (1 + e) : e / (1 + e);
  }
}

/** dx = dy · y · (1 − y), from the forward output y. */
export function sigmoidBackward(h: Heap, dxPtr: number, dyPtr: number, yPtr: number, n: number): void {
  const f = h.f32;
  for (let i = 0; i < n; i++) {
    const y = f[(yPtr >> 2) + i];
    f[(dxPtr >> 2) + i] = f[(dyPtr >> 2) + i] * y * (1 - y);
  }
}

/** y = tanh(x). */
export function tanh(h: Heap, yPtr: number, xPtr: number, n: number): void {
  const f = h.f32;
  for (let i = 0; i < n; i++) f[(yPtr >> 2) + i] = Math.tanh(f[(xPtr >> 2) + i]);
}

/** dx = dy · (1 − y²), from the forward output y. */
export function tanhBackward(h: Heap, dxPtr: number, dyPtr: number, yPtr: number, n: number): void {
  const f = h.f32;
  for (let i = 0; i < n; i++) {
    const y = f[(yPtr >> 2) + i];
    f[(dxPtr >> 2) + i] = f[(dyPtr >> 2) + i] * (1 - y * y);
  }
}
