// STUB: to be implemented.
import type { Heap } from '../../heap.js';

export function adagradSparse(h: Heap, paramPtr: number, gradPtr: number, accPtr: number, rowsPtr: number, nRows: number, dim: number, lr: number, eps: number, l2: number, decay: number): void {
  throw new Error('not implemented');
}
