// Dense matrix products for the towers: forward Y = X·W + b and the weight gradient
// dW = Xᵀ·dY (gemm_tn), f32x4 register-blocked; the input gradient dX = dY·Wᵀ is gemm-nt.ts.
import { madd } from '../shared/simd';

// Why this shape (docs/performance-notes.md, GEMM 256×70×64): a 4-row × 8-column tile keeps 8 v128
// accumulators + 2 loaded W vectors + 1 splat = 11 live vectors, under V8's 16 registers,
// and runs 2.9× the naive loop; a 16-accumulator tile spills and is slower.
// No pointer is assumed 16-byte aligned: batch slices are only 4-byte aligned, and WASM
// v128.load/store accept any address.

/**
 * Y[rows×cols] (+)= X·W (+ b), where X element (i, p) lives at x + i*xRowStep + p*xInnerStep
 * (byte steps). With steps (4k, 4) X is a row-major m×k matrix (gemm); with (4, 4k) X is
 * the transpose of a row-major m×k matrix (gemm_tn). W is inner×cols row-major, Y rows×cols.
 */
function gemmCore(yPtr: usize, xPtr: usize, xRowStep: usize, xInnerStep: usize, wPtr: usize, bPtr: usize, rows: i32, inner: i32, cols: i32, accumulate: i32): void {
  const colBytes = <usize>cols << 2;
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const x = xPtr + <usize>i * xRowStep;
    const y = yPtr + <usize>i * colBytes;
    let j = 0;
    for (; j + 8 <= cols; j += 8) tile4x8(y + (<usize>j << 2), colBytes, x, xRowStep, xInnerStep, wPtr + (<usize>j << 2), colBytes, bPtr ? bPtr + (<usize>j << 2) : 0, inner, accumulate);
    for (; j + 4 <= cols; j += 4) tile4x4(y + (<usize>j << 2), colBytes, x, xRowStep, xInnerStep, wPtr + (<usize>j << 2), colBytes, bPtr ? bPtr + (<usize>j << 2) : 0, inner, accumulate);
    for (; j < cols; j++) tile4x1(y + (<usize>j << 2), colBytes, x, xRowStep, xInnerStep, wPtr + (<usize>j << 2), colBytes, bPtr ? bPtr + (<usize>j << 2) : 0, inner, accumulate);
  }
  for (; i < rows; i++) {
    const x = xPtr + <usize>i * xRowStep;
    const y = yPtr + <usize>i * colBytes;
    let j = 0;
    for (; j + 4 <= cols; j += 4) tile1x4(y + (<usize>j << 2), x, xInnerStep, wPtr + (<usize>j << 2), colBytes, bPtr ? bPtr + (<usize>j << 2) : 0, inner, accumulate);
    for (; j < cols; j++) tile1x1(y + (<usize>j << 2), x, xInnerStep, wPtr + (<usize>j << 2), colBytes, bPtr ? bPtr + (<usize>j << 2) : 0, inner, accumulate);
  }
}

/** The starting value of an accumulator: old Y when accumulating, plus the bias if any. */
// @ts-ignore: decorator
@inline function start4(y: usize, b: usize, accumulate: i32): v128 {
  let v = accumulate ? v128.load(y) : f32x4.splat(0);
  if (b) v = f32x4.add(v, v128.load(b));
  return v;
}

// @ts-ignore: decorator
@inline function start1(y: usize, b: usize, accumulate: i32): f32 {
  let v: f32 = accumulate ? load<f32>(y) : 0;
  if (b) v += load<f32>(b);
  return v;
}

// @ts-ignore: decorator
@inline function tile4x8(y: usize, yStep: usize, x: usize, xRowStep: usize, xInnerStep: usize, w: usize, wStep: usize, b: usize, inner: i32, accumulate: i32): void {
  const y1 = y + yStep;
  const y2 = y1 + yStep;
  const y3 = y2 + yStep;
  let c00 = start4(y, b, accumulate);
  let c01 = start4(y + 16, b ? b + 16 : 0, accumulate);
  let c10 = start4(y1, b, accumulate);
  let c11 = start4(y1 + 16, b ? b + 16 : 0, accumulate);
  let c20 = start4(y2, b, accumulate);
  let c21 = start4(y2 + 16, b ? b + 16 : 0, accumulate);
  let c30 = start4(y3, b, accumulate);
  let c31 = start4(y3 + 16, b ? b + 16 : 0, accumulate);
  const x1 = xRowStep;
  const x2 = xRowStep << 1;
  const x3 = x2 + xRowStep;
  let xp = x;
  let wp = w;
  for (let p = 0; p < inner; p++) {
    const w0 = v128.load(wp);
    const w1 = v128.load(wp, 16);
    let a = v128.load32_splat(xp);
    c00 = madd(a, w0, c00);
    c01 = madd(a, w1, c01);
    a = v128.load32_splat(xp + x1);
    c10 = madd(a, w0, c10);
    c11 = madd(a, w1, c11);
    a = v128.load32_splat(xp + x2);
    c20 = madd(a, w0, c20);
    c21 = madd(a, w1, c21);
    a = v128.load32_splat(xp + x3);
    c30 = madd(a, w0, c30);
    c31 = madd(a, w1, c31);
    xp += xInnerStep;
    wp += wStep;
  }
  v128.store(y, c00);
  v128.store(y, c01, 16);
  v128.store(y1, c10);
  v128.store(y1, c11, 16);
  v128.store(y2, c20);
  v128.store(y2, c21, 16);
  v128.store(y3, c30);
  v128.store(y3, c31, 16);
}

// @ts-ignore: decorator
@inline function tile4x4(y: usize, yStep: usize, x: usize, xRowStep: usize, xInnerStep: usize, w: usize, wStep: usize, b: usize, inner: i32, accumulate: i32): void {
  const y1 = y + yStep;
  const y2 = y1 + yStep;
  const y3 = y2 + yStep;
  let c0 = start4(y, b, accumulate);
  let c1 = start4(y1, b, accumulate);
  let c2 = start4(y2, b, accumulate);
  let c3 = start4(y3, b, accumulate);
  const x1 = xRowStep;
  const x2 = xRowStep << 1;
  const x3 = x2 + xRowStep;
  let xp = x;
  let wp = w;
  for (let p = 0; p < inner; p++) {
    const w0 = v128.load(wp);
    c0 = madd(v128.load32_splat(xp), w0, c0);
    c1 = madd(v128.load32_splat(xp + x1), w0, c1);
    c2 = madd(v128.load32_splat(xp + x2), w0, c2);
    c3 = madd(v128.load32_splat(xp + x3), w0, c3);
    xp += xInnerStep;
    wp += wStep;
  }
  v128.store(y, c0);
  v128.store(y1, c1);
  v128.store(y2, c2);
  v128.store(y3, c3);
}

/** One column of a 4-row block: the scalar tail when cols is not a multiple of 4. */
// @ts-ignore: decorator
@inline function tile4x1(y: usize, yStep: usize, x: usize, xRowStep: usize, xInnerStep: usize, w: usize, wStep: usize, b: usize, inner: i32, accumulate: i32): void {
  const y1 = y + yStep;
  const y2 = y1 + yStep;
  const y3 = y2 + yStep;
  let c0 = start1(y, b, accumulate);
  let c1 = start1(y1, b, accumulate);
  let c2 = start1(y2, b, accumulate);
  let c3 = start1(y3, b, accumulate);
  const x1 = xRowStep;
  const x2 = xRowStep << 1;
  const x3 = x2 + xRowStep;
  let xp = x;
  let wp = w;
  for (let p = 0; p < inner; p++) {
    const w0 = load<f32>(wp);
    c0 += load<f32>(xp) * w0;
    c1 += load<f32>(xp + x1) * w0;
    c2 += load<f32>(xp + x2) * w0;
    c3 += load<f32>(xp + x3) * w0;
    xp += xInnerStep;
    wp += wStep;
  }
  store<f32>(y, c0);
  store<f32>(y1, c1);
  store<f32>(y2, c2);
  store<f32>(y3, c3);
}

/** Four columns of one leftover row (rows not a multiple of 4). */
// @ts-ignore: decorator
@inline function tile1x4(y: usize, x: usize, xInnerStep: usize, w: usize, wStep: usize, b: usize, inner: i32, accumulate: i32): void {
  let c = start4(y, b, accumulate);
  let xp = x;
  let wp = w;
  for (let p = 0; p < inner; p++) {
    c = madd(v128.load32_splat(xp), v128.load(wp), c);
    xp += xInnerStep;
    wp += wStep;
  }
  v128.store(y, c);
}

// @ts-ignore: decorator
@inline function tile1x1(y: usize, x: usize, xInnerStep: usize, w: usize, wStep: usize, b: usize, inner: i32, accumulate: i32): void {
  let c = start1(y, b, accumulate);
  let xp = x;
  let wp = w;
  for (let p = 0; p < inner; p++) {
    c += load<f32>(xp) * load<f32>(wp);
    xp += xInnerStep;
    wp += wStep;
  }
  store<f32>(y, c);
}

/**
 * Y[m×n] (+)= X[m×k]·W[k×n] (+ b[n] broadcast over rows when bPtr != 0): the dense layer.
 * All row-major and contiguous; any m, k, n ≥ 0 (4×8 tiles, then 4×4, then scalar tails).
 * accumulate = 1 adds into Y, 0 overwrites it. Y must not alias X, W or b.
 */
export function linalg_gemm_f32(yPtr: usize, xPtr: usize, wPtr: usize, bPtr: usize, m: i32, k: i32, n: i32, accumulate: i32): void {
  gemmCore(yPtr, xPtr, <usize>k << 2, 4, wPtr, bPtr, m, k, n, accumulate);
}

/**
 * Y[k×n] (+)= A[m×k]ᵀ·B[m×n], i.e. Y[p,j] = Σ_r A[r,p]·B[r,j]: the weight gradient dW = Xᵀ·dY.
 * Accumulates rank-1 updates row by row of A and B into 4×8 register tiles of Y: the same
 * kernel as gemm with A read transposed (its 4 splatted values are adjacent in a row of A).
 * Row-major, contiguous; any sizes. Y must not alias A or B.
 */
export function linalg_gemm_tn_f32(yPtr: usize, aPtr: usize, bPtr: usize, m: i32, k: i32, n: i32, accumulate: i32): void {
  gemmCore(yPtr, aPtr, 4, <usize>k << 2, bPtr, 0, k, m, n, accumulate);
}
