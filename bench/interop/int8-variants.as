// The two int8 scoring kernels measured before choosing assembly/serve/score-int8.ts
// (AssemblyScript; bench/interop/int8-variants.js compiles it to a temporary module):
//   score_f32q  f32 query × int8 rows widened to f32 (only the item table is quantised)
//   score_i16q  query quantised to int8, widened to i16 once, i32x4.dot_i16x8_s per 16 values (the chosen one)
//   score_f32   f32 query × f32 rows, the same 4-user tiling: the baseline
// Each scores 4 users per pass over the item rows, as the library kernel does.
// @ts-ignore
@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}
// @ts-ignore
@inline function toF32(b: v128): v128 { return f32x4.convert_i32x4_s(b); }


export function score_f32q(outPtr: usize, qPtr: usize, itPtr: usize, scPtr: usize, bPtr: usize, nU: i32, nI: i32, dim: i32): void {
  const qRow = <usize>dim << 2;
  const end16 = dim & ~15;
  for (let u0 = 0; u0 < nU; u0 += 4) {
    const nb = min(4, nU - u0);
    const q0 = qPtr + <usize>u0 * qRow;
    const q1 = nb > 1 ? q0 + qRow : q0;
    const q2 = nb > 2 ? q0 + 2 * qRow : q0;
    const q3 = nb > 3 ? q0 + 3 * qRow : q0;
    for (let i = 0; i < nI; i++) {
      const it = itPtr + <usize>i * <usize>dim;
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      let c = 0;
      for (; c < end16; c += 16) {
        const b = v128.load(it + c);
        const lo = i16x8.extend_low_i8x16_s(b);
        const hi = i16x8.extend_high_i8x16_s(b);
        const v0 = toF32(i32x4.extend_low_i16x8_s(lo));
        const v1 = toF32(i32x4.extend_high_i16x8_s(lo));
        const v2 = toF32(i32x4.extend_low_i16x8_s(hi));
        const v3 = toF32(i32x4.extend_high_i16x8_s(hi));
        const o = <usize>c << 2;
        a0 = f32x4.add(a0, f32x4.add(f32x4.add(f32x4.mul(v128.load(q0 + o), v0), f32x4.mul(v128.load(q0 + o + 16), v1)), f32x4.add(f32x4.mul(v128.load(q0 + o + 32), v2), f32x4.mul(v128.load(q0 + o + 48), v3))));
        a1 = f32x4.add(a1, f32x4.add(f32x4.add(f32x4.mul(v128.load(q1 + o), v0), f32x4.mul(v128.load(q1 + o + 16), v1)), f32x4.add(f32x4.mul(v128.load(q1 + o + 32), v2), f32x4.mul(v128.load(q1 + o + 48), v3))));
        a2 = f32x4.add(a2, f32x4.add(f32x4.add(f32x4.mul(v128.load(q2 + o), v0), f32x4.mul(v128.load(q2 + o + 16), v1)), f32x4.add(f32x4.mul(v128.load(q2 + o + 32), v2), f32x4.mul(v128.load(q2 + o + 48), v3))));
        a3 = f32x4.add(a3, f32x4.add(f32x4.add(f32x4.mul(v128.load(q3 + o), v0), f32x4.mul(v128.load(q3 + o + 16), v1)), f32x4.add(f32x4.mul(v128.load(q3 + o + 32), v2), f32x4.mul(v128.load(q3 + o + 48), v3))));
      }
      let s0 = hsum(a0), s1 = hsum(a1), s2 = hsum(a2), s3 = hsum(a3);
      for (; c < dim; c++) {
        const x = <f32>load<i8>(it + c);
        const o = <usize>c << 2;
        s0 += load<f32>(q0 + o) * x; s1 += load<f32>(q1 + o) * x; s2 += load<f32>(q2 + o) * x; s3 += load<f32>(q3 + o) * x;
      }
      const sc = load<f32>(scPtr + (<usize>i << 2));
      const bi = load<f32>(bPtr + (<usize>i << 2));
      const out = outPtr + ((<usize>u0 * <usize>nI + <usize>i) << 2);
      const st = <usize>nI << 2;
      store<f32>(out, s0 * sc + bi);
      if (nb > 1) store<f32>(out + st, s1 * sc + bi);
      if (nb > 2) store<f32>(out + 2 * st, s2 * sc + bi);
      if (nb > 3) store<f32>(out + 3 * st, s3 * sc + bi);
    }
  }
}

export function score_i16q(outPtr: usize, qPtr: usize, qsPtr: usize, itPtr: usize, scPtr: usize, bPtr: usize, nU: i32, nI: i32, dim: i32): void {
  const qRow = <usize>dim << 1;
  const end16 = dim & ~15;
  for (let u0 = 0; u0 < nU; u0 += 4) {
    const nb = min(4, nU - u0);
    const q0 = qPtr + <usize>u0 * qRow;
    const q1 = nb > 1 ? q0 + qRow : q0;
    const q2 = nb > 2 ? q0 + 2 * qRow : q0;
    const q3 = nb > 3 ? q0 + 3 * qRow : q0;
    for (let i = 0; i < nI; i++) {
      const it = itPtr + <usize>i * <usize>dim;
      let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
      let c = 0;
      for (; c < end16; c += 16) {
        const b = v128.load(it + c);
        const lo = i16x8.extend_low_i8x16_s(b);
        const hi = i16x8.extend_high_i8x16_s(b);
        const o = <usize>c << 1;
        a0 = i32x4.add(a0, i32x4.add(i32x4.dot_i16x8_s(v128.load(q0 + o), lo), i32x4.dot_i16x8_s(v128.load(q0 + o + 16), hi)));
        a1 = i32x4.add(a1, i32x4.add(i32x4.dot_i16x8_s(v128.load(q1 + o), lo), i32x4.dot_i16x8_s(v128.load(q1 + o + 16), hi)));
        a2 = i32x4.add(a2, i32x4.add(i32x4.dot_i16x8_s(v128.load(q2 + o), lo), i32x4.dot_i16x8_s(v128.load(q2 + o + 16), hi)));
        a3 = i32x4.add(a3, i32x4.add(i32x4.dot_i16x8_s(v128.load(q3 + o), lo), i32x4.dot_i16x8_s(v128.load(q3 + o + 16), hi)));
      }
      let s0 = i32x4.extract_lane(a0,0)+i32x4.extract_lane(a0,1)+i32x4.extract_lane(a0,2)+i32x4.extract_lane(a0,3);
      let s1 = i32x4.extract_lane(a1,0)+i32x4.extract_lane(a1,1)+i32x4.extract_lane(a1,2)+i32x4.extract_lane(a1,3);
      let s2 = i32x4.extract_lane(a2,0)+i32x4.extract_lane(a2,1)+i32x4.extract_lane(a2,2)+i32x4.extract_lane(a2,3);
      let s3 = i32x4.extract_lane(a3,0)+i32x4.extract_lane(a3,1)+i32x4.extract_lane(a3,2)+i32x4.extract_lane(a3,3);
      for (; c < dim; c++) {
        const x = <i32>load<i8>(it + c);
        const o = <usize>c << 1;
        s0 += <i32>load<i16>(q0 + o) * x; s1 += <i32>load<i16>(q1 + o) * x; s2 += <i32>load<i16>(q2 + o) * x; s3 += <i32>load<i16>(q3 + o) * x;
      }
      const sc = load<f32>(scPtr + (<usize>i << 2));
      const bi = load<f32>(bPtr + (<usize>i << 2));
      const out = outPtr + ((<usize>u0 * <usize>nI + <usize>i) << 2);
      const st = <usize>nI << 2;
      const us = qsPtr + (<usize>u0 << 2);
      store<f32>(out, <f32>s0 * load<f32>(us) * sc + bi);
      if (nb > 1) store<f32>(out + st, <f32>s1 * load<f32>(us + 4) * sc + bi);
      if (nb > 2) store<f32>(out + 2 * st, <f32>s2 * load<f32>(us + 8) * sc + bi);
      if (nb > 3) store<f32>(out + 3 * st, <f32>s3 * load<f32>(us + 12) * sc + bi);
    }
  }
}

export function score_f32(outPtr: usize, qPtr: usize, itPtr: usize, bPtr: usize, nU: i32, nI: i32, dim: i32): void {
  const qRow = <usize>dim << 2;
  const end4 = dim & ~3;
  for (let u0 = 0; u0 < nU; u0 += 4) {
    const nb = min(4, nU - u0);
    const q0 = qPtr + <usize>u0 * qRow;
    const q1 = nb > 1 ? q0 + qRow : q0;
    const q2 = nb > 2 ? q0 + 2 * qRow : q0;
    const q3 = nb > 3 ? q0 + 3 * qRow : q0;
    for (let i = 0; i < nI; i++) {
      const it = itPtr + <usize>i * qRow;
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      let c = 0;
      for (; c < end4; c += 4) {
        const o = <usize>c << 2;
        const v = v128.load(it + o);
        a0 = f32x4.add(a0, f32x4.mul(v128.load(q0 + o), v));
        a1 = f32x4.add(a1, f32x4.mul(v128.load(q1 + o), v));
        a2 = f32x4.add(a2, f32x4.mul(v128.load(q2 + o), v));
        a3 = f32x4.add(a3, f32x4.mul(v128.load(q3 + o), v));
      }
      const bi = load<f32>(bPtr + (<usize>i << 2));
      const out = outPtr + ((<usize>u0 * <usize>nI + <usize>i) << 2);
      const st = <usize>nI << 2;
      store<f32>(out, hsum(a0) + bi);
      if (nb > 1) store<f32>(out + st, hsum(a1) + bi);
      if (nb > 2) store<f32>(out + 2 * st, hsum(a2) + bi);
      if (nb > 3) store<f32>(out + 3 * st, hsum(a3) + bi);
    }
  }
}
