// STUB: to be implemented.
import type { Heap } from '../../heap.js';

export function sgdSparse(h: Heap, paramPtr: number, gradPtr: number, rowsPtr: number, nRows: number, dim: number, lr: number, l2: number, decay: number): void {
  throw new Error('not implemented');
}

export function momentumSparse(h: Heap, paramPtr: number, gradPtr: number, velPtr: number, rowsPtr: number, nRows: number, dim: number, lr: number, momentum: number, l2: number, decay: number): void {
  throw new Error('not implemented');
}
