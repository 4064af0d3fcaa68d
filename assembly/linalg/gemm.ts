// Dense matrix products for the towers: forward Y = X·W + b and the two backward products
// dX = dY·Wᵀ (gemm_nt) and dW = Xᵀ·dY (gemm_tn), all f32x4 register-blocked.
import { hsum, madd } from '../shared/simd';

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
 * Y[m×k] (+)= A[m×n]·B[k×n]ᵀ, i.e. Y[i,j] = Σ_p A[i,p]·B[j,p]: the input gradient dX = dY·Wᵀ.
 * Both operands are read along contiguous rows, so each output is a dot product: a tile of
 * 2 rows of A × 4 rows of B keeps 8 accumulators (+ 2 A vectors + 1 B vector = 11 live),
 * then one transpose-and-add turns each row's 4 accumulators into 4 adjacent outputs.
 * Measured alternative (same run, alternating): packing Bᵀ into a static scratch and
 * reusing the gemm tile was equal at 256×70×64 and ~+12% at n = 16..17 only, so the
 * scratch (module state, slab logic) was not worth it.
 * Row-major, contiguous; any sizes. Y must not alias A or B.
 */
export function linalg_gemm_nt_f32(yPtr: usize, aPtr: usize, bPtr: usize, m: i32, k: i32, n: i32, accumulate: i32): void {
  const aStep = <usize>n << 2;
  const yStep = <usize>k << 2;
  const vecEnd = n & ~3;
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const a0 = aPtr + <usize>i * aStep;
    const a1 = a0 + aStep;
    const y0 = yPtr + <usize>i * yStep;
    const y1 = y0 + yStep;
    let j = 0;
    for (; j + 4 <= k; j += 4) {
      const b0 = bPtr + <usize>j * aStep;
      const b1 = b0 + aStep;
      const b2 = b1 + aStep;
      const b3 = b2 + aStep;
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
      let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
      let p = 0;
      for (; p < vecEnd; p += 4) {
        const off = <usize>p << 2;
        const u = v128.load(a0 + off);
        const v = v128.load(a1 + off);
        let bv = v128.load(b0 + off);
        s00 = madd(u, bv, s00);
        s10 = madd(v, bv, s10);
        bv = v128.load(b1 + off);
        s01 = madd(u, bv, s01);
        s11 = madd(v, bv, s11);
        bv = v128.load(b2 + off);
        s02 = madd(u, bv, s02);
        s12 = madd(v, bv, s12);
        bv = v128.load(b3 + off);
        s03 = madd(u, bv, s03);
        s13 = madd(v, bv, s13);
      }
      let r0 = sum4(s00, s01, s02, s03);
      let r1 = sum4(s10, s11, s12, s13);
      for (; p < n; p++) {
        const off = <usize>p << 2;
        const bv = column4(b0 + off, aStep);
        r0 = madd(v128.load32_splat(a0 + off), bv, r0);
        r1 = madd(v128.load32_splat(a1 + off), bv, r1);
      }
      const yj0 = y0 + (<usize>j << 2);
      const yj1 = y1 + (<usize>j << 2);
      if (accumulate) {
        r0 = f32x4.add(r0, v128.load(yj0));
        r1 = f32x4.add(r1, v128.load(yj1));
      }
      v128.store(yj0, r0);
      v128.store(yj1, r1);
    }
    for (; j < k; j++) {
      const yj0 = y0 + (<usize>j << 2);
      const yj1 = y1 + (<usize>j << 2);
      const b0 = bPtr + <usize>j * aStep;
      const d0 = dot(a0, b0, n);
      const d1 = dot(a1, b0, n);
      store<f32>(yj0, accumulate ? load<f32>(yj0) + d0 : d0);
      store<f32>(yj1, accumulate ? load<f32>(yj1) + d1 : d1);
    }
  }
  if (i < m) {
    const a0 = aPtr + <usize>i * aStep;
    const y0 = yPtr + <usize>i * yStep;
    for (let j = 0; j < k; j++) {
      const yj = y0 + (<usize>j << 2);
      const d = dot(a0, bPtr + <usize>j * aStep, n);
      store<f32>(yj, accumulate ? load<f32>(yj) + d : d);
    }
  }
}

/** [Σ lanes of s0, Σ lanes of s1, Σ lanes of s2, Σ lanes of s3] by a 4×4 transpose-add. */
// @ts-ignore: decorator
@inline function sum4(s0: v128, s1: v128, s2: v128, s3: v128): v128 {
  const t01 = f32x4.add(f32x4.shuffle(s0, s1, 0, 4, 1, 5), f32x4.shuffle(s0, s1, 2, 6, 3, 7));
  const t23 = f32x4.add(f32x4.shuffle(s2, s3, 0, 4, 1, 5), f32x4.shuffle(s2, s3, 2, 6, 3, 7));
  return f32x4.add(f32x4.shuffle(t01, t23, 0, 1, 4, 5), f32x4.shuffle(t01, t23, 2, 3, 6, 7));
}

/** [p[0], p[step], p[2 step], p[3 step]]: one element from each of 4 rows. */
// @ts-ignore: decorator
@inline function column4(p: usize, step: usize): v128 {
  let v = v128.load32_zero(p);
  v = f32x4.replace_lane(v, 1, load<f32>(p + step));
  v = f32x4.replace_lane(v, 2, load<f32>(p + (step << 1)));
  return f32x4.replace_lane(v, 3, load<f32>(p + step * 3));
}

/** Σ_p a[p]·b[p] over n floats. */
// @ts-ignore: decorator
@inline function dot(a: usize, b: usize, n: i32): f32 {
  let s = f32x4.splat(0);
  let p = 0;
  for (; p + 4 <= n; p += 4) s = madd(v128.load(a + (<usize>p << 2)), v128.load(b + (<usize>p << 2)), s);
  let d = hsum(s);
  for (; p < n; p++) d += load<f32>(a + (<usize>p << 2)) * load<f32>(b + (<usize>p << 2));
  return d;
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
