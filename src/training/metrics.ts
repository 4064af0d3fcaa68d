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

/** Rating metrics by name. */
export type RatingMetricName = 'rmse' | 'mae';
/** The list metrics of ranking-metrics.ts, named with their cut-off K (`ndcg_at_10`). */
export type ListMetricName = `${'p' | 'r' | 'ndcg' | 'hr' | 'map' | 'coverage' | 'obscure'}_at_${number}`;
/** Every metric `compile({ metrics })`, `evaluate` and the epoch logs know, by name. */
export type MetricName = RatingMetricName | ListMetricName | 'auc';
/** What early stopping can watch: the training loss, or a metric on the validation data. */
export type MonitorName = 'loss' | 'val_loss' | `val_${MetricName}`;

/** A metric's values by name (snake_case, as in logs and the CLI's JSON). */
export type Metrics = Record<string, number>;

export const RATING_METRICS: readonly MetricName[] = ['rmse', 'mae'];
export const RANKING_METRICS: readonly MetricName[] = ['p_at_10', 'r_at_10', 'ndcg_at_10', 'hr_at_10', 'map_at_10', 'auc'];

const LIST_METRIC = /^(p|r|ndcg|hr|map|coverage|obscure)_at_([1-9]\d*)$/;

/** What a metric name asks for: a rating metric, or a ranking metric at cut-off k. */
export type ParsedMetric = { kind: 'rating'; name: RatingMetricName } | { kind: 'ranking'; name: string; k: number };

/**
 * Parses a metric name; unknown names fail with the list of valid ones.
 *
 * @example
 * parseMetric('ndcg_at_20'); // { kind: 'ranking', name: 'ndcg', k: 20 }
 */
export function parseMetric(name: string): ParsedMetric {
  if (name === 'rmse' || name === 'mae') return { kind: 'rating', name };
  if (name === 'auc') return { kind: 'ranking', name: 'auc', k: 10 };
  const m = LIST_METRIC.exec(name);
  if (m) return { kind: 'ranking', name: m[1], k: Number(m[2]) };
  throw new Error(`unknown metric '${name}' (expected rmse, mae, auc, or p|r|ndcg|hr|map|coverage|obscure followed by _at_K, e.g. ndcg_at_10)`);
}

/** Whether lower values of a logged quantity are better (losses, errors, the obscure share). */
export function lowerIsBetter(name: string): boolean {
  const base = name.startsWith('val_') ? name.slice(4) : name;
  return base === 'loss' || base === 'rmse' || base === 'mae' || base.startsWith('obscure_at_');
}
