// STUB: to be implemented.
import type { Heap } from '../../heap.js';

export function relu(h: Heap, yPtr: number, xPtr: number, n: number): void {
  throw new Error('not implemented');
}

export function reluBackward(h: Heap, dxPtr: number, dyPtr: number, yPtr: number, n: number): void {
  throw new Error('not implemented');
}

export function sigmoid(h: Heap, yPtr: number, xPtr: number, n: number): void {
  throw new Error('not implemented');
}

export function sigmoidBackward(h: Heap, dxPtr: number, dyPtr: number, yPtr: number, n: number): void {
  throw new Error('not implemented');
}

export function tanh(h: Heap, yPtr: number, xPtr: number, n: number): void {
  throw new Error('not implemented');
}

export function tanhBackward(h: Heap, dxPtr: number, dyPtr: number, yPtr: number, n: number): void {
  throw new Error('not implemented');
}
