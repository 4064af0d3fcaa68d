// Summary statistics of small samples of scores (folds, per-user differences).

/** The mean (0 for no values). */
export function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
}

/** The sample standard deviation over √n: how far the mean would move on another sample (NaN below 2 values). */
export function standardError(xs: readonly number[]): number {
  if (xs.length < 2) return NaN;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1) / xs.length);
}
