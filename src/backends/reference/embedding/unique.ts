// Reference index utilities (mirrors assembly/embedding/unique.ts).
import type { Heap } from '../../heap.js';

/**
 * Distinct values of idx[0..n) in first-seen order, written to out; returns how many.
 * stamp[v] == stampValue means v was already seen in this call.
 */
export function uniqueRows(h: Heap, outPtr: number, stampPtr: number, idxPtr: number, n: number, stampValue: number): number {
  return appendUnique(h, outPtr, 0, stampPtr, idxPtr, 0, n, stampValue);
}

/** Appends the values of idx[from..to) whose stamp is not stampValue to out[count..]; returns the new count. */
function appendUnique(h: Heap, outPtr: number, count: number, stampPtr: number, idxPtr: number, from: number, to: number, stampValue: number): number {
  const i32 = h.i32;
  for (let r = from; r < to; r++) {
    const v = i32[(idxPtr >> 2) + r];
    if (i32[(stampPtr >> 2) + v] !== stampValue) {
      i32[(stampPtr >> 2) + v] = stampValue;
      i32[(outPtr >> 2) + count] = v;
      count++;
    }
  }
  return count;
}

/** out[r] = src[idx[r]], copied through the i32 view so every bit pattern is kept. */
export function take(h: Heap, outPtr: number, srcPtr: number, idxPtr: number, n: number): void {
  const i32 = h.i32;
  for (let r = 0; r < n; r++) {
    i32[(outPtr >> 2) + r] = i32[(srcPtr >> 2) + i32[(idxPtr >> 2) + r]];
  }
}

/** Appends the not-yet-listed rows of idx (or of CSR ids idx[offsets[0]..offsets[n])) to out; state = [count, stampValue]. */
export function markRows(h: Heap, statePtr: number, outPtr: number, stampPtr: number, idxPtr: number, offsetsPtr: number, n: number): void {
  const i32 = h.i32;
  const s = statePtr >> 2;
  const from = offsetsPtr !== 0 ? i32[offsetsPtr >> 2] : 0;
  const to = offsetsPtr !== 0 ? i32[(offsetsPtr >> 2) + n] : n;
  i32[s] = appendUnique(h, outPtr, i32[s], stampPtr, idxPtr, from, to, i32[s + 1]);
}
