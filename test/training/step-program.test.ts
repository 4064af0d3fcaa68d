// Recorded step programs: a feature, MF or sequence model trains the same bit for bit whether each batch
// runs as one recorded program or kernel by kernel, and a step crosses into the kernels once.
import { describe, expect, it } from 'vitest';
import { Backend } from '../../src/backends/backend.js';
import { createBackend, type BackendName } from '../../src/backends/index.js';
import { KERNEL_NAMES, type Kernels } from '../../src/backends/kernels.js';
import { MatrixFactorization } from '../../src/models/mf.js';
import type { Recommender } from '../../src/models/recommender.js';
import { LinearRS } from '../../src/models/linear.js';
import { TwoTower } from '../../src/models/two-tower.js';
import { YouTubeDNN } from '../../src/models/youtube.js';
import { SequenceTwoTower } from '../../src/models/sequence-two-tower.js';
import { Gru4Rec } from '../../src/models/gru4rec.js';
import { SASRec } from '../../src/models/sasrec.js';
import type { LossConfig, LossName } from '../../src/training/losses.js';
import type { OptimizerConfig } from '../../src/training/optimizer.js';
import { positivesOf } from '../../src/cli/implicit.js';
import { ProgramCache } from '../../src/backends/program.js';
import { encodeWith, synthetic, type Fixture } from '../models/fixtures.js';
import type { FeatureSpec } from '../../src/preprocessing/spec.js';

const SMALL = { idDim: 8, towerLayers: [16], headLayers: [8] };
const GRU_TITLES: FeatureSpec = { user: [{ type: 'categorical', column: 'gender' }], item: [{ type: 'text', column: 'title', encoder: 'gru', maxTokens: 5, buckets: 0, minFrequency: 1 }] };

interface Case {
  label: string;
  make: (be: Backend, fx: Fixture, stepPrograms: boolean) => Recommender;
  loss?: LossName | LossConfig;
  optimizer?: OptimizerConfig;
  implicit?: boolean;
}

const CASES: Case[] = [
  { label: 'two-tower mlp, dropout and id dropout', make: (be, fx, stepPrograms) => new TwoTower(be, fx.dataset, fx.features, { ...SMALL, head: 'mlp', dropout: 0.2, idDropout: 0.2, stepPrograms }) },
  { label: 'two-tower both heads, sgd', make: (be, fx, stepPrograms) => new TwoTower(be, fx.dataset, fx.features, { ...SMALL, head: 'both', stepPrograms }), optimizer: { name: 'momentum', lr: 0.01 } },
  { label: 'two-tower dot, bce with negatives', make: (be, fx, stepPrograms) => new TwoTower(be, fx.dataset, fx.features, { ...SMALL, head: 'dot', stepPrograms }), loss: { name: 'bce', negatives: 2 }, implicit: true },
  { label: 'two-tower dot, in-batch softmax with logQ', make: (be, fx, stepPrograms) => new TwoTower(be, fx.dataset, fx.features, { ...SMALL, head: 'dot', idDropout: 0.1, stepPrograms }), loss: { name: 'softmax', logQ: true }, implicit: true },
  { label: 'two-tower mlp, bpr', make: (be, fx, stepPrograms) => new TwoTower(be, fx.dataset, fx.features, { ...SMALL, head: 'mlp', stepPrograms }), loss: { name: 'bpr', negatives: 1 }, implicit: true },
  { label: 'two-tower, adam with clipNorm (update outside the program)', make: (be, fx, stepPrograms) => new TwoTower(be, fx.dataset, fx.features, { ...SMALL, stepPrograms }), optimizer: { name: 'adam', lr: 0.003, clipNorm: 0.5 } },
  { label: 'MF mini-batches, adam', make: (be, fx, stepPrograms) => new MatrixFactorization(be, fx.dataset, { factors: 8, stepPrograms }), optimizer: { name: 'adam', lr: 0.01 } },
  { label: 'MF mini-batches, bpr', make: (be, fx, stepPrograms) => new MatrixFactorization(be, fx.dataset, { factors: 8, stepPrograms }), loss: { name: 'bpr', negatives: 2 }, optimizer: { name: 'sgd', lr: 0.1 }, implicit: true },
  { label: 'youtube, full softmax over the items', make: (be, fx, stepPrograms) => new YouTubeDNN(be, fx.dataset, { factors: 8, historyLength: 5, stepPrograms }), loss: 'softmax', optimizer: { name: 'adam', lr: 0.01 }, implicit: true },
  { label: 'youtube with demographics and example age', make: (be, fx, stepPrograms) => new YouTubeDNN(be, fx.dataset, { factors: 8, historyLength: 5, demographics: true, exampleAge: true, stepPrograms }, fx.features), loss: 'softmax', optimizer: { name: 'adam', lr: 0.01 }, implicit: true },
  { label: 'sasrec (windows of L columns, block dropout, targets counted and chunked from memory cells)', make: (be, fx, stepPrograms) => new SASRec(be, fx.dataset, { factors: 8, historyLength: 6, blocks: 1, dropout: 0.2, stepPrograms }), loss: 'softmax', optimizer: { name: 'adam', lr: 0.01 }, implicit: true },
  { label: 'sequence-two-tower, attention user tower (as sasrec, the item tower inside the step)', make: (be, fx, stepPrograms) => new SequenceTwoTower(be, fx.dataset, fx.features, { factors: 8, historyLength: 6, itemIdDim: 4, encoder: 'attention', blocks: 1, dropout: 0.2, stepPrograms }), loss: 'softmax', optimizer: { name: 'adam', lr: 0.01 }, implicit: true },
  { label: 'gru4rec (windows of L columns, input dropout, a loss scale per batch)', make: (be, fx, stepPrograms) => new Gru4Rec(be, fx.dataset, { factors: 8, historyLength: 6, dropout: 0.2, stepPrograms }), loss: 'softmax', optimizer: { name: 'adam', lr: 0.01 }, implicit: true },
  { label: 'sequence-two-tower (item tower inside the step)', make: (be, fx, stepPrograms) => new SequenceTwoTower(be, fx.dataset, fx.features, { factors: 8, historyLength: 5, itemIdDim: 4, stepPrograms }), loss: 'softmax', optimizer: { name: 'adam', lr: 0.01 }, implicit: true },
  { label: 'sequence-two-tower, GRU user tower (windows, item tower and loss scale inside the step)', make: (be, fx, stepPrograms) => new SequenceTwoTower(be, fx.dataset, fx.features, { factors: 8, historyLength: 5, itemIdDim: 4, encoder: 'gru', dropout: 0.2, stepPrograms }), loss: 'softmax', optimizer: { name: 'adam', lr: 0.01 }, implicit: true },
  { label: 'two-tower mlp, the title read by a GRU (recurrent text)', make: (be, fx, stepPrograms) => new TwoTower(be, fx.dataset, encodeWith(fx.dataset, fx.split, GRU_TITLES).features, { ...SMALL, head: 'mlp', stepPrograms }) },
  { label: 'LinearRS, adagrad', make: (be, fx, stepPrograms) => new LinearRS(be, fx.dataset, fx.features, { stepPrograms }), optimizer: { name: 'adagrad', lr: 0.05 } },
];

async function train(name: BackendName, c: Case, stepPrograms: boolean) {
  const fx = synthetic();
  const be = await createBackend(name);
  const model = c.make(be, fx, stepPrograms).compile({ loss: c.loss ?? 'mse', ...(c.optimizer ? { optimizer: c.optimizer } : {}) });
  const data = c.implicit ? positivesOf(fx.split.train, 4) : fx.split.train;
  // 3 epochs with a tail batch: programs for the full and the tail size, reused across epochs.
  const history = await model.fit(data, { epochs: 3, batchSize: 200, seed: 11 });
  return { losses: history.epochs.map((e) => e.loss), pred: model.predict(fx.split.test) };
}

describe('step programs', () => {
  for (const name of ['wasm', 'js'] as const) {
    it.each(CASES)(`train as the kernel-by-kernel step does, bit for bit (${name}: $label)`, async (c) => {
      const recorded = await train(name, c, true);
      const direct = await train(name, c, false);
      expect(recorded.losses).toEqual(direct.losses);
      expect(Array.from(recorded.pred)).toEqual(Array.from(direct.pred));
      expect(recorded.losses[2]).toBeLessThan(recorded.losses[0]);
    });
  }

  function counting(real: Backend) {
    const counter = { calls: 0, names: [] as string[] };
    const counted: Record<string, unknown> = {};
    for (const k of KERNEL_NAMES) {
      const fn = real.kernels[k] as unknown as (...a: number[]) => number;
      counted[k] = (...a: number[]) => {
        counter.calls++;
        counter.names.push(k);
        return fn(...a);
      };
    }
    return { be: new Backend(real.name, counted as unknown as Kernels, real.heap, real.features), counter };
  }

  /** Kernel calls between the ends of two batches (the first batch of an epoch also has the epoch's layout calls). */
  async function callsPerStep(model: Recommender, data: Parameters<Recommender['fit']>[0], counter: { calls: number }) {
    const perStep: number[] = [];
    let before = 0;
    await model.fit(data, {
      epochs: 2,
      batchSize: 256,
      callbacks: {
        onBatchEnd: (batch) => {
          if (batch > 0) perStep.push(counter.calls - before);
          before = counter.calls;
        },
      },
    });
    return perStep;
  }

  it('cross into the kernels once per training step (forward, loss, backward and Adam update)', async () => {
    const fx = synthetic();
    const { be, counter } = counting(await createBackend('wasm'));
    const model = new TwoTower(be, fx.dataset, fx.features, { ...SMALL, head: 'both', dropout: 0.1 });
    const perStep = await callsPerStep(model, fx.split.train, counter);
    expect(perStep.length).toBeGreaterThan(100);
    expect(new Set(perStep)).toEqual(new Set([1]));
    expect(counter.names.filter((n) => n === 'runOps').length).toBe(perStep.length + 2);
  });

  it('a sequence model\'s step (the item tower, the history tower, the full softmax and Adam) is one crossing too', async () => {
    const fx = synthetic();
    const { be, counter } = counting(await createBackend('wasm'));
    const model = new SequenceTwoTower(be, fx.dataset, fx.features, { factors: 8, historyLength: 5, itemIdDim: 4 }).compile({ loss: 'softmax' });
    const perStep = await callsPerStep(model, fx.split.train, counter);
    expect(perStep.length).toBeGreaterThan(20);
    expect(new Set(perStep)).toEqual(new Set([1]));
  });

  it('a sasrec step (embedding, a transformer block with dropout, the softmax over chunks of target rows, Adam) is one crossing too', async () => {
    const fx = synthetic();
    const { be, counter } = counting(await createBackend('wasm'));
    const model = new SASRec(be, fx.dataset, { factors: 8, historyLength: 6, blocks: 1, dropout: 0.2 }).compile({ loss: 'softmax' });
    const perStep = await callsPerStep(model, fx.split.train, counter);
    expect(perStep.length).toBeGreaterThan(4);
    expect(new Set(perStep)).toEqual(new Set([1]));
  });

  it('a gru4rec step (embedding, input dropout, GRU forward and backward through time, full softmax at every step, Adam) is one crossing too', async () => {
    const fx = synthetic();
    const { be, counter } = counting(await createBackend('wasm'));
    const model = new Gru4Rec(be, fx.dataset, { factors: 8, historyLength: 6, dropout: 0.2 }).compile({ loss: 'softmax' });
    const perStep = await callsPerStep(model, fx.split.train, counter);
    expect(perStep.length).toBeGreaterThan(4);
    expect(new Set(perStep)).toEqual(new Set([1]));
  });
});

describe('ProgramCache', () => {
  it('records a batch size once, keeps the newest sizes and disposes what it drops', () => {
    const recorded: number[] = [];
    const disposed: number[] = [];
    const cache = new ProgramCache((rows: number) => {
      recorded.push(rows);
      return { rows, dispose: () => disposed.push(rows) };
    }, 2);
    expect(cache.get(256).rows).toBe(256);
    cache.get(256);
    cache.get(40);
    expect(recorded).toEqual([256, 40]);
    cache.get(17); // a third size: the oldest (256) goes
    expect(disposed).toEqual([256]);
    cache.get(40);
    expect(recorded).toEqual([256, 40, 17]);
    cache.clear();
    expect(disposed.sort((a, b) => a - b)).toEqual([17, 40, 256]);
  });
});
