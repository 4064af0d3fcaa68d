// Row-wise dot product of two batch matrices: the score of a two-tower `dot` head.

import type { Backend } from '../backends/index.js';

/**
 * out[r] = a[r]·b[r] over m rows of width dim (both contiguous).
 *
 * @example
 * Dot.forward(be, scorePtr, userVecPtr, itemVecPtr, m, 32);
 * Dot.backward(be, dUserPtr, dItemPtr, dScorePtr, userVecPtr, itemVecPtr, m, 32, 1);
 */
export const Dot = {
  forward(be: Backend, outPtr: number, aPtr: number, bPtr: number, m: number, dim: number): void {
    be.kernels.rowDot(outPtr, aPtr, bPtr, m, dim);
  },
  /** da (+)= dOut·b, db (+)= dOut·a (accumulate = 1 adds to what is there). */
  backward(be: Backend, daPtr: number, dbPtr: number, dOutPtr: number, aPtr: number, bPtr: number, m: number, dim: number, accumulate: number): void {
    be.kernels.rowDotBackward(daPtr, dbPtr, dOutPtr, aPtr, bPtr, m, dim, accumulate);
  },
};
