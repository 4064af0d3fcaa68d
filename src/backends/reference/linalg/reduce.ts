// STUB: to be implemented.
import type { Heap } from '../../heap.js';

export function colSum(h: Heap, yPtr: number, xPtr: number, m: number, n: number, accumulate: number): void {
  throw new Error('not implemented');
}
