// Rating metrics against hand-computed values; metric names as compile/evaluate/the CLI take them.
import { describe, expect, it } from 'vitest';
import { lowerIsBetter, mae, parseMetric, ratingMetrics, rmse } from '../../src/training/metrics.js';

describe('rmse and mae', () => {
  it('match values worked out by hand', () => {
    // errors −1, 0, −2, 1.5
    const pred = Float32Array.of(1, 2, 3, 4.5);
    const truth = [2, 2, 5, 3];
    expect(rmse(pred, truth)).toBeCloseTo(Math.sqrt((1 + 0 + 4 + 2.25) / 4), 12);
    expect(mae(pred, truth)).toBeCloseTo((1 + 0 + 2 + 1.5) / 4, 12);
    expect(ratingMetrics(pred, truth)).toEqual({ rmse: rmse(pred, truth), mae: mae(pred, truth) });
    // RMSE weighs the large error more: it exceeds MAE unless all errors are equal.
    expect(rmse(pred, truth)).toBeGreaterThan(mae(pred, truth));
    expect(rmse([3, 1], [1, 3])).toBe(2);
    expect(mae([3, 1], [1, 3])).toBe(2);
  });

  it('are 0 for perfect predictions and for no ratings', () => {
    expect(rmse([4, 5], [4, 5])).toBe(0);
    expect(mae([4, 5], [4, 5])).toBe(0);
    expect(rmse([], [])).toBe(0);
    expect(mae([], [])).toBe(0);
  });
});

describe('parseMetric', () => {
  it('parses rating metrics, auc and every list metric with its cut-off', () => {
    expect(parseMetric('rmse')).toEqual({ kind: 'rating', name: 'rmse' });
    expect(parseMetric('mae')).toEqual({ kind: 'rating', name: 'mae' });
    expect(parseMetric('auc')).toEqual({ kind: 'ranking', name: 'auc', k: 10 });
    const cases: [string, string, number][] = [
      ['p_at_5', 'p', 5],
      ['r_at_1', 'r', 1],
      ['ndcg_at_20', 'ndcg', 20],
      ['hr_at_10', 'hr', 10],
      ['map_at_100', 'map', 100],
      ['coverage_at_10', 'coverage', 10],
      ['obscure_at_3', 'obscure', 3],
    ];
    for (const [name, base, k] of cases) expect(parseMetric(name)).toEqual({ kind: 'ranking', name: base, k });
  });

  it.each(['ndcg_at_0', 'ndcg_at_05', 'ndcg_at_-1', 'ndcg_at_1.5', 'ndcg@10', 'ndcg_at_', 'ndcg', 'precision_at_10', 'NDCG_at_10', 'RMSE', ' rmse', 'val_rmse', 'auc_at_10', ''])(
    "rejects '%s', listing the valid forms",
    (name) => {
      expect(() => parseMetric(name)).toThrow(`unknown metric '${name}' (expected rmse, mae, auc, or p|r|ndcg|hr|map|coverage|obscure followed by _at_K, e.g. ndcg_at_10)`);
    },
  );
});

describe('lowerIsBetter', () => {
  it('holds for losses, errors and the obscure share, with or without val_', () => {
    for (const name of ['loss', 'val_loss', 'rmse', 'val_rmse', 'mae', 'val_mae', 'obscure_at_10', 'val_obscure_at_5']) expect(lowerIsBetter(name), name).toBe(true);
  });

  it('does not hold for accuracy-like metrics', () => {
    for (const name of ['auc', 'val_auc', 'ndcg_at_10', 'val_ndcg_at_10', 'p_at_10', 'r_at_10', 'hr_at_10', 'map_at_10', 'coverage_at_10', 'val_coverage_at_10']) {
      expect(lowerIsBetter(name), name).toBe(false);
    }
  });
});
