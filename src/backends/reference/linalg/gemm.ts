// STUB: to be implemented.
import type { Heap } from '../../heap.js';

export function gemm(h: Heap, yPtr: number, xPtr: number, wPtr: number, bPtr: number, m: number, k: number, n: number, accumulate: number): void {
  throw new Error('not implemented');
}

export function gemmNt(h: Heap, yPtr: number, aPtr: number, bPtr: number, m: number, k: number, n: number, accumulate: number): void {
  throw new Error('not implemented');
}

export function gemmTn(h: Heap, yPtr: number, aPtr: number, bPtr: number, m: number, k: number, n: number, accumulate: number): void {
  throw new Error('not implemented');
}
