// Top-k serving over an int8 item table with one f32 scale per row (src/io/vector-quantize.ts):
// every item's score for a block of users, with the query quantised to int8 as well, so the
// inner loop is integer dot products (i32x4.dot_i16x8_s) and the table stays 4× smaller than f32.

/** Users scored per pass over the item table: 4 accumulators + 2 item vectors + loads stay under V8's 16 vector registers. */
const USER_TILE = 4;
const INT8_MAX: f32 = 127;

/**
 * score[u,i] = ((Σ_k q_u[k]·t_i[k]) · s_u) · s_i + bias[i] + userBias[u] (f32, in that order),
 * where t (nItems×dim int8, row-major, rows unpadded) ≈ items / s_i is the exported table and
 * q_u = round-half-even(query[u,k] / s_u) with s_u = max_k |query[u,k]| / 127 (q_u = 0 for a
 * zero row) is the query quantised the same way. Out is nUsers×nItems f32, query nUsers×dim
 * f32, scales and bias nItems f32, userBias nUsers f32 (μ + b_u: the
 * model's whole score, not only its ranking). Scratch holds the quantised queries as i16 (nUsers·dim,
 * so each item byte-vector is widened once and reused by four users) then their scales at
 * float offset ceil(nUsers·dim / 2): ceil(nUsers·dim / 2) + nUsers floats. Integer sums are
 * exact (|Σ| ≤ 127²·dim), so both backends agree to the last bit. Out must not alias inputs.
 * Measured on 2 shared cores, 100k items × dim 64: 1.4–1.9× the users/s of converting the
 * int8 rows to f32 against an f32 query, at 1.4× the score error (bench/README.md).
 */
export function serve_score_int8_f32(outPtr: usize, queryPtr: usize, itemsPtr: usize, scalesPtr: usize, biasPtr: usize, userBiasPtr: usize, nUsers: i32, nItems: i32, dim: i32, scratchPtr: usize): void {
  const qRowBytes = <usize>dim << 1;
  const userScalesPtr = scratchPtr + ((<usize>((nUsers * dim + 1) >> 1)) << 2);
  quantizeQueries(scratchPtr, userScalesPtr, queryPtr, nUsers, dim);
  const end16 = dim & ~15;
  const outRowBytes = <usize>nItems << 2;
  for (let u0 = 0; u0 < nUsers; u0 += USER_TILE) {
    const nb = min(USER_TILE, nUsers - u0);
    // A tile short of four users repeats its first row: wasted lanes, never stored.
    const q0 = scratchPtr + <usize>u0 * qRowBytes;
    const q1 = nb > 1 ? q0 + qRowBytes : q0;
    const q2 = nb > 2 ? q0 + 2 * qRowBytes : q0;
    const q3 = nb > 3 ? q0 + 3 * qRowBytes : q0;
    const su = userScalesPtr + (<usize>u0 << 2);
    const s0 = load<f32>(su);
    const s1 = load<f32>(su + (nb > 1 ? 4 : 0));
    const s2 = load<f32>(su + (nb > 2 ? 8 : 0));
    const s3 = load<f32>(su + (nb > 3 ? 12 : 0));
    const ub = userBiasPtr + (<usize>u0 << 2);
    const b0 = load<f32>(ub);
    const b1 = load<f32>(ub + (nb > 1 ? 4 : 0));
    const b2 = load<f32>(ub + (nb > 2 ? 8 : 0));
    const b3 = load<f32>(ub + (nb > 3 ? 12 : 0));
    const out0 = outPtr + <usize>u0 * outRowBytes;
    let item = itemsPtr;
    for (let i = 0; i < nItems; i++) {
      let a0 = i32x4.splat(0);
      let a1 = i32x4.splat(0);
      let a2 = i32x4.splat(0);
      let a3 = i32x4.splat(0);
      let c = 0;
      for (; c < end16; c += 16) {
        const b = v128.load(item + <usize>c);
        const lo = i16x8.extend_low_i8x16_s(b);
        const hi = i16x8.extend_high_i8x16_s(b);
        const o = <usize>c << 1;
        a0 = i32x4.add(a0, i32x4.add(i32x4.dot_i16x8_s(v128.load(q0 + o), lo), i32x4.dot_i16x8_s(v128.load(q0 + o + 16), hi)));
        a1 = i32x4.add(a1, i32x4.add(i32x4.dot_i16x8_s(v128.load(q1 + o), lo), i32x4.dot_i16x8_s(v128.load(q1 + o + 16), hi)));
        a2 = i32x4.add(a2, i32x4.add(i32x4.dot_i16x8_s(v128.load(q2 + o), lo), i32x4.dot_i16x8_s(v128.load(q2 + o + 16), hi)));
        a3 = i32x4.add(a3, i32x4.add(i32x4.dot_i16x8_s(v128.load(q3 + o), lo), i32x4.dot_i16x8_s(v128.load(q3 + o + 16), hi)));
      }
      let d0 = isum(a0);
      let d1 = isum(a1);
      let d2 = isum(a2);
      let d3 = isum(a3);
      for (; c < dim; c++) {
        const t = <i32>load<i8>(item + <usize>c);
        const o = <usize>c << 1;
        d0 += <i32>load<i16>(q0 + o) * t;
        d1 += <i32>load<i16>(q1 + o) * t;
        d2 += <i32>load<i16>(q2 + o) * t;
        d3 += <i32>load<i16>(q3 + o) * t;
      }
      const si = load<f32>(scalesPtr + (<usize>i << 2));
      const bi = load<f32>(biasPtr + (<usize>i << 2));
      const out = out0 + (<usize>i << 2);
      store<f32>(out, <f32>d0 * s0 * si + bi + b0);
      if (nb > 1) store<f32>(out + outRowBytes, <f32>d1 * s1 * si + bi + b1);
      if (nb > 2) store<f32>(out + 2 * outRowBytes, <f32>d2 * s2 * si + bi + b2);
      if (nb > 3) store<f32>(out + 3 * outRowBytes, <f32>d3 * s3 * si + bi + b3);
      item += <usize>dim;
    }
  }
}

// @ts-ignore: decorator
@inline function isum(v: v128): i32 {
  return i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1) + i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3);
}

/** Symmetric per-row int8 quantisation of the queries, widened to i16 for dot_i16x8_s. */
function quantizeQueries(qPtr: usize, scalesPtr: usize, queryPtr: usize, nUsers: i32, dim: i32): void {
  for (let u = 0; u < nUsers; u++) {
    const row = queryPtr + ((<usize>u * <usize>dim) << 2);
    const qRow = qPtr + ((<usize>u * <usize>dim) << 1);
    let max: f32 = 0;
    for (let c = 0; c < dim; c++) max = Mathf.max(max, Mathf.abs(load<f32>(row + (<usize>c << 2))));
    const scale = max / INT8_MAX;
    store<f32>(scalesPtr + (<usize>u << 2), scale);
    for (let c = 0; c < dim; c++) {
      // nearest() rounds half to even, as the reference does; the clamp only guards rounding at ±127.
      const q = scale > 0 ? Mathf.min(INT8_MAX, Mathf.max(-INT8_MAX, nearest<f32>(load<f32>(row + (<usize>c << 2)) / scale))) : 0;
      store<i16>(qRow + (<usize>c << 1), <i16>(<i32>q));
    }
  }
}
