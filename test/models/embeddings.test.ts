// Word2Vec-family embeddings on real data: item2vec neighbours on MovieLens 100K u1 share
// genres far more than random items do, Word2Vec neighbours of ml-latest-small tag words tag
// the same movies, and Node2Vec over the co-occurrence graph finds genre neighbours too.
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { cooccurrenceGraph } from '../../src/data/cooccurrence.js';
import type { Dataset } from '../../src/data/dataset.js';
import { withVectors } from '../../src/data/vectors.js';
import { loadDataset } from '../../src/io/node/load.js';
import { buildModel } from '../../src/models/factory.js';
import { item2vec, mostSimilar, node2vec, word2vec, type Embeddings } from '../../src/models/embeddings.js';
import { Rng } from '../../src/random.js';
import { HAVE_ML100K, HAVE_ML_LATEST_SMALL, ML100K_DIR, ML_LATEST_SMALL_DIR } from '../data/datadir.js';

const jaccard = (a: Set<string>, b: Set<string>) => {
  let both = 0;
  for (const x of a) if (b.has(x)) both++;
  const union = a.size + b.size - both;
  return union === 0 ? 0 : both / union;
};

/** Mean Jaccard of `sets` between each chosen row and its 10 nearest neighbours, and between random pairs. */
function neighbourVsRandom(e: Embeddings, sets: (id: string) => Set<string>, rows: number[]): { neighbours: number; random: number } {
  const rng = new Rng(1);
  let near = 0, rand = 0, nNear = 0, nRand = 0;
  for (const r of rows) {
    for (const n of mostSimilar(e, r, 10)) (near += jaccard(sets(e.ids[r]), sets(e.ids[n]))), nNear++;
    for (let k = 0; k < 10; k++) (rand += jaccard(sets(e.ids[r]), sets(e.ids[rng.int(e.ids.length)]))), nRand++;
  }
  return { neighbours: near / nNear, random: rand / nRand };
}

function genresOf(ds: Dataset): (id: string) => Set<string> {
  const col = ds.items!.columns.genres;
  if (col.kind !== 'multi') throw new Error('genres is not a list column');
  const row = new Map(ds.items!.ids.map((id, r) => [id, r]));
  return (id) => new Set(col.values[row.get(id)!]);
}

/** Items with at least `min` training ratings: their vectors have seen enough to be judged. */
function frequentRows(e: Embeddings, train: Dataset['ratings'], itemIds: readonly string[], min: number): number[] {
  const count = new Map<string, number>();
  for (let x = 0; x < train.length; x++) count.set(itemIds[train.items[x]], (count.get(itemIds[train.items[x]]) ?? 0) + 1);
  return e.ids.flatMap((id, r) => ((count.get(id) ?? 0) >= min ? [r] : []));
}

describe.skipIf(!HAVE_ML100K)('item2vec and node2vec on MovieLens 100K u1', () => {
  it('item2vec: the 10 nearest items share genres more than twice as much as random items', async () => {
    const ds = await loadDataset(ML100K_DIR);
    const train = ds.folds!.u1.train;
    const t0 = performance.now();
    const e = item2vec(await createBackend('wasm'), train, ds.userIndex.ids, ds.itemIndex.ids, { dim: 32, epochs: 5, seed: 1 });
    const ms = performance.now() - t0;
    const rows = frequentRows(e, train, ds.itemIndex.ids, 50);
    const j = neighbourVsRandom(e, genresOf(ds), rows);
    console.log(`item2vec u1: ${e.ids.length} items, ${e.pairs} pairs in ${ms.toFixed(0)} ms, losses ${e.losses.map((l) => l.toFixed(3))}, genre Jaccard neighbours ${j.neighbours.toFixed(3)} vs random ${j.random.toFixed(3)} over ${rows.length} items`);
    expect(e.losses[1]).toBeLessThan(e.losses[0]);
    expect(j.neighbours).toBeGreaterThan(2 * j.random);
  });

  it('item2vec vectors as a `vector` feature improve the two-tower on u1 by more than 0.005 RMSE', async () => {
    const ds = await loadDataset(ML100K_DIR);
    const u1 = ds.folds!.u1;
    const be = await createBackend('wasm');
    const e = item2vec(be, u1.train, ds.userIndex.ids, ds.itemIndex.ids, { dim: 32, epochs: 5, seed: 1 });
    const withItem2vec = withVectors(ds, 'item', 'item2vec', e.ids, { rows: e.ids.length, cols: e.dim, data: e.vectors }, 'item2vec');
    const rmse: number[] = [];
    for (const d of [ds, withItem2vec]) {
      const { model } = buildModel('two-tower', be, d, u1.train);
      await model.fit(u1.train, { seed: 1 });
      rmse.push(model.evaluate(u1.test).rmse!);
    }
    console.log(`two-tower u1 RMSE: auto ${rmse[0].toFixed(4)}, auto + item2vec ${rmse[1].toFixed(4)}`);
    expect(rmse[1]).toBeLessThan(rmse[0] - 0.005);
  });

  it('node2vec over the PMI co-occurrence graph: neighbours share genres 1.6 times as much as random items, as much as the graph\'s own strongest links', async () => {
    const ds = await loadDataset(ML100K_DIR);
    const train = ds.folds!.u1.train;
    const graph = cooccurrenceGraph(train, ds.itemIndex.size, { minCount: 5, minPmi: 1 });
    const t0 = performance.now();
    const e = node2vec(await createBackend('wasm'), graph, ds.itemIndex.ids, { dim: 32, epochs: 5, walksPerNode: 5, length: 40, window: 5, p: 0.5, q: 4, seed: 1 });
    const ms = performance.now() - t0;
    const rows = frequentRows(e, train, ds.itemIndex.ids, 50);
    const j = neighbourVsRandom(e, genresOf(ds), rows);
    // The graph's 10 heaviest links of the same items: what the walks have to go on.
    const genres = genresOf(ds);
    let direct = 0, nDirect = 0;
    for (const r of rows) {
      const node = ds.itemIndex.get(e.ids[r]);
      const links: [number, number][] = [];
      for (let k = graph.rowPtr[node]; k < graph.rowPtr[node + 1]; k++) links.push([graph.weight[k], graph.col[k]]);
      for (const [, m] of links.sort((a, b) => b[0] - a[0]).slice(0, 10)) (direct += jaccard(genres(e.ids[r]), genres(ds.itemIndex.ids[m]))), nDirect++;
    }
    console.log(`node2vec u1: ${e.ids.length} items, ${e.pairs} pairs in ${ms.toFixed(0)} ms, genre Jaccard neighbours ${j.neighbours.toFixed(3)} vs random ${j.random.toFixed(3)}, graph's top-10 links ${(direct / nDirect).toFixed(3)} over ${rows.length} items`);
    expect(j.neighbours).toBeGreaterThan(1.6 * j.random);
    expect(j.neighbours).toBeGreaterThan(0.9 * (direct / nDirect));
  });
});

describe.skipIf(!HAVE_ML_LATEST_SMALL)('Word2Vec on ml-latest-small tags', () => {
  it('the 10 nearest words of frequent tag words tag the same movies far more often than random words', async () => {
    const ds = await loadDataset(ML_LATEST_SMALL_DIR);
    const tags = ds.items!.columns.tags;
    if (tags.kind !== 'multi') throw new Error('tags is not a list column');
    const texts = tags.values.filter((t) => t.length > 0).map((t) => t.join(' . '));
    const t0 = performance.now();
    const e = word2vec(await createBackend('wasm'), texts, { dim: 32, minCount: 5, epochs: 20, sample: 1e-3, seed: 1 });
    const ms = performance.now() - t0;
    // The movies each word tags.
    const movies = new Map<string, Set<string>>();
    texts.forEach((text, k) => {
      for (const w of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
        if (!movies.has(w)) movies.set(w, new Set());
        movies.get(w)!.add(String(k));
      }
    });
    const rows = e.ids.flatMap((w, r) => ((movies.get(w)?.size ?? 0) >= 10 ? [r] : []));
    const j = neighbourVsRandom(e, (w) => movies.get(w) ?? new Set(), rows);
    console.log(`word2vec tags: ${texts.length} texts, ${e.ids.length} words, ${e.pairs} pairs in ${ms.toFixed(0)} ms, movie Jaccard neighbours ${j.neighbours.toFixed(3)} vs random ${j.random.toFixed(3)} over ${rows.length} words`);
    expect(j.neighbours).toBeGreaterThan(2 * j.random);
  });
});
