// Cross-validation and grid search: fold numbers from a model trained per fold, their mean
// and spread, grid rows best first with each combination's options where they belong.
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { makeSplit } from '../../src/data/splits.js';
import { combinations, crossValidate, gridSearch } from '../../src/evaluation/cross-validate.js';
import { buildModel, type ModelKind, type ModelOptions } from '../../src/models/factory.js';
import type { OptimizerConfig } from '../../src/training/optimizer.js';

const data = generateSynthetic({ nUsers: 120, nItems: 90, nRatings: 5000, seed: 11 });
const splits = [1, 2, 3].map((seed) => ({ ...makeSplit(data, { kind: 'random', testFraction: 0.2, seed }), name: `s${seed}` }));

/** One fold trained and evaluated by hand, as crossValidate should. */
async function byHand(kind: ModelKind, split: (typeof splits)[number], model: ModelOptions = {}, optimizer?: OptimizerConfig, epochs?: number) {
  const be = await createBackend('wasm');
  const { model: m } = buildModel(kind, be, data, split.train, model);
  m.compile({ optimizer: optimizer ?? m.defaultOptimizer() });
  await m.fit(split.train, { epochs });
  const r = m.evaluate(split.test);
  m.dispose();
  return r;
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('crossValidate', () => {
  it('reports each fold as trained alone, with the mean and the population std of the RMSEs', async () => {
    const be = await createBackend('wasm');
    const cv = await crossValidate('item-mean', be, data, splits);
    expect(cv.folds.map((f) => f.split)).toEqual(['s1', 's2', 's3']);
    for (const [k, split] of splits.entries()) {
      const want = await byHand('item-mean', split);
      expect(cv.folds[k].rmse).toBe(want.rmse);
      expect(cv.folds[k].mae).toBe(want.mae);
      expect(cv.folds[k].epochs).toBe(1);
      expect(cv.folds[k].trainSeconds).toBeGreaterThanOrEqual(0);
    }
    const rmses = cv.folds.map((f) => f.rmse);
    // The folds differ, so the spread is a real number, not 0.
    expect(new Set(rmses).size).toBe(3);
    expect(cv.meanRmse).toBeCloseTo(mean(rmses), 12);
    expect(cv.stdRmse).toBeCloseTo(Math.sqrt(mean(rmses.map((r) => (r - mean(rmses)) ** 2))), 12);
    expect(cv.stdRmse).toBeGreaterThan(0);
    expect(cv.meanMae).toBeCloseTo(mean(cv.folds.map((f) => f.mae)), 12);
  });

  it('passes model options, fit options and the learning rate to every fold', async () => {
    const be = await createBackend('wasm');
    const cv = await crossValidate('mf', be, data, splits.slice(0, 2), { model: { factors: 4 }, lr: 0.02, fit: { epochs: 3 } });
    for (const [k, split] of splits.slice(0, 2).entries()) {
      expect(cv.folds[k].epochs).toBe(3);
      expect(cv.folds[k].rmse).toBe((await byHand('mf', split, { factors: 4 }, { name: 'sgd', lr: 0.02 }, 3)).rmse);
    }
    // An optimizer given whole wins over lr.
    const adam = await crossValidate('mf', be, data, splits.slice(0, 1), { model: { factors: 4 }, optimizer: { name: 'adam', lr: 0.01 }, lr: 0.5, fit: { epochs: 2 } });
    expect(adam.folds[0].rmse).toBe((await byHand('mf', splits[0], { factors: 4 }, { name: 'adam', lr: 0.01 }, 2)).rmse);
  });

  it('refuses no splits and options of another kind', async () => {
    const be = await createBackend('wasm');
    await expect(crossValidate('mf', be, data, [])).rejects.toThrow('crossValidate: no splits');
    await expect(crossValidate('mf', be, data, splits, { model: { head: 'dot' } as ModelOptions })).rejects.toThrow(
      "mf takes no option 'head' (its options: factors, initStd, regFactors, regBias, stepPrograms)",
    );
  });
});

describe('gridSearch', () => {
  it('cross-validates every combination and returns the rows best first', async () => {
    const be = await createBackend('wasm');
    const folds = splits.slice(0, 2);
    const rows = await gridSearch('mf', be, data, folds, { factors: [2, 8], epochs: [1, 6] }, { lr: 0.02 });
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => r.params).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      { factors: 2, epochs: 1 },
      { factors: 2, epochs: 6 },
      { factors: 8, epochs: 1 },
      { factors: 8, epochs: 6 },
    ]);
    for (let r = 1; r < rows.length; r++) expect(rows[r].meanRmse).toBeGreaterThanOrEqual(rows[r - 1].meanRmse);
    // Each row is crossValidate of its combination: factors to the model, epochs to fit.
    for (const row of rows) {
      const { factors, epochs } = row.params as { factors: number; epochs: number };
      const cv = await crossValidate('mf', be, data, folds, { model: { factors }, fit: { epochs }, lr: 0.02 });
      expect(row.meanRmse).toBe(cv.meanRmse);
      expect(row.stdRmse).toBe(cv.stdRmse);
      expect(row.meanMae).toBe(cv.meanMae);
    }
    // One epoch of SGD from a small init is far from converged.
    expect(rows[0].params.epochs).toBe(6);
  });

  it('puts a grid lr into the optimizer given whole', async () => {
    const be = await createBackend('wasm');
    const base = { optimizer: { name: 'sgd', lr: 0.5 } as OptimizerConfig, fit: { epochs: 2 }, model: { factors: 4 } };
    const rows = await gridSearch('mf', be, data, splits.slice(0, 1), { lr: [0.001, 0.03] }, base);
    for (const row of rows) {
      const cv = await crossValidate('mf', be, data, splits.slice(0, 1), { ...base, optimizer: { name: 'sgd', lr: row.params.lr as number } });
      expect(row.meanRmse).toBe(cv.meanRmse);
    }
    expect(rows[0].params.lr).toBe(0.03);
  });

  it("rejects a key that is no option of the kind, naming the kind's options", async () => {
    const be = await createBackend('wasm');
    await expect(gridSearch('mf', be, data, splits, { towerLayers: [[8]] })).rejects.toThrow(
      "mf takes no option 'towerLayers' (its options: factors, initStd, regFactors, regBias, stepPrograms)",
    );
    await expect(gridSearch('two-tower', be, data, splits, { factors: [8] })).rejects.toThrow(/^two-tower takes no option 'factors' \(its options: maxBatch, .*idDim, featureDim, towerLayers/);
  });
});

describe('combinations', () => {
  it('expands the grid in a stable order, the first key slowest', () => {
    expect(combinations({ a: [1, 2], b: ['x', 'y'], c: [true] })).toEqual([
      { a: 1, b: 'x', c: true },
      { a: 1, b: 'y', c: true },
      { a: 2, b: 'x', c: true },
      { a: 2, b: 'y', c: true },
    ]);
    const layers = [64, 32];
    expect(combinations({ towerLayers: [layers, [8]] })[0].towerLayers).toBe(layers);
    expect(combinations({})).toEqual([{}]);
  });

  it('refuses a key without values', () => {
    expect(() => combinations({ a: [1], b: [] })).toThrow("grid: no values for 'b'");
  });
});
