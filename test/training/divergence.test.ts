// Divergence (issue 11): every optimizer's blow-up is caught, healthy runs never trip the
// rule, and a feature without spread cannot blow up an unseen item's prediction.
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { makeSplit } from '../../src/data/splits.js';
import { parseCsvDataset } from '../../src/data/generic-csv.js';
import { buildModel, type ModelKind } from '../../src/models/factory.js';
import { DIVERGENCE_FACTOR, DivergenceMonitor, trivialLoss } from '../../src/training/divergence.js';
import { TrainingDivergedError } from '../../src/training/fit.js';
import { resolveLoss, type LossConfig } from '../../src/training/losses.js';
import type { OptimizerName } from '../../src/training/optimizer.js';
import { positivesOf } from '../../src/cli/implicit.js';
import { standardScaler } from '../../src/preprocessing/scaler.js';

const logs = (epoch: number, loss: number) => ({ epoch, loss, lr: 0.1 });

describe('DivergenceMonitor', () => {
  it('lets a falling loss through and names the limit a blown-up one passed', () => {
    const m = new DivergenceMonitor(13.7);
    for (const [e, loss] of [0.99, 0.8, 0.75, 2, 50].entries()) m.check(logs(e, loss));
    expect(() => m.check(logs(5, 991))).toThrow(/diverged in epoch 6: the loss is 991, above 1000 × the first epoch's loss \(0\.990\)/);
  });

  it('fails epoch 1 above 1000 × the trivial loss, and any epoch on a non-finite loss', () => {
    expect(() => new DivergenceMonitor(13.7).check(logs(0, 13701))).toThrow(/epoch 1: the loss is 1\.37e\+4, above 1000 × the loss of a predictor that learnt nothing \(13\.7\)/);
    expect(() => new DivergenceMonitor(13.7).check(logs(0, 13699))).not.toThrow();
    expect(() => new DivergenceMonitor(13.7).check(logs(0, NaN))).toThrow(TrainingDivergedError);
    expect(() => new DivergenceMonitor(13.7).check(logs(0, Infinity))).toThrow(/the loss is Infinity/);
  });

  it('never sets a limit below the trivial loss, which is at least 1', () => {
    const m = new DivergenceMonitor(13.7);
    m.check(logs(0, 1e-6)); // a second fit of a model that already fits its data
    expect(m.limit(1)).toBe(13.7);
    expect(() => m.check(logs(1, 13))).not.toThrow();
    expect(() => m.check(logs(2, 14))).toThrow(/above the loss of a predictor that learnt nothing/);
    // Ratings all 0: the trivial loss is 0, the limit still 1000.
    expect(new DivergenceMonitor(0).limit(0)).toBe(DIVERGENCE_FACTOR);
  });

  it('takes the trivial loss of each loss function', () => {
    const train = { ratings: Float32Array.of(1, 3, 5) };
    expect(trivialLoss(resolveLoss('mse'), train, 64)).toBeCloseTo(35 / 3, 6);
    expect(trivialLoss(resolveLoss({ name: 'bce', negatives: 4 }), train, 64)).toBeCloseTo(5 * Math.LN2, 9);
    expect(trivialLoss(resolveLoss({ name: 'bpr', negatives: 2 }), train, 64)).toBeCloseTo(2 * Math.LN2, 9);
    expect(trivialLoss(resolveLoss('softmax'), train, 64)).toBeCloseTo(Math.log(64), 9);
  });
});

describe('training at a far too high learning rate stops with TrainingDivergedError', () => {
  const dataset = generateSynthetic({ nUsers: 200, nItems: 300, nRatings: 8000, seed: 7 });
  const split = makeSplit(dataset, { kind: 'random', testFraction: 0.2, seed: 42 });
  const optimizers: OptimizerName[] = ['sgd', 'momentum', 'adagrad', 'adam', 'adamw'];
  for (const kind of ['mf', 'linear', 'two-tower'] as ModelKind[]) {
    // Mean-gradient SGD on batches of 256 still learns at lr 10 (MF); Adam and Adagrad at lr 10
    // did not fail before, with losses up to 4e20 and predictions of −65,344.
    const cases = [...optimizers.flatMap((o) => [100, 1000].map((lr) => [o, lr] as const)), ['adam', 10] as const, ['adagrad', 10] as const];
    it.each(cases)(`${kind} with %s at lr %d`, async (name, lr) => {
      const { model } = buildModel(kind, await createBackend('wasm'), dataset, split.train);
      model.compile({ optimizer: { name, lr } });
      await expect(model.fit(split.train, { epochs: 3, batchSize: 256 })).rejects.toThrow(TrainingDivergedError);
      model.dispose();
    });
  }

  it.each([
    ['two-tower', { name: 'bce', negatives: 4 }],
    ['two-tower', { name: 'softmax' }],
    ['mf', { name: 'bpr', negatives: 2 }],
  ] as [ModelKind, LossConfig][])('%s with the %o loss under adam at lr 100', async (kind, loss) => {
    const { model } = buildModel(kind, await createBackend('wasm'), dataset, split.train, kind === 'two-tower' ? { head: 'dot' } : {});
    model.compile({ optimizer: { name: 'adam', lr: 100 }, loss });
    await expect(model.fit(positivesOf(split.train, 4), { epochs: 3, batchSize: 256 })).rejects.toThrow(TrainingDivergedError);
    model.dispose();
  });
});

describe('a feature without spread', () => {
  // One user rated every training item once: each item's log-count is the same, and its
  // std came out as 6.7e-16 instead of 0, so unseen items got a standardised value of 7.8e14.
  const rows = (from: number, to: number) =>
    'user,item,rating\n' + Array.from({ length: to - from }, (_, k) => `u1,i${from + k},${1 + (((from + k) * 7) % 5)}`).join('\n') + '\n';
  const dataset = parseCsvDataset({ ratings: rows(0, 40), testRatings: rows(40, 50) });
  const split = dataset.folds!.given;

  it('is scaled with std 1 when its std is rounding noise', () => {
    expect(standardScaler(new Array(40).fill(Math.log(2))).std).toBe(1);
    expect(standardScaler([0.6931471805599453, 0.6931471805599453, 0.6931471805599446]).std).toBe(1);
    expect(standardScaler([1995, 1995.5]).std).toBeCloseTo(0.25, 12);
    expect(standardScaler([1e-20, -1e-20]).std).toBe(1e-20);
  });

  it.each(['linear', 'two-tower', 'ensemble'] as ModelKind[])('leaves %s with finite, sane predictions for unseen items', async (kind) => {
    const { model } = buildModel(kind, await createBackend('wasm'), dataset, split.train);
    await model.fit(split.train, { epochs: 10 });
    const pred = model.predict(split.test);
    // Before: −6.1e11 (linear), −1.7e13 (two-tower), ±2.8e15 (ensemble).
    for (const p of pred) expect(Math.abs(p - 3)).toBeLessThan(3);
    model.dispose();
  });
});
