// STUB: to be implemented.
import type { Heap } from '../../heap.js';

export function mse(h: Heap, gradPtr: number, predPtr: number, targetPtr: number, n: number, scale: number): number {
  throw new Error('not implemented');
}
