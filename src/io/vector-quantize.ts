// Smaller vector tables for nearest-neighbour indexes: IEEE half floats (what pgvector's
// halfvec stores), or int8 with one scale per row (symmetric scalar quantisation: v ≈ scale · q,
// q in [-127, 127]). Plain TypeScript, no Node API.

/** How a table's values are stored. */
export type VectorDtype = 'f32' | 'f16' | 'int8';

/** Rows × dim vectors with their ids, as written by `wasmrec export`. */
export interface VectorTable {
  ids: readonly string[];
  dim: number;
  dtype: VectorDtype;
  /** f32: Float32Array; f16: Uint16Array of half-float bits; int8: Int8Array. */
  values: Float32Array | Uint16Array | Int8Array;
  /** int8 only: one scale per row (the row's largest |value| / 127; 0 for an all-zero row). */
  scales: Float32Array | null;
}

const INT8_MAX = 127;
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * The half float nearest to `v` (round to nearest, ties to even), as its 16 bits; values
 * beyond the half range (±65504) become ±Infinity, as IEEE conversion does.
 *
 * @example
 * toHalfBits(1); // 0x3c00
 */
export function toHalfBits(v: number): number {
  f32[0] = v;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal half (or zero): shift the mantissa with its implicit 1 into place, then round.
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && half & 1) ? 1 : 0));
  }
  const half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  // Round to nearest even; a carry out of the mantissa correctly bumps the exponent.
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
}

/**
 * The value of half-float bits `h`.
 *
 * @example
 * fromHalfBits(0x3c00); // 1
 */
export function fromHalfBits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/**
 * A table stored as f32, f16 or int8 with per-row scales.
 *
 * @example
 * const t = quantizeTable(ids, vectors, dim, 'int8'); // t.values: Int8Array, t.scales: Float32Array
 */
export function quantizeTable(ids: readonly string[], vectors: Float32Array, dim: number, dtype: VectorDtype): VectorTable {
  if (ids.length * dim !== vectors.length) throw new Error(`vectors: ${vectors.length} values for ${ids.length} ids of width ${dim}`);
  if (dtype === 'f32') return { ids, dim, dtype, values: vectors, scales: null };
  if (dtype === 'f16') {
    const values = new Uint16Array(vectors.length);
    for (let k = 0; k < vectors.length; k++) values[k] = toHalfBits(vectors[k]);
    return { ids, dim, dtype, values, scales: null };
  }
  const values = new Int8Array(vectors.length);
  const scales = new Float32Array(ids.length);
  for (let r = 0; r < ids.length; r++) {
    let max = 0;
    for (let c = r * dim; c < (r + 1) * dim; c++) max = Math.max(max, Math.abs(vectors[c]));
    const scale = Math.fround(max / INT8_MAX);
    scales[r] = scale;
    if (scale === 0) continue;
    for (let c = r * dim; c < (r + 1) * dim; c++) values[c] = Math.max(-INT8_MAX, Math.min(INT8_MAX, Math.round(vectors[c] / scale)));
  }
  return { ids, dim, dtype, values, scales };
}

/**
 * The table's values as float32 (what an index computes with after decoding).
 *
 * @example
 * dequantizeTable(quantizeTable(ids, vectors, dim, 'int8')); // each value within half a step of its row's scale
 */
export function dequantizeTable(t: VectorTable): Float32Array {
  if (t.dtype === 'f32') return t.values as Float32Array;
  const out = new Float32Array(t.values.length);
  if (t.dtype === 'f16') {
    for (let k = 0; k < out.length; k++) out[k] = fromHalfBits(t.values[k]);
    return out;
  }
  for (let r = 0; r < t.ids.length; r++) for (let c = r * t.dim; c < (r + 1) * t.dim; c++) out[c] = t.values[c] * t.scales![r];
  return out;
}
