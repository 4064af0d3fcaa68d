// SIMD helpers shared by the kernels; the relaxed build fuses multiply-add.

/** a * b + c, fused (one rounding) in the relaxed-SIMD build, two roundings otherwise. */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** Sum of the four lanes of an f32x4. */
// @ts-ignore: decorator
@inline export function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** Σ_c a[c]·b[c] over n floats (f32x4 with a scalar tail; any 4-byte alignment). */
// @ts-ignore: decorator
@inline export function dot(a: usize, b: usize, n: i32): f32 {
  const vecEnd = n & ~3;
  let sV = f32x4.splat(0);
  let c = 0;
  for (; c < vecEnd; c += 4) sV = f32x4.add(sV, f32x4.mul(v128.load(a + (<usize>c << 2)), v128.load(b + (<usize>c << 2))));
  let s: f32 = f32x4.extract_lane(sV, 0) + f32x4.extract_lane(sV, 1) + f32x4.extract_lane(sV, 2) + f32x4.extract_lane(sV, 3);
  for (; c < n; c++) s += load<f32>(a + (<usize>c << 2)) * load<f32>(b + (<usize>c << 2));
  return s;
}

/** y[c] += w·x[c] over n floats (an unfused multiply-add, so every build rounds alike). */
// @ts-ignore: decorator
@inline export function axpy(y: usize, w: f32, x: usize, n: i32): void {
  const vecEnd = n & ~3;
  const wV = f32x4.splat(w);
  let c = 0;
  for (; c < vecEnd; c += 4) {
    const o = <usize>c << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(wV, v128.load(x + o))));
  }
  for (; c < n; c++) store<f32>(y + (<usize>c << 2), load<f32>(y + (<usize>c << 2)) + w * load<f32>(x + (<usize>c << 2)));
}
