import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { makeSplit } from '../../src/data/splits.js';
import { buildModel, MODEL_KINDS, usesFeatures } from '../../src/models/factory.js';
import { TwoTower } from '../../src/models/two-tower.js';

const data = generateSynthetic({ nUsers: 150, nItems: 120, nRatings: 8000, seed: 5 });
const split = makeSplit(data, { kind: 'random', testFraction: 0.2, seed: 5 });

describe('buildModel', () => {
  it.each(MODEL_KINDS.filter((k) => k !== 'popularity'))('builds, trains and predicts a %s model', async (kind) => {
    const be = await createBackend('wasm');
    const { model, pipeline } = buildModel(kind, be, data, split.train);
    expect(pipeline !== null).toBe(usesFeatures(kind));
    await model.fit(split.train, { epochs: kind === 'ensemble' ? undefined : 3 });
    const pred = model.predict(split.test);
    expect(pred).toHaveLength(split.test.length);
    expect(pred.every(Number.isFinite)).toBe(true);
    model.dispose();
  });

  it('makes mf-features a two-tower (dot head over linear towers) that beats the item mean', async () => {
    const be = await createBackend('wasm');
    const { model } = buildModel('mf-features', be, data, split.train);
    expect(model).toBeInstanceOf(TwoTower);
    await model.fit(split.train);
    const { model: mean } = buildModel('item-mean', be, data, split.train);
    await mean.fit(split.train);
    expect(model.evaluate(split.test).rmse).toBeLessThan(mean.evaluate(split.test).rmse);
  });

  it('names the unknown kind', async () => {
    const be = await createBackend('js');
    expect(() => buildModel('svd++' as 'mf', be, data, split.train)).toThrow(/unknown model 'svd\+\+'/);
  });
});
