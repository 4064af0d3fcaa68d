// STUB: to be implemented.
import type { Heap } from '../../heap.js';

export function rowDot(h: Heap, outPtr: number, aPtr: number, bPtr: number, n: number, dim: number): void {
  throw new Error('not implemented');
}

export function rowDotBackward(h: Heap, daPtr: number, dbPtr: number, dOutPtr: number, aPtr: number, bPtr: number, n: number, dim: number, accumulate: number): void {
  throw new Error('not implemented');
}
