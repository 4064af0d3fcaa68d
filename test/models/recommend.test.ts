// The recommendation API: all-items scoring through one GEMM agrees with predict, recommend
// skips training items, cold-start users get k distinct items, similar items make sense.
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { makeSplit } from '../../src/data/splits.js';
import { buildModel, usesFeatures, type ModelKind, type ModelOptions } from '../../src/models/factory.js';
import type { Recommender } from '../../src/models/recommender.js';
import type { LossName } from '../../src/training/losses.js';

const dataset = generateSynthetic({ nUsers: 150, nItems: 220, nRatings: 6000, seed: 11 });
const { train } = makeSplit(dataset, { kind: 'random', testFraction: 0.2, seed: 2 });

async function trained(backend: 'wasm' | 'js', kind: ModelKind, options: ModelOptions = {}, loss?: LossName): Promise<Recommender> {
  const { model } = buildModel(kind, await createBackend(backend), dataset, train, { ...(usesFeatures(kind) && kind !== "ensemble" ? { maxBatch: 256 } : {}), ...options } as ModelOptions);
  if (loss) model.compile({ loss });
  await model.fit(train, { epochs: 3, batchSize: kind === 'mf' ? 1 : 256, seed: 3 });
  return model;
}

/** predict() on every (user, item) pair of `users`, row-major like scoreItems. */
function predictAll(model: Recommender, users: Int32Array): Float32Array {
  const n = model.nItems;
  const u = new Int32Array(users.length * n);
  const i = new Int32Array(users.length * n);
  users.forEach((user, b) => {
    u.fill(user, b * n, (b + 1) * n);
    for (let j = 0; j < n; j++) i[b * n + j] = j;
  });
  return model.predict({ users: u, items: i });
}

const SCORING: [string, ModelKind, ModelOptions, LossName?][] = [
  ['mf (one gemmNt per block of users)', 'mf', { factors: 16 }],
  ['two-tower dot (one gemmNt over tower outputs)', 'two-tower', { head: 'dot', towerLayers: [16] }],
  // The mlp and both heads: towers once per entity, the head's first layer split (pairScore / pairHidden).
  ['two-tower mlp [32] (pairScore)', 'two-tower', { head: 'mlp', towerLayers: [16], headLayers: [32], dropout: 0.2 }],
  ['two-tower mlp [32, 16] (pairHidden + gemm)', 'two-tower', { head: 'mlp', towerLayers: [16], headLayers: [32, 16], dropout: 0.2 }],
  ['two-tower both [32]', 'two-tower', { head: 'both', towerLayers: [16], headLayers: [32] }],
  ['two-tower both [32, 16]', 'two-tower', { head: 'both', towerLayers: [16], headLayers: [32, 16] }],
  ['two-tower mlp [8], tanh (unfused activation)', 'two-tower', { head: 'mlp', towerLayers: [8], headLayers: [8], activation: 'tanh' }],
  ['two-tower mlp [32, 16], bce with a popularity prior', 'two-tower', { head: 'mlp', towerLayers: [16], headLayers: [32, 16], popularityPrior: 1 }, 'bce'],
  ['linear', 'linear', { factors: 8 }],
];

describe.each(['wasm', 'js'] as const)('scoreItems on the %s backend', (backend) => {
  it.each(SCORING)('%s equals predict on the same pairs within 1e-4', async (_name, kind, options, loss) => {
    const model = await trained(backend, kind, options, loss);
    // Known users, a user without training ratings if any, and the unknown index -1.
    const users = Int32Array.of(0, 1, 7, 42, 149, -1, 9999);
    const fast = model.scoreItems(users);
    const slow = predictAll(model, users);
    expect(fast.length).toBe(users.length * model.nItems);
    let worst = 0;
    for (let r = 0; r < fast.length; r++) worst = Math.max(worst, Math.abs(fast[r] - slow[r]));
    expect(worst).toBeLessThan(1e-4);
    // Not trivially equal: scores vary across items.
    expect(new Set(Array.from(fast.subarray(0, model.nItems))).size).toBeGreaterThan(10);
    model.dispose();
  });
});

describe('scoreItems after the parameters change', () => {
  it('two-tower: refitting and loading a state update the cached item scores', async () => {
    const model = await trained('wasm', 'two-tower', { head: 'both', towerLayers: [16], headLayers: [32] });
    const users = Int32Array.of(0, 3, -1);
    const before = model.scoreItems(users);
    await model.fit(train, { epochs: 1, batchSize: 256, seed: 5 });
    const after = model.scoreItems(users);
    expect(after).not.toEqual(before);
    const worst = (a: Float32Array, b: Float32Array) => a.reduce((w, v, r) => Math.max(w, Math.abs(v - b[r])), 0);
    expect(worst(after, predictAll(model, users))).toBeLessThan(1e-4);
    const other = await trained('wasm', 'two-tower', { head: 'both', towerLayers: [16], headLayers: [32] });
    other.scoreItems(users);
    other.loadState(model.saveState());
    expect(worst(other.scoreItems(users), after)).toBeLessThan(1e-6);
  });
});

describe('recommend, recommendForFeatures, similarItems', () => {
  it('recommend for a known user excludes their training items by default', async () => {
    for (const kind of ['mf', 'two-tower', 'ensemble'] as const) {
      const model = await trained('wasm', kind, kind === 'mf' ? { factors: 16 } : {});
      const user = train.users[0];
      const seen = new Set<number>();
      for (let r = 0; r < train.length; r++) if (train.users[r] === user) seen.add(train.items[r]);
      expect(seen.size).toBeGreaterThan(3);
      const k = model.nItems - seen.size;
      const { indices } = model.recommendIndices(user, k, { minSupport: 0 });
      // Every unseen item and no seen one.
      expect(indices.length).toBe(k);
      for (const i of indices) expect(seen.has(i)).toBe(false);
      // An explicit exclusion list replaces the default one.
      const all = model.recommendIndices(user, model.nItems, { exclude: [], minSupport: 0 });
      expect(all.indices.length).toBe(model.nItems);
      // By raw id: the same list as the indices, with the ids and titles of the items.
      const byId = model.recommend(dataset.userIndex.ids[user], 10, { minSupport: 0 });
      expect(byId.map((r) => r.index)).toEqual(Array.from(model.recommendIndices(user, 10, { minSupport: 0 }).indices));
      expect(byId.map((r) => r.item)).toEqual(byId.map((r) => dataset.itemIndex.ids[r.index]));
      for (const r of byId) expect(seen.has(r.index)).toBe(false);
      expect(Array.from(model.seenItems(user)).sort((a, b) => a - b)).toEqual([...seen].sort((a, b) => a - b));
      model.dispose();
    }
  });

  it('recommendForFeatures gives a brand-new user k distinct items, depending on the profile for feature models', async () => {
    const model = await trained('wasm', 'two-tower', { head: 'mlp' });
    const young = model.recommendForFeatures({ age: 19, gender: 'F', occupation: 'student' }, 10);
    const old = model.recommendForFeatures({ age: 68, gender: 'M', occupation: 'retired' }, 10);
    expect(new Set(young.map((r) => r.item)).size).toBe(10);
    expect(young.every((r) => Number.isFinite(r.score) && Number.isFinite(r.rating!))).toBe(true);
    // Sorted best first.
    for (let r = 1; r < 10; r++) expect(young[r].score).toBeLessThanOrEqual(young[r - 1].score);
    // The features change the scores (a model without them would give the same list).
    expect(young.map((r) => r.score)).not.toEqual(old.map((r) => r.score));
    // MF has no pipeline: every new user gets the unknown-user ranking.
    const mf = await trained('wasm', 'mf', { factors: 8 });
    expect(mf.recommendForFeatures({ age: 19 }, 5)).toEqual(mf.recommendForFeatures({ age: 70 }, 5));
  });

  it('similarItems excludes the item itself and ranks by cosine of item vectors', async () => {
    for (const kind of ['mf', 'two-tower', 'linear', 'item-mean', 'ensemble'] as const) {
      const model = await trained('js', kind);
      const item = train.items[0];
      const { indices, scores } = model.similarItemIndices(item, 8, 0);
      expect(indices.length).toBe(8);
      expect(Array.from(indices)).not.toContain(item);
      for (const s of scores) expect(s).toBeLessThanOrEqual(1 + 1e-6);
      for (let r = 1; r < 8; r++) expect(scores[r]).toBeLessThanOrEqual(scores[r - 1]);
      // The item's similarity to itself is 1 (cosine and co-rating cosine alike).
      expect(model.itemSimilarities(item)[item]).toBeCloseTo(1, 5);
      model.dispose();
    }
  });

  it('similarItems over MF factors is the cosine of the factor rows', async () => {
    const model = await trained('js', 'mf', { factors: 8 });
    const { vectors, dim } = model.itemVectors()!;
    const [a, b] = [train.items[0], model.similarItemIndices(train.items[0], 1, 0).indices[0]];
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let d = 0; d < dim; d++) {
      dot += vectors[a * dim + d] * vectors[b * dim + d];
      na += vectors[a * dim + d] ** 2;
      nb += vectors[b * dim + d] ** 2;
    }
    expect(model.similarItemIndices(a, 1, 0).scores[0]).toBeCloseTo(dot / Math.sqrt(na * nb), 5);
    // By raw id: the same items.
    expect(model.similarItems(dataset.itemIndex.ids[a], 1)[0].index).toBe(model.similarItemIndices(a, 1).indices[0]);
  });
});
