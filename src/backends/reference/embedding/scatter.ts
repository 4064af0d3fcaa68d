// STUB: to be implemented.
import type { Heap } from '../../heap.js';

export function scatterAdd(h: Heap, gradTablePtr: number, gradRowsPtr: number, gradStride: number, idxPtr: number, n: number, dim: number): void {
  throw new Error('not implemented');
}

export function scatterAddMean(h: Heap, gradTablePtr: number, gradRowsPtr: number, gradStride: number, idsPtr: number, offsetsPtr: number, n: number, dim: number): void {
  throw new Error('not implemented');
}
