// The lists users see, on MovieLens 100K u1 (relevant = test ratings ≥ 4, every item the user
// rated in training left out): every rating model with its CLI defaults beats "most popular"
// and keeps rarely-seen items out of the top 10; a ranking twin ranks as well as an implicit
// model while predicting ratings as before.
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { buildModel, type ModelKind } from '../../src/models/factory.js';
import type { Metrics } from '../../src/training/metrics.js';
import { HAVE_ML100K, movielens } from './fixtures.js';

const LISTS = ['p_at_10', 'ndcg_at_10', 'auc', 'obscure_at_10', 'coverage_at_10'] as const;

async function lists(kind: ModelKind, options: Record<string, unknown> = {}, compile: Record<string, unknown> = {}): Promise<Metrics & { rmse: number }> {
  const fx = await movielens({ kind: 'u1' });
  const { model } = buildModel(kind, await createBackend('wasm'), fx.dataset, fx.split.train, options);
  model.compile(compile);
  await model.fit(fx.split.train, kind === 'mf' ? { batchSize: 1 } : {});
  const m = model.evaluate(fx.split.test, { metrics: [...LISTS, ...(kind === 'popularity' ? [] : (['rmse'] as const))] });
  model.dispose();
  return m as Metrics & { rmse: number };
}

describe.runIf(HAVE_ML100K)('recommendation lists on ML-100K u1', () => {
  let pop: Promise<Metrics> | null = null;
  const popularity = () => (pop ??= lists('popularity'));

  it('popularity: the bar (P@10 0.214 when every rated film is left out)', async () => {
    const p = await popularity();
    expect(p.p_at_10).toBeCloseTo(0.2127, 3); // ties at the tenth place broken by the fixed scramble of item indices
    expect(p.obscure_at_10).toBe(0);
  });

  // Measured (P@10, RMSE): item-mean 0.223 / 1.033, mf 0.242 / 0.916, linear 0.242 / 0.921,
  // mf-features 0.248 / 0.929, two-tower 0.242 / 0.921, both head 0.247 / 0.928, ensemble
  // 0.250 / 0.906. Without the support prior MF gave 0.109 with 17 % obscure items.
  it.each([
    ['item-mean', {}, 1.04],
    ['mf', {}, 0.917],
    ['linear', {}, 0.923],
    ['mf-features', {}, 0.931],
    ['two-tower', {}, 0.923],
    ['two-tower', { head: 'both' }, 0.93],
    ['ensemble', {}, 0.907],
  ] as [ModelKind, Record<string, unknown>, number][])('%s %o beats popularity on P@10, NDCG and AUC, with no obscure item, RMSE ≤ %d', async (kind, options, rmse) => {
    const [m, p] = [await lists(kind, options), await popularity()];
    expect(m.p_at_10).toBeGreaterThan(p.p_at_10);
    expect(m.ndcg_at_10).toBeGreaterThan(p.ndcg_at_10);
    expect(m.auc).toBeGreaterThan(p.auc);
    expect(m.obscure_at_10).toBeLessThanOrEqual(0.1);
    expect(m.rmse).toBeLessThanOrEqual(rmse);
  });

  it('mean and user-mean rank like popularity: they know nothing else of an item', async () => {
    const p = await popularity();
    for (const kind of ['mean', 'user-mean'] as const) expect((await lists(kind)).p_at_10).toBeCloseTo(p.p_at_10, 6);
  });

  it('an MF with a ranking twin predicts ratings as before and ranks far above popularity', async () => {
    // Measured: RMSE 0.9156 (as without the twin), P@10 0.353 (twin with BPR), 0.21 catalogue coverage.
    const m = await lists('mf', {}, { ranking: 'bpr' });
    expect(m.rmse).toBeLessThanOrEqual(0.917);
    expect(m.p_at_10).toBeGreaterThan(0.33);
    expect(m.obscure_at_10).toBe(0);
  });
});
