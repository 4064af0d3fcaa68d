import { describe, expect, it } from 'vitest';
import { createBackend, type BackendName } from '../../src/backends/index.js';
import { MeanBaseline } from '../../src/models/baselines.js';
import { TwoTower, type TwoTowerHead } from '../../src/models/two-tower.js';
import { expectClose } from '../kernels/twin.js';
import { HAVE_ML100K, movielens, synthetic } from './fixtures.js';

/** A small, fast network for the synthetic tests. */
const SMALL = { idDim: 8, towerLayers: [16], headLayers: [8] };

describe('TwoTower', () => {
  it.each(['dot', 'mlp', 'both'] as TwoTowerHead[])('learns synthetic data better than the item mean (%s head)', async (head) => {
    const fx = synthetic();
    const be = await createBackend('wasm');
    const model = new TwoTower(be, fx.dataset, fx.features, { ...SMALL, head });
    const history = await model.fit(fx.split.train, { epochs: 4 });
    expect(history.epochs[3].loss).toBeLessThan(history.epochs[0].loss);
    const baseline = new MeanBaseline(be, fx.dataset, 'item-mean');
    await baseline.fit(fx.split.train);
    expect(model.evaluate(fx.split.test).rmse).toBeLessThan(baseline.evaluate(fx.split.test).rmse);
  });

  it('gives close predictions on both backends for the same seed (with dropout and id dropout)', async () => {
    const fx = synthetic();
    const preds: Float32Array[] = [];
    for (const name of ['wasm', 'js'] as BackendName[]) {
      const be = await createBackend(name);
      const model = new TwoTower(be, fx.dataset, fx.features, { ...SMALL, head: 'both', dropout: 0.1, idDropout: 0.2 });
      await model.fit(fx.split.train, { epochs: 1, seed: 3 });
      preds.push(model.predict(fx.split.test));
    }
    expectClose(preds[0], preds[1], { rel: 1e-3, label: 'wasm vs js predictions' });
  });

  it('predicts cold and brand-new entities from their features', async () => {
    const fx = synthetic();
    const be = await createBackend('wasm');
    const model = new TwoTower(be, fx.dataset, fx.features, { ...SMALL, idDropout: 0.3 });
    await model.fit(fx.split.train, { epochs: 2 });
    const items = Int32Array.of(0, 0, 1);
    // Two known users seen through their features only = the same users as brand-new rows.
    const asNew = model.predictFeatures({ features: fx.features.user, rows: Int32Array.of(0, 1, 0) }, items);
    expect(asNew.every(Number.isFinite)).toBe(true);
    expect(asNew[0]).not.toBe(asNew[1]);
    const unknown = model.predictFeatures(Int32Array.of(-1, -1, -1), items);
    // Unknown ids without features differ from users with features, and from each other only by item.
    expect(unknown[0]).toBe(unknown[1]);
    expect(unknown[0]).not.toBe(asNew[0]);
    const wrong = { ...fx.features.user, contNames: ['nope'], continuous: new Float32Array(fx.features.user.n) };
    expect(() => model.predictFeatures({ features: wrong, rows: Int32Array.of(0) }, Int32Array.of(0))).toThrow(/not encoded by the model's pipeline/);
  });

  it('trains as a pure id model, validates every epoch and restores the best epoch', async () => {
    const fx = synthetic();
    const be = await createBackend('wasm');
    const model = new TwoTower(be, fx.dataset, fx.features, { ...SMALL, sideFeatures: false });
    const history = await model.fit(fx.split.train, { epochs: 4, validationSplit: 0.1, earlyStopping: { patience: 1 } });
    const val = history.epochs.map((e) => e.val_rmse!);
    expect(val.every(Number.isFinite)).toBe(true);
    expect(history.bestEpoch).toBe(val.indexOf(Math.min(...val)));
    // Without features every unknown user is the same user.
    const p = model.predictIds(['nobody', 'no one'], [fx.dataset.itemIndex.ids[3], fx.dataset.itemIndex.ids[3]]);
    expect(p[0]).toBe(p[1]);
  });

  it('rejects inconsistent configurations clearly', async () => {
    const fx = synthetic();
    const be = await createBackend('js');
    expect(() => new TwoTower(be, fx.dataset, fx.features, { head: 'nope' as TwoTowerHead })).toThrow(/unknown head/);
    const model = new TwoTower(be, fx.dataset, fx.features, { head: 'dot', towerLayers: [], idDim: 4 });
    // Without dense layers the towers' widths are their input widths, which differ here.
    await expect(model.fit(fx.split.train, { epochs: 1 })).rejects.toThrow(/equal output width/);
    const small = new TwoTower(be, fx.dataset, fx.features, { ...SMALL, maxBatch: 64 });
    await expect(small.fit(fx.split.train, { epochs: 1, batchSize: 128 })).rejects.toThrow(/exceeds maxBatch/);
  });

  it.skipIf(!HAVE_ML100K).each(['wasm', 'js'] as BackendName[])('mlp head with side features reaches test RMSE ≤ 0.93 on ML-100K u1 (%s)', async (name) => {
    const fx = await movielens({ kind: 'u1' });
    const be = await createBackend(name);
    const model = new TwoTower(be, fx.dataset, fx.features, { head: 'mlp' });
    await model.fit(fx.split.train);
    expect(model.evaluate(fx.split.test).rmse).toBeLessThanOrEqual(0.93);
  });

  it.skipIf(!HAVE_ML100K)('beats the item mean on held-out users of a cold-start split', async () => {
    const fx = await movielens({ kind: 'cold-users', testFraction: 0.2, seed: 42 });
    const be = await createBackend('wasm');
    // Strong id dropout is the cold-start setting: half the examples train the unknown-id
    // path (with the rating statistics of a cold user), which is all held-out users have.
    const model = new TwoTower(be, fx.dataset, fx.features, { idDropout: 0.5 });
    await model.fit(fx.split.train, { epochs: 6 });
    const baseline = new MeanBaseline(be, fx.dataset, 'item-mean');
    await baseline.fit(fx.split.train);
    const ours = model.evaluate(fx.split.test).rmse;
    const theirs = baseline.evaluate(fx.split.test).rmse;
    expect(ours).toBeLessThan(theirs);
  });
});
