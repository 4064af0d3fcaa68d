import { describe, expect, it } from 'vitest';
import { createBackend, type BackendName } from '../../src/backends/index.js';
import { MeanBaseline } from '../../src/models/baselines.js';
import { LinearRS } from '../../src/models/linear.js';
import { expectClose } from '../kernels/twin.js';
import { HAVE_ML100K, movielens, synthetic } from './fixtures.js';

describe('LinearRS', () => {
  it('learns synthetic data better than the item mean, and both backends agree', async () => {
    const fx = synthetic();
    const preds: Float32Array[] = [];
    for (const name of ['wasm', 'js'] as BackendName[]) {
      const be = await createBackend(name);
      const model = new LinearRS(be, fx.dataset, fx.features, { factors: 8 });
      const history = await model.fit(fx.split.train, { epochs: 3, seed: 1 });
      expect(history.epochs[2].loss).toBeLessThan(history.epochs[0].loss);
      preds.push(model.predict(fx.split.test));
      const baseline = new MeanBaseline(be, fx.dataset, 'item-mean');
      await baseline.fit(fx.split.train);
      expect(model.evaluate(fx.split.test).rmse).toBeLessThan(baseline.evaluate(fx.split.test).rmse);
      model.dispose();
    }
    // Same seed and inputs: only the summation order of the SIMD kernels differs.
    expectClose(preds[0], preds[1], { rel: 1e-3, label: 'wasm vs js predictions' });
  });

  it('predicts unknown ids from their features and rejects features of the wrong size', async () => {
    const fx = synthetic();
    const be = await createBackend('wasm');
    const model = new LinearRS(be, fx.dataset, fx.features, { factors: 4 });
    await model.fit(fx.split.train, { epochs: 1 });
    const p = model.predictIds(['no-such-user', 'no-such-user'], [fx.dataset.itemIndex.ids[0], fx.dataset.itemIndex.ids[1]]);
    expect(p.every(Number.isFinite)).toBe(true);
    expect(p[0]).not.toBe(p[1]);
    const bad = { ...fx.features, user: { ...fx.features.user, n: fx.features.user.n - 1 } };
    expect(() => new LinearRS(be, fx.dataset, bad)).toThrow(/user features have/);
  });

  it.skipIf(!HAVE_ML100K).each(['wasm', 'js'] as BackendName[])('reaches test RMSE ≤ 0.935 on ML-100K u1 with auto features (%s)', async (name) => {
    const fx = await movielens({ kind: 'u1' });
    const be = await createBackend(name);
    const model = new LinearRS(be, fx.dataset, fx.features);
    await model.fit(fx.split.train);
    const { rmse } = model.evaluate(fx.split.test);
    expect(rmse).toBeLessThanOrEqual(0.935);
  });
});
