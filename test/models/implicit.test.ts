// Implicit feedback: losses with sampled negatives and the in-batch softmax train the same
// on both backends, and on MovieLens 100K (ratings ≥ 4 as positives) beat popularity.
import { describe, expect, it } from 'vitest';
import { createBackend, type BackendName } from '../../src/backends/index.js';
import type { Interactions } from '../../src/data/interactions.js';
import { rankingMetrics, type RankingMetrics } from '../../src/evaluation/ranking.js';
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
    ['two-tower dot, in-batch softmax with logQ', (be, fx) => new TwoTower(be, fx.dataset, fx.features, { ...SMALL, head: 'dot' }), { name: 'softmax', logQ: true }],
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

  it('cold users (20% held out, seed 42): the two-tower beats popularity on P@10 and is on par on AUC', async () => {
    const fx = await movielens({ kind: 'cold-users', testFraction: 0.2, seed: 42 });
    const positives = positivesOf(fx.split.train, 4);
    // Users drop their id half of the time, so the unknown-user row learns from features;
    // item ids never drop (item id dropout cost 0.006 AUC on new users).
    const model = new TwoTower(await createBackend('wasm'), fx.dataset, fx.features, { userIdDropout: 0.5, itemIdDropout: 0 });
    model.compile({ loss: { name: 'bce', negatives: 4 } });
    await model.fit(positives);
    const m = ranking(model, fx);
    const pop = await popularity(fx, positives);
    expect(m.users).toBe(189);
    // Measured: P@10 0.413 vs 0.401; AUC 0.8826 vs 0.8827. Demographics alone add little to
    // popularity for a brand-new user: over seeds and settings the AUC stayed within ±0.003
    // of popularity's, so only "not worse by more than that noise" is asserted for it.
    expect(m.precision).toBeGreaterThan(pop.precision);
    expect(m.auc).toBeGreaterThan(pop.auc - 0.005);
  });
});
