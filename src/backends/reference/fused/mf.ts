// STUB: to be implemented.
import type { Heap } from '../../heap.js';

export function mfSgdEpoch(h: Heap, pPtr: number, qPtr: number, buPtr: number, biPtr: number, usersPtr: number, itemsPtr: number, ratingsPtr: number, orderPtr: number, start: number, count: number, k: number, mu: number, lr: number, regFactor: number, regBias: number): number {
  throw new Error('not implemented');
}

export function mfPredict(h: Heap, predPtr: number, pPtr: number, qPtr: number, buPtr: number, biPtr: number, usersPtr: number, itemsPtr: number, n: number, k: number, mu: number): void {
  throw new Error('not implemented');
}

export function mfBackward(h: Heap, gPPtr: number, gQPtr: number, gBuPtr: number, gBiPtr: number, dPredPtr: number, pPtr: number, qPtr: number, usersPtr: number, itemsPtr: number, n: number, k: number): void {
  throw new Error('not implemented');
}
