// SVD++ and its social variant: the implicit sets improve on MF on MovieLens 100K u1 and,
// with FilmTrust's trust links, on every one of five folds; the folded model saves as the
// MF it serves as, and a user with links but no ratings is served from them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { parseEdges } from '../../src/data/edges.js';
import { parseRatingsCsv } from '../../src/data/generic-csv.js';
import { graphOfColumn, withGraph } from '../../src/data/graph-columns.js';
import { subset } from '../../src/data/interactions.js';
import { makeSplit } from '../../src/data/splits.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { deserializeModel, serializeModel } from '../../src/io/model-file.js';
import { loadDataset } from '../../src/io/node/load.js';
import { buildModel } from '../../src/models/factory.js';
import { FILMTRUST_DIR, HAVE_FILMTRUST, HAVE_ML100K, ML100K_DIR } from '../data/datadir.js';

describe('svdpp', () => {
  it('trains on both backends to nearly the same model, folds the implicit sums into MF vectors and saves and loads exactly', async () => {
    const ds = generateSynthetic({ seed: 3, nUsers: 120, nItems: 90, nRatings: 4000 });
    const split = makeSplit(ds, { kind: 'random', seed: 1 });
    const rmse: number[] = [];
    for (const name of ['wasm', 'js'] as const) {
      const be = await createBackend(name);
      const { model } = buildModel('svdpp', be, ds, split.train, { factors: 16 });
      await model.fit(split.train, { epochs: 8, seed: 5 });
      rmse.push(model.evaluate(split.test).rmse!);
      if (name === 'wasm') {
        const back = await deserializeModel(serializeModel(model), be);
        expect(back.kind).toBe('svdpp');
        expect(Array.from(back.predict(split.test))).toEqual(Array.from(model.predict(split.test)));
        expect(model.summary().formula).toBe('r̂ = μ + b_u + b_i + (p_u + |N(u)|^-½ Σ_{j∈N(u)} y_j)ᵀq_i');
      }
    }
    expect(Math.abs(rmse[0] - rmse[1])).toBeLessThan(0.002);
  });

  it('rejects what it cannot train: implicit losses, mini-batches, a graph of the wrong size', async () => {
    const ds = generateSynthetic({ seed: 3, nUsers: 50, nItems: 40, nRatings: 800 });
    const be = await createBackend('wasm');
    const { model } = buildModel('svdpp', be, ds, ds.ratings);
    expect(() => model.compile({ loss: 'bpr' })).toThrow(/svdpp: unsupported loss 'bpr'/);
    model.compile({ optimizer: 'adam' });
    await expect(model.fit(ds.ratings, { epochs: 1 })).rejects.toThrow(/per-user SGD kernel: optimizer sgd/);
    const graph = { nodes: 3, rowPtr: new Int32Array(4), col: new Int32Array(0), weight: new Float32Array(0) };
    expect(() => buildModel('svdpp', be, ds, ds.ratings, { userGraph: graph })).toThrow(/the user graph has 3 nodes; the data has 50 users/);
  });

  it.runIf(HAVE_ML100K)('beats MF on MovieLens 100K u1 (RMSE 0.914 vs 0.916)', async () => {
    const ds = await loadDataset(ML100K_DIR);
    const split = ds.folds!.u1;
    const be = await createBackend('wasm');
    const rmse: Record<string, number> = {};
    for (const kind of ['mf', 'svdpp'] as const) {
      const { model } = buildModel(kind, be, ds, split.train);
      await model.fit(split.train, { seed: 42 });
      rmse[kind] = model.evaluate(split.test).rmse!;
      model.dispose();
    }
    expect(rmse.svdpp).toBeLessThan(0.915);
    expect(rmse.svdpp).toBeLessThan(rmse.mf - 0.001);
  }, 60_000);
});

describe.runIf(HAVE_FILMTRUST)('FilmTrust, five folds (seed 42)', () => {
  const load = () => {
    const ratings = parseRatingsCsv(readFileSync(join(FILMTRUST_DIR, 'ratings.txt')), { file: 'ratings.txt' });
    return withGraph(ratings, 'user', parseEdges(readFileSync(join(FILMTRUST_DIR, 'trust.txt')), { file: 'trust.txt' }));
  };

  it('trust links as an implicit set beat SVD++ without them on every fold, SVD++ beats MF, and the full TrustSVD (trust term λ_t = 1) is no better', async () => {
    const { dataset } = load();
    const be = await createBackend('wasm');
    const rmse: Record<string, number[]> = { mf: [], svdpp: [], social: [], trustsvd: [] };
    for (let fold = 0; fold < 5; fold++) {
      const split = makeSplit(dataset, { kind: 'kfold', fold, seed: 42 });
      for (const [name, kind, options] of [['mf', 'mf', {}], ['svdpp', 'svdpp', { userGraph: null }], ['social', 'svdpp', {}], ['trustsvd', 'svdpp', { trustWeight: 1 }]] as const) {
        const { model } = buildModel(kind, be, dataset, split.train, options);
        await model.fit(split.train, { seed: 42 });
        rmse[name].push(model.evaluate(split.test).rmse!);
        model.dispose();
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b) / xs.length;
    // Measured: MF 0.7942, SVD++ 0.7926, with trust 0.7913, with TrustSVD's trust term too 0.7925.
    for (let fold = 0; fold < 5; fold++) expect(rmse.social[fold], `fold ${fold}`).toBeLessThan(rmse.svdpp[fold]);
    expect(mean(rmse.svdpp)).toBeLessThan(mean(rmse.mf));
    expect(mean(rmse.social)).toBeLessThan(0.792);
    expect(mean(rmse.social)).toBeLessThan(mean(rmse.trustsvd));
  }, 120_000);

  it('serves a user with trust links and no ratings from her links, ranking better than popularity', async () => {
    const { dataset } = load();
    const graph = graphOfColumn(dataset, 'user')!;
    const be = await createBackend('wasm');
    const split = makeSplit(dataset, { kind: 'cold-users', testFraction: 0.2, seed: 42 });
    const linked = Array.from({ length: split.test.length }, (_, x) => x).filter((x) => graph.rowPtr[split.test.users[x] + 1] > graph.rowPtr[split.test.users[x]]);
    const test = subset(split.test, linked);
    const lists = { threshold: 3.5, metrics: ['p_at_10', 'ndcg_at_10'] as ('p_at_10' | 'ndcg_at_10')[] };
    const { model: social } = buildModel('svdpp', be, dataset, split.train);
    await social.fit(split.train, { seed: 42 });
    const { model: popularity } = buildModel('popularity', be, dataset, split.train);
    await popularity.fit(split.train);
    const s = social.evaluate(test, lists);
    const p = popularity.evaluate(test, lists);
    // Measured: P@10 0.272 vs 0.260, NDCG@10 0.386 vs 0.381 (102 users).
    expect(s.p_at_10!).toBeGreaterThan(p.p_at_10! + 0.005);
    expect(s.ndcg_at_10!).toBeGreaterThan(p.ndcg_at_10!);
  }, 30_000);
});
