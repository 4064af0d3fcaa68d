// Mean and standard deviation for standardising a continuous feature, with "no spread"
// decided relative to the values' size, as rounding leaves a constant column a tiny std.

/**
 * A std at or below this fraction of |mean| is rounding noise, not spread. A constant column
 * of log-counts comes out with std ~1e-15 × mean; dividing by it turned an unseen item's
 * feature into 7.8e14 and the two-tower's loss into 3.8e25. Summing 1e5 values carries an
 * error near 1e-11 × mean, so 1e-9 leaves a wide margin while any real spread (a year, a
 * second in a Unix time) stays far above it.
 */
export const STD_RELATIVE_EPSILON = 1e-9;

/** What standardising a feature needs: x → (x − mean) / std. */
export interface Scaler {
  readonly mean: number;
  readonly std: number;
}

/**
 * Population mean and std of the finite `values`, in two passes (one pass, Σx² − n·mean²,
 * cancels catastrophically). Std 1 when there is no spread, so a constant column becomes 0
 * rather than NaN or noise blown up; mean 0 and std 1 when no value is finite.
 *
 * @example
 * standardScaler([1, 2, 3]);       // { mean: 2, std: 0.816... }
 * standardScaler([0.7, 0.7, 0.7]); // { mean: 0.7, std: 1 }
 */
export function standardScaler(values: ArrayLike<number>): Scaler {
  let n = 0;
  let sum = 0;
  for (let k = 0; k < values.length; k++) {
    if (!Number.isFinite(values[k])) continue;
    n++;
    sum += values[k];
  }
  if (n === 0) return { mean: 0, std: 1 };
  const mean = sum / n;
  let sq = 0;
  for (let k = 0; k < values.length; k++) if (Number.isFinite(values[k])) sq += (values[k] - mean) ** 2;
  const std = Math.sqrt(sq / n);
  return { mean, std: std > STD_RELATIVE_EPSILON * Math.abs(mean) && std > 0 ? std : 1 };
}
