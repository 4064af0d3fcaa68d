// Reference index utilities (mirrors assembly/embedding/mark.ts).
import type { Heap } from '../../heap.js';

/** out[r] = src[idx[r]], copied through the i32 view so every bit pattern is kept. */
export function take(h: Heap, outPtr: number, srcPtr: number, idxPtr: number, n: number): void {
  const i32 = h.i32;
  for (let r = 0; r < n; r++) {
    i32[(outPtr >> 2) + r] = i32[(srcPtr >> 2) + i32[(idxPtr >> 2) + r]];
  }
}

/** out[r·width + c] = src[idx[r]·width + c]: whole 32-bit rows, bits kept. */
export function takeRows(h: Heap, outPtr: number, srcPtr: number, idxPtr: number, n: number, width: number): void {
  const i32 = h.i32;
  for (let r = 0; r < n; r++) {
    const from = (srcPtr >> 2) + i32[(idxPtr >> 2) + r] * width;
    i32.copyWithin((outPtr >> 2) + r * width, from, from + width);
  }
}

/** Appends the not-yet-listed rows of idx (or of CSR ids idx[offsets[0]..offsets[n])) to out in first-seen order; state = [count, stampValue]. */
export function markRows(h: Heap, statePtr: number, outPtr: number, stampPtr: number, idxPtr: number, offsetsPtr: number, n: number): void {
  const i32 = h.i32;
  const s = statePtr >> 2;
  const from = offsetsPtr !== 0 ? i32[offsetsPtr >> 2] : 0;
  const to = offsetsPtr !== 0 ? i32[(offsetsPtr >> 2) + n] : n;
  let count = i32[s];
  const stampValue = i32[s + 1];
  for (let r = from; r < to; r++) {
    const v = i32[(idxPtr >> 2) + r];
    if (v < 0) continue;
    if (i32[(stampPtr >> 2) + v] !== stampValue) {
      i32[(stampPtr >> 2) + v] = stampValue;
      i32[(outPtr >> 2) + count] = v;
      count++;
    }
  }
  i32[s] = count;
}
