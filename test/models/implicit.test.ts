// Implicit feedback: losses with sampled negatives and the in-batch softmax train the same
// on both backends, and on MovieLens 100K (ratings ≥ 4 as positives) beat popularity.
import { describe, expect, it } from 'vitest';
import { createBackend, type BackendName } from '../../src/backends/index.js';
import type { Interactions } from '../../src/data/interactions.js';
import { rankingMetrics, type RankingMetrics } from '../../src/training/ranking-metrics.js';
import { positivesOf } from '../../src/cli/implicit.js';
import { MeanBaseline } from '../../src/models/baselines.js';
import { MatrixFactorization } from '../../src/models/mf.js';
import { PopularityBaseline } from '../../src/models/popularity.js';
import type { Recommender } from '../../src/models/recommender.js';
import { TwoTower } from '../../src/models/two-tower.js';
import type { LossConfig } from '../../src/training/losses.js';
import { expectClose } from '../kernels/twin.js';
import { HAVE_ML100K, movielens, synthetic, type Fixture } from './fixtures.js';

const SMALL = { idDim: 8, towerLayers: [16], headLayers: [8] };

function ranking(model: Recommender, fx: Fixture): RankingMetrics {
  return rankingMetrics((u) => model.scoreItems(u), model.nItems, fx.split.train, fx.split.test, { k: 10, threshold: 4 });
}

async function popularity(fx: Fixture, positives: Interactions): Promise<RankingMetrics> {
  const pop = new PopularityBaseline(await createBackend('js'), fx.dataset);
  await pop.fit(positives);
  return ranking(pop, fx);
}

describe('implicit training on both backends', () => {
  const cases: [string, (be: Awaited<ReturnType<typeof createBackend>>, fx: Fixture) => Recommender, LossConfig][] = [
    ['two-tower mlp, bce', (be, fx) => new TwoTower(be, fx.dataset, fx.features, { ...SMALL, idDropout: 0.2 }), { name: 'bce', negatives: 2 }],
    ['two-tower both, bpr', (be, fx) => new TwoTower(be, fx.dataset, fx.features, { ...SMALL, head: 'both' }), { name: 'bpr', sampling: 'popularity' }],
    ['two-tower dot, in-batch softmax with logQ', (be, fx) => new TwoTower(be, fx.dataset, fx.features, { ...SMALL, head: 'dot', idDropout: 0.1 }), { name: 'softmax', logQ: true }],
    ['mf, bpr', (be, fx) => new MatrixFactorization(be, fx.dataset, { factors: 8 }), { name: 'bpr', negatives: 2 }],
    ['mf, bce', (be, fx) => new MatrixFactorization(be, fx.dataset, { factors: 8 }), { name: 'bce' }],
  ];
  it.each(cases)('%s: the loss falls and wasm matches js', async (_name, make, loss) => {
    const fx = synthetic();
    const positives = positivesOf(fx.split.train, 4);
    const scores: Float32Array[] = [];
    for (const name of ['wasm', 'js'] as BackendName[]) {
      const model = make(await createBackend(name), fx);
      // Plain SGD: Adam's g/√v turns f32 rounding differences in near-zero gradients (rare
      // rows, saturated pairs) into ±lr steps, and the backends then drift apart by design.
      model.compile({ optimizer: { name: 'sgd', lr: 0.2 }, loss });
      // Same seed ⇒ the same negatives, dropout masks and batches on both backends.
      const history = await model.fit(positives, { epochs: 2, batchSize: 128, seed: 5 });
      expect(history.epochs[1].loss).toBeLessThan(history.epochs[0].loss);
      scores.push(model.scoreItems(Int32Array.of(0, 1, 2)));
    }
    expectClose(scores[0], scores[1], { rel: 1e-3, label: 'wasm vs js scores' });
  });

  it('the popularity prior adds weight · log(1 + positives) to the scores, not to training', async () => {
    const fx = synthetic();
    const positives = positivesOf(fx.split.train, 4);
    const be = await createBackend('wasm');
    const fit = async (popularityPrior: number) => {
      const model = new TwoTower(be, fx.dataset, fx.features, { ...SMALL, popularityPrior }).compile({ loss: 'bce' });
      const history = await model.fit(positives, { epochs: 1, seed: 3 });
      return { model, loss: history.epochs[0].loss };
    };
    const [plain, prior] = [await fit(0), await fit(2)];
    expect(prior.loss).toBe(plain.loss);
    const count = new Float32Array(fx.dataset.itemIndex.size);
    for (const i of positives.items) count[i]++;
    const users = Int32Array.of(0, 1);
    const expected = Float32Array.from(plain.model.scoreItems(users), (s, j) => s + 2 * Math.log1p(count[j % count.length]));
    expectClose(prior.model.scoreItems(users), expected, { rel: 1e-5, label: 'scores with the prior' });
    // Saved with the model: a restored copy scores the same.
    const copy = new TwoTower(be, fx.dataset, fx.features, { ...SMALL, popularityPrior: 2 }).compile({ loss: 'bce' });
    copy.loadState(prior.model.saveState());
    expectClose(copy.scoreItems(users), prior.model.scoreItems(users), { rel: 1e-6, label: 'restored' });
    await expect(new TwoTower(be, fx.dataset, fx.features, { ...SMALL, popularityPrior: 1 }).compile({ loss: 'mse' }).fit(positives, { epochs: 1 })).rejects.toThrow(/popularityPrior needs an implicit loss/);
  });

  it('rejects losses a model cannot train with', async () => {
    const fx = synthetic();
    const be = await createBackend('js');
    // The in-batch softmax scores users against items by u·v: an MLP head has no such product.
    expect(() => new TwoTower(be, fx.dataset, fx.features, { head: 'mlp' }).compile({ loss: 'softmax' })).toThrow(/unsupported loss 'softmax'/);
    expect(() => new MeanBaseline(be, fx.dataset, 'item-mean').compile({ loss: 'bce' })).toThrow(/unsupported loss 'bce'/);
    expect(() => new MatrixFactorization(be, fx.dataset).compile({ loss: { name: 'bpr', negatives: 0 } })).toThrow(/at least one negative/);
    const small = new TwoTower(be, fx.dataset, fx.features, { ...SMALL, maxBatch: 64 }).compile({ loss: 'bpr' });
    // A BPR batch holds each pair's two rows.
    await expect(small.fit(positivesOf(fx.split.train, 4), { epochs: 1, batchSize: 64 })).rejects.toThrow(/128 rows with the bpr loss/);
  });
});

describe.runIf(HAVE_ML100K)('implicit feedback on MovieLens 100K (ratings ≥ 4 are positives)', () => {
  it('u1: the two-tower with in-batch softmax beats popularity on Recall@10', async () => {
    const fx = await movielens({ kind: 'u1' });
    const positives = positivesOf(fx.split.train, 4);
    const model = new TwoTower(await createBackend('wasm'), fx.dataset, fx.features, { head: 'dot' });
    model.compile({ optimizer: { name: 'adam', lr: 0.01 }, loss: { name: 'softmax', logQ: true } });
    await model.fit(positives, { epochs: 12 });
    const m = ranking(model, fx);
    const pop = await popularity(fx, positives);
    // Measured: R@10 0.164 vs 0.107, P@10 0.262 vs 0.205, AUC 0.916 vs 0.873.
    expect(m.recall).toBeGreaterThan(pop.recall);
    expect(m.precision).toBeGreaterThan(pop.precision);
  });

  // Measured (P@10, AUC; two-tower vs popularity): seed 42 0.417/0.8865 vs 0.401/0.8827,
  // seed 1 0.385/0.8788 vs 0.366/0.8724, seed 2 0.383/0.8751 vs 0.369/0.8721, seed 3
  // 0.395/0.8814 vs 0.391/0.8752. Without the popularity prior the AUC only tied (0.8826 vs
  // 0.8827 at seed 42) and P@10 fell below popularity's at seeds 1-3.
  it.each([42, 1, 2, 3])('cold users, seed %i (a fifth of the users held out): the two-tower with its implicit defaults beats popularity on P@10 and AUC', async (seed) => {
    const fx = await movielens({ kind: 'cold-users', testFraction: 0.2, seed });
    const positives = positivesOf(fx.split.train, 4);
    // `wasmrec train --implicit`'s settings: users drop their id half of the time, so the
    // unknown-user row learns from features; item ids never drop (item id dropout cost 0.006
    // AUC on new users); the popularity prior adds log(1 + positives) to the scores.
    const model = new TwoTower(await createBackend('wasm'), fx.dataset, fx.features);
    model.compile({ loss: 'bce' });
    await model.fit(positives, { seed });
    const m = ranking(model, fx);
    const pop = await popularity(fx, positives);
    expect(m.users).toBe(189);
    expect(m.precision).toBeGreaterThan(pop.precision);
    expect(m.auc).toBeGreaterThan(pop.auc);
  });
});
