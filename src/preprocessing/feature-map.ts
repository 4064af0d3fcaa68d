// A ridge regression from one side's encoded features to factor vectors (the
// "attribute-to-factor mapping" of Gantner et al., ICDM 2010, linear): fitted on the ids that
// have factors, it gives every other id of the feature table a vector in the same space. Used
// for imported factors without side features (Spark's ALS) and for MF's brand-new users.

import type { EncodedSide } from './encoded.js';

/** The widest design matrix fitted (its d × d normal equations are solved in float64). */
export const MAX_FEATURE_WIDTH = 2048;

/** The fitted map of one side and how well it reproduces the known factors. */
export interface FactorMap {
  /** Design width: continuous columns, one-hot codes, multi-hot ids, and a constant. */
  width: number;
  /** width × factors, row-major. */
  weights: Float64Array;
  factors: number;
  /** 1 − SSE / SST on the fitted rows, over all factors (in-sample). */
  r2: number;
}

/**
 * Row r of the side's features as a dense vector: the continuous values, a one-hot of each
 * categorical code, each multi-valued feature as the mean of its ids' one-hots (graph
 * features, whose ids are entities, are left out), and a constant 1.
 */
export function denseRow(side: EncodedSide, r: number, out: Float64Array): void {
  out.fill(0);
  const C = side.contNames.length;
  for (let c = 0; c < C; c++) out[c] = side.continuous[r * C + c];
  let at = C;
  for (const cat of side.categorical) {
    out[at + cat.codes[r]] = 1;
    at += cat.cardinality;
  }
  for (const m of side.multi) {
    if (m.of === 'ids') continue;
    const [begin, end] = [m.offsets[r], m.offsets[r + 1]];
    for (let k = begin; k < end; k++) out[at + m.ids[k]] += 1 / (end - begin);
    at += m.cardinality;
  }
  out[at] = 1;
}

/** The width `denseRow` writes. */
export function denseWidth(side: EncodedSide): number {
  let w = side.contNames.length + 1;
  for (const cat of side.categorical) w += cat.cardinality;
  for (const m of side.multi) if (m.of !== 'ids') w += m.cardinality;
  return w;
}

/**
 * Fits W minimising ‖XW − Y‖² + λ‖W‖² over the rows `rows` of the side's features, whose
 * targets are rows `targetRows` of `factors` (K wide).
 *
 * @example
 * const map = fitFactorMap(encodedItems, rowsWithFactors, factorRows, sparkItemFactors, 10, 1);
 */
export function fitFactorMap(side: EncodedSide, rows: Int32Array, targetRows: Int32Array, factors: Float32Array, K: number, lambda: number): FactorMap {
  const d = denseWidth(side);
  if (d > MAX_FEATURE_WIDTH) throw new Error(`cold start: ${d} feature columns after one-hot encoding, more than the ${MAX_FEATURE_WIDTH} this linear map fits`);
  if (rows.length === 0) throw new Error('cold start: no id of the feature table has imported factors to learn from');
  const A = new Float64Array(d * d);
  const B = new Float64Array(d * K);
  const x = new Float64Array(d);
  for (let n = 0; n < rows.length; n++) {
    denseRow(side, rows[n], x);
    const y = targetRows[n] * K;
    for (let i = 0; i < d; i++) {
      const xi = x[i];
      if (xi === 0) continue;
      for (let j = 0; j < d; j++) A[i * d + j] += xi * x[j];
      for (let k = 0; k < K; k++) B[i * K + k] += xi * factors[y + k];
    }
  }
  for (let i = 0; i < d; i++) A[i * d + i] += lambda;
  const weights = choleskySolve(A, B, d, K);
  return { width: d, weights, factors: K, r2: rSquared(side, rows, targetRows, factors, { width: d, weights, factors: K, r2: 0 }) };
}

/** Row r's vector under the map (K values). */
export function mapRow(side: EncodedSide, r: number, map: FactorMap, out: Float32Array, at: number): void {
  const x = new Float64Array(map.width);
  denseRow(side, r, x);
  for (let k = 0; k < map.factors; k++) {
    let s = 0;
    for (let i = 0; i < map.width; i++) if (x[i] !== 0) s += x[i] * map.weights[i * map.factors + k];
    out[at + k] = s;
  }
}

function rSquared(side: EncodedSide, rows: Int32Array, targetRows: Int32Array, factors: Float32Array, map: FactorMap): number {
  const K = map.factors;
  const mean = new Float64Array(K);
  for (const t of targetRows) for (let k = 0; k < K; k++) mean[k] += factors[t * K + k] / targetRows.length;
  const pred = new Float32Array(K);
  let sse = 0;
  let sst = 0;
  rows.forEach((r, n) => {
    mapRow(side, r, map, pred, 0);
    for (let k = 0; k < K; k++) {
      const y = factors[targetRows[n] * K + k];
      sse += (y - pred[k]) ** 2;
      sst += (y - mean[k]) ** 2;
    }
  });
  return sst > 0 ? 1 - sse / sst : 0;
}

/** Solves A X = B for symmetric positive definite A (d × d) by Cholesky; B is d × K. */
function choleskySolve(A: Float64Array, B: Float64Array, d: number, K: number): Float64Array {
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * d + j];
      for (let k = 0; k < j; k++) s -= L[i * d + k] * L[j * d + k];
      L[i * d + j] = i === j ? Math.sqrt(s) : s / L[j * d + j];
    }
  }
  const X = new Float64Array(d * K);
  for (let c = 0; c < K; c++) {
    const z = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let s = B[i * K + c];
      for (let k = 0; k < i; k++) s -= L[i * d + k] * z[k];
      z[i] = s / L[i * d + i];
    }
    for (let i = d - 1; i >= 0; i--) {
      let s = z[i];
      for (let k = i + 1; k < d; k++) s -= L[k * d + i] * X[k * K + c];
      X[i * K + c] = s / L[i * d + i];
    }
  }
  return X;
}

/** The side without the continuous columns `drop` (e.g. rating statistics a brand-new id lacks). */
export function sideWithout(side: EncodedSide, drop: readonly number[]): EncodedSide {
  const C = side.contNames.length;
  const keep = side.contNames.map((_, c) => c).filter((c) => !drop.includes(c));
  const continuous = new Float32Array(side.n * keep.length);
  for (let r = 0; r < side.n; r++) keep.forEach((c, k) => (continuous[r * keep.length + k] = side.continuous[r * C + c]));
  return { ...side, contNames: keep.map((c) => side.contNames[c]), continuous };
}
