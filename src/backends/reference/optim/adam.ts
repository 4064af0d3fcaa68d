// STUB: to be implemented.
import type { Heap } from '../../heap.js';

export function adamSparse(h: Heap, paramPtr: number, gradPtr: number, mPtr: number, vPtr: number, rowsPtr: number, nRows: number, dim: number, lr: number, beta1: number, beta2: number, eps: number, l2: number, decay: number, c1: number, c2: number): void {
  throw new Error('not implemented');
}
