// Reference fused dense-layer steps (mirrors assembly/fused/dense.ts): the plain sequence
// of gemm, activation and colSum that the WASM kernels do in one call.
import type { Heap } from '../../heap.js';
import { DENSE_ACT } from '../../kernels.js';
import { gemm } from '../linalg/gemm.js';
import { colSum } from '../linalg/reduce.js';
import { relu, reluBackward } from '../nn/activation.js';

/** Y = act(X·W + b), act = identity (DENSE_ACT.linear) or relu (DENSE_ACT.relu). */
export function denseForward(h: Heap, yPtr: number, xPtr: number, wPtr: number, bPtr: number, m: number, k: number, n: number, act: number): void {
  gemm(h, yPtr, xPtr, wPtr, bPtr, m, k, n, 0);
  if (act === DENSE_ACT.relu) relu(h, yPtr, yPtr, m * n);
}

/** dZ = dY ⊙ act'(Y); gb += Σ over rows of dZ. */
export function denseActBackward(h: Heap, dzPtr: number, gbPtr: number, dyPtr: number, yPtr: number, m: number, n: number, act: number): void {
  if (act === DENSE_ACT.relu) reluBackward(h, dzPtr, dyPtr, yPtr, m * n);
  else if (dzPtr !== dyPtr) h.f32.copyWithin(dzPtr >> 2, dyPtr >> 2, (dyPtr >> 2) + m * n);
  colSum(h, gbPtr, dzPtr, m, n, 1);
}
