// STUB: to be implemented.
import type { Heap } from '../../heap.js';

export function uniqueRows(h: Heap, outPtr: number, stampPtr: number, idxPtr: number, n: number, stampValue: number): number {
  throw new Error('not implemented');
}

export function take(h: Heap, outPtr: number, srcPtr: number, idxPtr: number, n: number): void {
  throw new Error('not implemented');
}
