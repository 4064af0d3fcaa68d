import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { MeanBaseline } from '../../src/models/baselines.js';
import { Ensemble, sideFeatureEnsemble } from '../../src/models/ensemble.js';
import { HAVE_ML100K, movielens, synthetic } from './fixtures.js';

describe('Ensemble', () => {
  it('predicts the weighted mean of its members', async () => {
    const fx = synthetic();
    const be = await createBackend('js');
    const a = new MeanBaseline(be, fx.dataset, 'user-mean');
    const b = new MeanBaseline(be, fx.dataset, 'item-mean');
    const ens = new Ensemble(be, fx.dataset, [{ model: a, weight: 3 }, { model: b, weight: 1 }]);
    await ens.fit(fx.split.train);
    const [pe, pa, pb] = [ens.predict(fx.split.test), a.predict(fx.split.test), b.predict(fx.split.test)];
    for (let r = 0; r < 50; r++) expect(pe[r]).toBeCloseTo(0.75 * pa[r] + 0.25 * pb[r], 5);
    expect(() => new Ensemble(be, fx.dataset, [])).toThrow(/no members/);
  });

  it.skipIf(!HAVE_ML100K)('MF + LinearRS + two-tower (both heads) reaches test RMSE ≤ 0.915 on ML-100K u1', async () => {
    const fx = await movielens({ kind: 'u1' });
    const be = await createBackend('wasm');
    const ens = sideFeatureEnsemble(be, fx.dataset, fx.features);
    await ens.fit(fx.split.train);
    expect(ens.evaluate(fx.split.test).rmse).toBeLessThanOrEqual(0.915);
  });
});
