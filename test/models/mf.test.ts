import { describe, expect, it } from 'vitest';
import { createBackend, type BackendName } from '../../src/backends/index.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { makeSplit } from '../../src/data/splits.js';
import { MatrixFactorization } from '../../src/models/mf.js';
import { TrainingDivergedError } from '../../src/training/fit.js';

const small = generateSynthetic({ nUsers: 120, nItems: 150, nRatings: 6000, seed: 7 });
const split = makeSplit(small, { kind: 'random', testFraction: 0.2, seed: 1 });

async function trainSmall(backend: BackendName, optimizer: 'sgd' | 'adam', batchSize: number, seed = 3) {
  const be = await createBackend(backend);
  const mf = new MatrixFactorization(be, small, { factors: 8 });
  mf.compile({ optimizer: { name: optimizer, lr: optimizer === 'sgd' ? 0.01 : 0.01 } });
  const history = await mf.fit(split.train, { epochs: 15, batchSize, seed });
  return { mf, history };
}

describe('MatrixFactorization', () => {
  it.each([['wasm'], ['js']] as const)('gives the same model bit for bit for the same seed (%s)', async (backend) => {
    const a = (await trainSmall(backend, 'sgd', 1)).mf.weights();
    const b = (await trainSmall(backend, 'sgd', 1)).mf.weights();
    expect(a.userFactors).toEqual(b.userFactors);
    expect(a.itemBias).toEqual(b.itemBias);
    const c = (await trainSmall(backend, 'sgd', 1, 4)).mf.weights();
    expect(c.userFactors).not.toEqual(a.userFactors);
  });

  it.each([
    ['sgd', 1],
    ['adam', 64],
  ] as const)('learns on generated data with %s (batch %i) and beats the global mean', async (opt, batch) => {
    const { mf, history } = await trainSmall('wasm', opt, batch);
    const losses = history.epochs.map((e) => e.loss);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    let ss = 0;
    for (let r = 0; r < split.test.length; r++) ss += (split.test.ratings[r] - mf.globalMean) ** 2;
    const meanRmse = Math.sqrt(ss / split.test.length);
    expect(mf.evaluate(split.test).rmse).toBeLessThan(meanRmse - 0.02);
  });

  it('agrees across backends on the mini-batch path', async () => {
    const w = (await trainSmall('wasm', 'adam', 64)).mf.evaluate(split.test).rmse;
    const j = (await trainSmall('js', 'adam', 64)).mf.evaluate(split.test).rmse;
    expect(Math.abs(w - j)).toBeLessThan(1e-3);
  });

  it('predicts unknown users and items as the global mean plus known biases, never crashing', async () => {
    const { mf } = await trainSmall('wasm', 'sgd', 1);
    const knownItem = small.itemIndex.ids[split.train.items[0]];
    const [unknownBoth, unknownUser, again] = mf.predictIds(['no-such-user', 'no-such-user', 'no-such-user'], ['no-such-item', knownItem, knownItem]);
    expect(unknownBoth).toBeCloseTo(mf.globalMean, 5);
    const itemBias = mf.weights().itemBias[split.train.items[0]];
    expect(unknownUser).toBeCloseTo(mf.globalMean + itemBias, 5);
    expect(again).toBe(unknownUser);
    expect(Array.from(mf.predict({ users: new Int32Array([-1]), items: new Int32Array([10 ** 6]) }))[0]).toBeCloseTo(mf.globalMean, 5);
  });

  it('stops with a clear error when training diverges', async () => {
    const be = await createBackend('wasm');
    const mf = new MatrixFactorization(be, small, { factors: 8, regFactors: 0, regBias: 0, initStd: 1 });
    mf.compile({ optimizer: { name: 'sgd', lr: 50 } });
    await expect(mf.fit(split.train, { epochs: 5, batchSize: 1 })).rejects.toThrow(TrainingDivergedError);
    await expect(mf.fit(split.train, { epochs: 5, batchSize: 1 })).rejects.toThrow(/diverged in epoch \d+.*Lower the learning rate \(now 50\)/);
  });

  it('frees its training buffers when a fit ends with an error, and still predicts', async () => {
    const be = await createBackend('wasm');
    const mf = new MatrixFactorization(be, small, { factors: 8 }).compile({ optimizer: { name: 'adam', lr: 0.01 } });
    await mf.fit(split.train, { epochs: 1 });
    const inUse = be.heap.bytesInUse;
    const failing = { onEpochEnd: () => { throw new Error('callback failed'); } };
    for (let run = 0; run < 3; run++) {
      await expect(mf.fit(split.train, { epochs: 2, callbacks: failing })).rejects.toThrow('callback failed');
      expect(be.heap.bytesInUse).toBe(inUse);
    }
    expect(Number.isFinite(mf.predict(split.test)[0])).toBe(true);
  });

  it('rejects bad options and bad data with a message naming them', async () => {
    const be = await createBackend('js');
    expect(() => new MatrixFactorization(be, small, { factors: 0 })).toThrow(/factors must be an integer/);
    const mf = new MatrixFactorization(be, small, { factors: 4 });
    const bad = { ...split.train, users: split.train.users.slice(), length: split.train.length };
    bad.users[5] = small.userIndex.size + 3;
    await expect(mf.fit(bad, { epochs: 1 })).rejects.toThrow(/row 5: user index/);
    await expect(mf.fit(split.train, { epochs: 1, batchSize: 0 })).rejects.toThrow(/batchSize/);
  });

  it('supports validation, early stopping with restore, and callbacks', async () => {
    const be = await createBackend('wasm');
    const mf = new MatrixFactorization(be, small, { factors: 8, regFactors: 0, regBias: 0 });
    mf.compile({ optimizer: { name: 'adam', lr: 0.05 } });
    let batches = 0;
    const history = await mf.fit(split.train, {
      epochs: 40,
      batchSize: 128,
      validationSplit: 0.2,
      earlyStopping: { patience: 2, restoreBest: true },
      callbacks: { onBatchEnd: () => void batches++ },
    });
    expect(history.stoppedEarly).toBe(true);
    expect(history.epochs.length).toBeLessThan(40);
    const best = Math.min(...history.epochs.map((e) => e.val_rmse!));
    expect(history.epochs[history.bestEpoch].val_rmse).toBe(best);
    expect(batches).toBeGreaterThan(history.epochs.length * 20);
  });
});
