// LightGCN: both backends train the same model, the served (propagated) vectors save and load
// exactly, unknown users get the popularity ranking, and on MovieLens 100K u1 (ratings ≥ 4 as
// positives) the CLI defaults reach P@10 0.36 (LightFM 0.343).
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import type { ListTestMetrics, TrainResult as AnyTrainResult } from '../../src/cli/train-runner.js';

type TrainResult = AnyTrainResult & { test: ListTestMetrics };
import { positivesOf } from '../../src/data/interactions.js';
import { makeSplit } from '../../src/data/splits.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { deserializeModel, serializeModel } from '../../src/io/model-file.js';
import { buildModel } from '../../src/models/factory.js';
import { DATA_DIR, HAVE_ML100K } from '../data/datadir.js';

async function trainJson(args: string[]): Promise<TrainResult> {
  const io = memoryIO();
  await main(['node', 'wasmrec', 'train', ...args, '--json'], io);
  return JSON.parse(io.stdout[0]) as TrainResult;
}

describe('lightgcn', () => {
  it('trains on both backends to nearly the same vectors; saves and loads the served model exactly', async () => {
    const ds = generateSynthetic({ seed: 4, nUsers: 150, nItems: 100, nRatings: 5000 });
    const split = makeSplit(ds, { kind: 'random', seed: 1 });
    const train = positivesOf(split.train, 4);
    const vectors: Float32Array[] = [];
    for (const name of ['wasm', 'js'] as const) {
      const be = await createBackend(name);
      const { model } = buildModel('lightgcn', be, ds, split.train, { factors: 13, layers: 2 });
      model.compile({ loss: 'bpr' });
      const h = await model.fit(train, { epochs: 4, batchSize: 256, seed: 5 });
      expect(h.epochs.at(-1)!.loss).toBeLessThan(h.epochs[0].loss);
      vectors.push(model.itemVectors()!.vectors);
      if (name === 'wasm') {
        const back = await deserializeModel(serializeModel(model), be);
        expect(back.kind).toBe('lightgcn');
        const user = ds.userIndex.ids[train.users[0]];
        expect(back.recommend(user, 10)).toEqual(model.recommend(user, 10));
        expect(back.summary().formula).toBe('score = p_uᵀq_i, [P; Q] = (1/3) Σ_{k≤2} Â^k E0');
        // A user the model never saw gets the unknown-user (popularity) ranking.
        expect(model.recommendationBasis('no-such-user')).toBe('unknown user');
        const popular = back.recommend('no-such-user', 5);
        const support = new Map<string, number>();
        for (let r = 0; r < train.length; r++) support.set(ds.itemIndex.ids[train.items[r]], (support.get(ds.itemIndex.ids[train.items[r]]) ?? 0) + 1);
        const counts = popular.map((x) => support.get(x.item) ?? 0);
        const best = [...support.values()].sort((a, b) => b - a).slice(0, 5);
        expect(counts).toEqual(best);
      }
    }
    // Lane-order sums differ by an ulp per SpMM row and feed 4 epochs of Adam.
    let worst = 0;
    let scale = 0;
    for (let i = 0; i < vectors[0].length; i++) {
      worst = Math.max(worst, Math.abs(vectors[0][i] - vectors[1][i]));
      scale = Math.max(scale, Math.abs(vectors[1][i]));
    }
    expect(worst).toBeLessThan(1e-3 * scale);
  });

  it('rejects a rating loss and bad options', async () => {
    const ds = generateSynthetic({ seed: 4, nUsers: 30, nItems: 20, nRatings: 300 });
    const be = await createBackend('js');
    const { model } = buildModel('lightgcn', be, ds, ds.ratings);
    expect(() => model.compile({ loss: 'mse' })).toThrow(/unsupported loss 'mse'/);
    expect(() => buildModel('lightgcn', be, ds, ds.ratings, { layers: -1 })).toThrow(/layers must be an integer ≥ 0/);
  });
});

describe.runIf(HAVE_ML100K)('lightgcn on MovieLens 100K u1 (implicit, ratings ≥ 4)', () => {
  it('the CLI defaults (the graph of every training rating) reach P@10 ≥ 0.36; on the positives alone 0.35', async () => {
    const r = await trainJson(['--data', DATA_DIR, '--model', 'lightgcn', '--implicit']);
    expect(r.implicit).toMatchObject({ loss: 'bpr', negatives: 2, n_positives: 80000, events: 'all', threshold: 4 });
    expect(r).toMatchObject({ optimizer: 'adam', epochs: 40, batch: 2048 });
    // Measured: P@10 0.3614, NDCG@10 0.427, AUC 0.940 (LightFM 0.343; MF's full softmax 0.362).
    expect(r.test.users).toBe(456);
    expect(r.test.p_at_10).toBeGreaterThanOrEqual(0.36);
    expect(r.test.ndcg_at_10).toBeGreaterThanOrEqual(0.42);
    // The graph of the positives only (LightFM's protocol): P@10 0.3515, NDCG@10 0.407, AUC 0.926.
    const pos = await trainJson(['--data', DATA_DIR, '--model', 'lightgcn', '--implicit', '--implicit-events', 'positives']);
    expect(pos.implicit).toMatchObject({ n_positives: 44140, events: 'positives' });
    expect(pos.test.p_at_10).toBeGreaterThanOrEqual(0.35);
    expect(pos.test.p_at_10).toBeLessThan(r.test.p_at_10);
  }, 240_000);

  it('without --implicit it ranks all the same (every training rating as an event)', async () => {
    const r = await trainJson(['--data', DATA_DIR, '--model', 'lightgcn', '--epochs', '1', '--factors', '8']);
    expect(r.implicit).toMatchObject({ threshold: 4, loss: 'bpr', n_positives: 80000, events: 'all' });
    expect(r.test).not.toHaveProperty('rmse');
  });
});
