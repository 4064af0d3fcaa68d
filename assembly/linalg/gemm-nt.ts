// The input gradient of a dense layer, dX = dY·Wᵀ (gemm_nt): both operands read along
// contiguous rows, so each output is a dot product; f32x4 register tiles. Split from
// gemm.ts, whose forward tiles read W by columns.
import { hsum, madd } from '../shared/simd';

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
