// buildModel for every kind: what it builds, that it trains, predicts within the rating
// scale, recommends unseen items by raw id and evaluates its compiled metrics, and that
// options are checked against the kind.
import { beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/backends/index.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { makeSplit } from '../../src/data/splits.js';
import type { Interactions } from '../../src/data/interactions.js';
import { buildModel, createModel, MODEL_KINDS, MODEL_OPTION_NAMES, RANKING_ONLY_KINDS, usesFeatures, type BuiltModel, type ModelKind, type ModelOptions } from '../../src/models/factory.js';
import { TwoTower } from '../../src/models/two-tower.js';
import { rmse, mae } from '../../src/training/metrics.js';
import { positivesOf } from '../../src/cli/implicit.js';

const data = generateSynthetic({ nUsers: 150, nItems: 120, nRatings: 8000, seed: 5 });
const split = makeSplit(data, { kind: 'random', testFraction: 0.2, seed: 5 });
/** Popularity ranks items by their training positives: it trains on the ratings ≥ 4. */
const positives = positivesOf(split.train, 4);

const RATING_METRICS_ASKED = ['rmse', 'mae', 'ndcg_at_5', 'coverage_at_10'] as const;
const RANKING_METRICS_ASKED = ['p_at_10', 'ndcg_at_5', 'auc'] as const;

/** The option names of other kinds that `kind` does not take. */
const foreignOptions = (kind: ModelKind) => [...new Set(MODEL_KINDS.flatMap((k) => MODEL_OPTION_NAMES[k]))].filter((n) => !MODEL_OPTION_NAMES[kind].includes(n));

describe.each(MODEL_KINDS)('buildModel(%s)', (kind) => {
  // LightGCN ranks only (BPR).
  const implicit = kind === 'popularity' || RANKING_ONLY_KINDS.includes(kind);
  const train: Interactions = implicit ? positives : split.train;
  let be: Backend;
  let built: BuiltModel;
  const lo = Math.min(...train.ratings);
  const hi = Math.max(...train.ratings);

  beforeAll(async () => {
    be = await createBackend('wasm');
    built = buildModel(kind, be, data, train);
    const { model } = built;
    model.compile(implicit ? { loss: kind === 'lightgcn' ? 'bpr' : RANKING_ONLY_KINDS.includes(kind) ? 'softmax' : 'bce', metrics: [...RANKING_METRICS_ASKED] } : { ...(kind === 'bst' ? { loss: 'mse' as const } : {}), metrics: [...RATING_METRICS_ASKED] }); // bst compiles to bce unless told: a next-item model first
    await model.fit(train, { epochs: kind === 'ensemble' ? undefined : 3 });
  });

  it('builds a pipeline (fitted on the training part) exactly when the kind uses features', () => {
    const { model, pipeline, features } = built;
    expect(pipeline !== null).toBe(usesFeatures(kind));
    expect(features !== null).toBe(usesFeatures(kind));
    expect(model.pipeline).toBe(pipeline);
    if (features) {
      // One row per known entity plus the unknown row.
      expect(features.user.n).toBe(data.userIndex.size + 1);
      expect(features.item.n).toBe(data.itemIndex.size + 1);
    }
    // A kind that uses features cannot be made without them; the others do not need them.
    const bare = () => createModel(kind, be, data, null);
    if (usesFeatures(kind)) expect(bare).toThrow(`model '${kind}' needs encoded side features`);
    else bare().dispose();
  });

  it(kind === 'popularity' ? 'scores each item by its number of training positives' : implicit ? 'scores every test pair, finite' : 'predicts every test pair, finite and within the training rating range', () => {
    const { model } = built;
    const pred = model.predict(split.test);
    expect(pred).toHaveLength(split.test.length);
    if (implicit && kind !== 'popularity') {
      // A ranking model's scores are logits: finite, and they tell pairs apart.
      expect(Array.from(pred).filter((p) => !Number.isFinite(p))).toEqual([]);
      expect(new Set(pred).size).toBeGreaterThan(10);
      return;
    }
    if (implicit) {
      const counts = new Float32Array(data.itemIndex.size);
      for (const i of train.items) counts[i]++;
      expect(Array.from(pred)).toEqual(Array.from(split.test.items, (i) => counts[i]));
      return;
    }
    expect(Array.from(pred).filter((p) => !(Number.isFinite(p) && p >= lo && p <= hi))).toEqual([]);
    // Not a constant: every kind but the global mean tells pairs apart.
    if (kind !== 'mean') expect(new Set(pred).size).toBeGreaterThan(10);
  });

  it('recommends raw item ids the user did not train on, best first', () => {
    const { model } = built;
    for (const u of [0, 17, 90]) {
      const userId = data.userIndex.ids[u];
      const trained = new Set<string>();
      for (let r = 0; r < train.length; r++) if (train.users[r] === u) trained.add(data.itemIndex.ids[train.items[r]]);
      const list = model.recommend(userId, 10);
      expect(list).toHaveLength(10);
      expect(new Set(list.map((x) => x.item)).size).toBe(10);
      for (const [rank, rec] of list.entries()) {
        expect(typeof rec.item).toBe('string');
        expect(data.itemIndex.get(rec.item)).toBe(rec.index);
        expect(trained.has(rec.item), `user ${userId} got trained item ${rec.item}`).toBe(false);
        if (rank > 0) expect(rec.score).toBeLessThanOrEqual(list[rank - 1].score);
        if (implicit) expect(rec.rating).toBeUndefined();
        else expect(rec.rating! >= lo && rec.rating! <= hi, `rating ${rec.rating}`).toBe(true);
      }
    }
  });

  it('evaluates the compiled metrics', () => {
    const { model } = built;
    const m = model.evaluate(split.test);
    const asked: readonly string[] = implicit ? RANKING_METRICS_ASKED : RATING_METRICS_ASKED;
    expect(Object.keys(m).filter((k) => k !== 'users').sort()).toEqual([...asked].sort());
    for (const name of asked) expect(Number.isFinite(m[name]), name).toBe(true);
    expect(m.users).toBeGreaterThan(0);
    if (!implicit) {
      const pred = model.predict(split.test);
      expect(m.rmse).toBeCloseTo(rmse(pred, split.test.ratings), 10);
      expect(m.mae).toBeCloseTo(mae(pred, split.test.ratings), 10);
    }
  });

  it('rejects an option of another kind, naming the ones it takes', () => {
    const valid = MODEL_OPTION_NAMES[kind];
    const list = valid.length > 0 ? valid.join(', ') : 'none';
    const foreign = foreignOptions(kind);
    expect(foreign.length).toBeGreaterThan(0);
    for (const name of foreign) {
      expect(() => buildModel(kind, be, data, train, { [name]: 1 } as ModelOptions)).toThrow(`${kind} takes no option '${name}' (its options: ${list})`);
    }
    // Undefined values are no options (spread defaults pass them).
    expect(() => buildModel(kind, be, data, train, { [foreign[0]]: undefined } as ModelOptions).model.dispose()).not.toThrow();
  });
});

describe('buildModel', () => {
  it('makes mf-features a two-tower (dot head over linear towers) that beats the item mean', async () => {
    const be = await createBackend('wasm');
    const { model } = buildModel('mf-features', be, data, split.train);
    expect(model).toBeInstanceOf(TwoTower);
    await model.fit(split.train);
    const { model: mean } = buildModel('item-mean', be, data, split.train);
    await mean.fit(split.train);
    expect(model.evaluate(split.test).rmse).toBeLessThan(mean.evaluate(split.test).rmse);
  });

  it('names the unknown kind and the known ones', async () => {
    const be = await createBackend('js');
    expect(() => buildModel('svd++' as 'mf', be, data, split.train)).toThrow(`unknown model 'svd++' (expected ${MODEL_KINDS.join(', ')})`);
  });
});
