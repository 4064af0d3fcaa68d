// Rating-prediction metrics, computed in f64.

/** Root mean squared error. */
export function rmse(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  let ss = 0;
  for (let i = 0; i < truth.length; i++) {
    const e = pred[i] - truth[i];
    ss += e * e;
  }
  return Math.sqrt(ss / Math.max(1, truth.length));
}

/** Mean absolute error. */
export function mae(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < truth.length; i++) s += Math.abs(pred[i] - truth[i]);
  return s / Math.max(1, truth.length);
}

export interface RatingMetrics {
  rmse: number;
  mae: number;
}

/** Both rating metrics at once. */
export function ratingMetrics(pred: ArrayLike<number>, truth: ArrayLike<number>): RatingMetrics {
  return { rmse: rmse(pred, truth), mae: mae(pred, truth) };
}
