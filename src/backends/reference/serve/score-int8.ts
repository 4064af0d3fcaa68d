// Reference int8 scoring (mirrors assembly/serve/score-int8.ts): every item's score for a
// block of users against an int8 item table with per-row scales, the query quantised to int8 too.
import type { Heap } from '../../heap.js';

const INT8_MAX = 127;

/** Rounds to the nearest integer, ties to even (WASM's f32.nearest). */
function nearestEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * score[u,i] = ((Σ_k q_u[k]·t_i[k]) · s_u) · s_i + bias[i] + userBias[u] in f32, with s_u = max|query[u]| / 127,
 * q_u = nearestEven(query[u,k] / s_u) (0 for a zero row); t is nItems×dim int8. Scratch: the
 * i16 queries, then their scales at float offset ceil(nUsers·dim / 2).
 */
export function scoreInt8(h: Heap, outPtr: number, queryPtr: number, itemsPtr: number, scalesPtr: number, biasPtr: number, userBiasPtr: number, nUsers: number, nItems: number, dim: number, scratchPtr: number): void {
  const f = h.f32;
  const bytes = h.u8;
  const q = new Int16Array(bytes.buffer, bytes.byteOffset + scratchPtr, nUsers * dim);
  const userScales = (scratchPtr >> 2) + ((nUsers * dim + 1) >> 1);
  for (let u = 0; u < nUsers; u++) {
    let max = 0;
    for (let c = 0; c < dim; c++) max = Math.max(max, Math.abs(f[(queryPtr >> 2) + u * dim + c]));
    const scale = Math.fround(max / INT8_MAX);
    f[userScales + u] = scale;
    for (let c = 0; c < dim; c++) {
      const v = Math.fround(f[(queryPtr >> 2) + u * dim + c] / scale);
      q[u * dim + c] = scale > 0 ? Math.min(INT8_MAX, Math.max(-INT8_MAX, nearestEven(v))) : 0;
    }
  }
  for (let u = 0; u < nUsers; u++) {
    for (let i = 0; i < nItems; i++) {
      let dot = 0;
      for (let c = 0; c < dim; c++) dot += q[u * dim + c] * ((bytes[itemsPtr + i * dim + c] << 24) >> 24);
      const s = Math.fround(Math.fround(Math.fround(dot) * f[userScales + u]) * f[(scalesPtr >> 2) + i]);
      f[(outPtr >> 2) + u * nItems + i] = Math.fround(s + f[(biasPtr >> 2) + i]) + f[(userBiasPtr >> 2) + u];
    }
  }
}
