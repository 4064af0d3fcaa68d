// Fused steps of a dense layer: forward GEMM + bias + activation in one call, and the
// activation backward + bias gradient (column sum) in one call. Each saves a JS↔WASM
// crossing per layer and a second pass over a batch that is still in cache.
import { linalg_gemm_f32 } from '../linalg/gemm';
import { linalg_col_sum_f32 } from '../linalg/reduce';

/** Activation codes shared with src/backends/kernels.ts (DENSE_ACT). */
const ACT_RELU: i32 = 1;

/**
 * Y[m×n] = act(X[m×k]·W[k×n] + b[n]) with act = identity (0) or relu (1); bPtr = 0 for no
 * bias. Row-major, contiguous; any sizes. Y must not alias X, W or b.
 */
export function fused_dense_forward_f32(yPtr: usize, xPtr: usize, wPtr: usize, bPtr: usize, m: i32, k: i32, n: i32, act: i32): void {
  linalg_gemm_f32(yPtr, xPtr, wPtr, bPtr, m, k, n, 0);
  if (act != ACT_RELU) return;
  const total = m * n;
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= total; i += 4) {
    const at = yPtr + (<usize>i << 2);
    v128.store(at, f32x4.pmax(zero, v128.load(at)));
  }
  for (; i < total; i++) {
    const at = yPtr + (<usize>i << 2);
    const v = load<f32>(at);
    store<f32>(at, v > 0 ? v : 0);
  }
}

/**
 * From dY (m×n) and the forward output Y: dZ = dY ⊙ act'(Y) (relu: dY where Y > 0, else
 * 0; identity: dZ = dY) and gb[n] += Σ_r dZ[r,·]. dZ may alias dY; gb must not alias either.
 */
export function fused_dense_act_backward_f32(dzPtr: usize, gbPtr: usize, dyPtr: usize, yPtr: usize, m: i32, n: i32, act: i32): void {
  if (act == ACT_RELU) {
    const total = m * n;
    const zero = f32x4.splat(0);
    let i = 0;
    for (; i + 4 <= total; i += 4) {
      const off = <usize>i << 2;
      v128.store(dzPtr + off, v128.and(v128.load(dyPtr + off), f32x4.gt(v128.load(yPtr + off), zero)));
    }
    for (; i < total; i++) {
      const off = <usize>i << 2;
      store<f32>(dzPtr + off, load<f32>(yPtr + off) > 0 ? load<f32>(dyPtr + off) : 0);
    }
    linalg_col_sum_f32(gbPtr, dzPtr, m, n, 1);
    return;
  }
  if (dzPtr != dyPtr) memory.copy(dzPtr, dyPtr, <usize>(m * n) << 2);
  linalg_col_sum_f32(gbPtr, dzPtr, m, n, 1);
}
