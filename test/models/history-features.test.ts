// The pooled training history in the two-tower (issue 12): each user's rated items and each
// item's raters as `sequence` features (--features auto+history). On MovieLens 100K u1 it
// beats the same two-tower without them, a saved model predicts the same after loading, and
// brand-new items (no id, no history) are predicted no worse than without the history.
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { makeSplit } from '../../src/data/splits.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { deserializeModel, serializeModel } from '../../src/io/model-file.js';
import { loadDataset } from '../../src/io/node/load.js';
import { TwoTower } from '../../src/models/two-tower.js';
import { FeaturePipeline } from '../../src/preprocessing/pipeline.js';
import { HAVE_ML100K, ML100K_DIR } from '../data/datadir.js';

describe.runIf(HAVE_ML100K)('two-tower with the pooled training history on MovieLens 100K u1', () => {
  it('beats the two-tower without it on u1, saves and loads, and keeps cold items as good', async () => {
    const be = await createBackend('wasm');
    const dataset = await loadDataset(ML100K_DIR);
    const split = makeSplit(dataset, { kind: 'u1' });
    const rmse: Record<string, number> = {};
    for (const spec of ['auto', 'auto+history']) {
      const pipeline = FeaturePipeline.fit(dataset, split.train, spec);
      const features = { user: pipeline.encode('user', dataset.userIndex), item: pipeline.encode('item', dataset.itemIndex) };
      const model = new TwoTower(be, dataset, features).compile({});
      await model.fit(split.train, { seed: 42 });
      rmse[spec] = model.evaluate(split.test).rmse;
      if (spec === 'auto+history') {
        const back = await deserializeModel(serializeModel(model), be);
        const pairs = { users: split.test.users.subarray(0, 500), items: split.test.items.subarray(0, 500) };
        expect(Array.from(back.predict(pairs))).toEqual(Array.from(model.predict(pairs)));
      }
    }
    // Measured: 0.9208 → 0.9147 (u2 0.9162 → 0.9084, u3 0.9135 → 0.9059; u1 fit seeds 1/2/3: −0.0007/−0.0094/−0.0045).
    expect(rmse['auto+history']).toBeLessThan(rmse.auto - 0.005);
    // Cold items (20 %, seed 42): measured 0.9988 without, 0.9985 with (1.0878 when a dropped id kept its history).
    const cold = makeSplit(dataset, { kind: 'cold-items', testFraction: 0.2, seed: 42 });
    const coldRmse: Record<string, number> = {};
    for (const spec of ['auto', 'auto+history']) {
      const pipeline = FeaturePipeline.fit(dataset, cold.train, spec);
      const model = new TwoTower(be, dataset, { user: pipeline.encode('user', dataset.userIndex), item: pipeline.encode('item', dataset.itemIndex) }).compile({});
      await model.fit(cold.train, { seed: 42 });
      coldRmse[spec] = model.evaluate(cold.test).rmse;
    }
    expect(coldRmse['auto+history']).toBeLessThan(coldRmse.auto + 0.002);
  }, 180_000);
});

describe('sequence features and implicit losses', () => {
  it('are refused with a clear error: a positive left out of its history would give the label away', async () => {
    const ds = generateSynthetic({ seed: 2, nUsers: 40, nItems: 30, nRatings: 600 });
    const pipeline = FeaturePipeline.fit(ds, ds.ratings, 'auto+history');
    const model = new TwoTower(await createBackend('js'), ds, { user: pipeline.encode('user', ds.userIndex), item: pipeline.encode('item', ds.itemIndex) }).compile({ loss: 'bce' });
    await expect(model.fit(ds.ratings, { epochs: 1 })).rejects.toThrow(/sequence feature 'history' trains with the rating loss \(mse\) only/);
  });
});

describe('a history whose events carry ratings', () => {
  it('trains, and a saved model keeps the levels and predicts the same after loading', async () => {
    const ds = generateSynthetic({ seed: 3, nUsers: 50, nItems: 40, nRatings: 900 });
    const rated = { type: 'sequence' as const, attributes: ['rating' as const] };
    const pipeline = FeaturePipeline.fit(ds, ds.ratings, { user: [rated], item: [rated] });
    const features = { user: pipeline.encode('user', ds.userIndex), item: pipeline.encode('item', ds.itemIndex) };
    expect(features.user.multi[0].levels).toBeGreaterThan(1);
    const model = new TwoTower(await createBackend('js'), ds, features).compile({});
    await model.fit(ds.ratings, { epochs: 2, seed: 1 });
    const back = await deserializeModel(serializeModel(model), await createBackend('js'));
    expect((back as TwoTower).features.user.multi[0].levels).toBe(features.user.multi[0].levels);
    expect(Array.from(back.predict(ds.ratings))).toEqual(Array.from(model.predict(ds.ratings)));
  });
});

describe('a history whose events carry time gaps and the items\' genres', () => {
  it('trains on both backends alike, and a saved model keeps the attribute tokens and predicts the same after loading', async () => {
    const ds = generateSynthetic({ seed: 4, nUsers: 50, nItems: 40, nRatings: 900 });
    const spec = { user: [{ type: 'sequence' as const, attributes: ['rating', 'gap', 'genres'] }], item: [{ type: 'sequence' as const, attributes: ['gap', 'gender'] }] };
    const pipeline = FeaturePipeline.fit(ds, ds.ratings, spec);
    const features = { user: pipeline.encode('user', ds.userIndex), item: pipeline.encode('item', ds.itemIndex) };
    expect(features.user.multi[0].attributeTokens).toBeGreaterThan(5);
    expect(features.item.multi[0].attributeTokens).toBeGreaterThan(2);
    const predictions: Float32Array[] = [];
    for (const name of ['js', 'wasm'] as const) {
      const model = new TwoTower(await createBackend(name), ds, features).compile({});
      await model.fit(ds.ratings, { epochs: 2, seed: 1 });
      predictions.push(model.predict(ds.ratings));
      const back = await deserializeModel(serializeModel(model), await createBackend(name));
      expect((back as TwoTower).features.user.multi[0].attributeTokens).toBe(features.user.multi[0].attributeTokens);
      expect(Array.from(back.predict(ds.ratings))).toEqual(Array.from(predictions.at(-1)!));
    }
    for (let r = 0; r < predictions[0].length; r++) expect(predictions[1][r]).toBeCloseTo(predictions[0][r], 4);
  });
});
