import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/data/dataset.js';
import { FeaturePipeline } from '../../src/preprocessing/pipeline.js';
import { makeSplit } from '../../src/data/splits.js';
import { loadDataset } from '../../src/io/node/load.js';
import { DATA_DIR, HAVE_ML100K } from '../data/datadir.js';

describe.skipIf(!HAVE_ML100K)('FeaturePipeline on MovieLens 100K (auto features)', () => {
  let ds: Dataset;
  beforeAll(async () => {
    ds = await loadDataset(DATA_DIR);
  });

  it('encodes every user and item with the course features', () => {
    const split = makeSplit(ds, { kind: 'u1' });
    const p = FeaturePipeline.fit(ds, split.train, 'auto');
    const users = p.encode('user', ds.userIndex);
    expect(users.n).toBe(944);
    expect(users.contNames).toEqual(['age', 'rating_mean', 'rating_log_count', 'rating_q25', 'rating_q50', 'rating_q75']);
    const card = Object.fromEntries(users.categorical.map((c) => [c.name, c.cardinality]));
    expect(card).toEqual({ age_group: 8, gender: 3, occupation: 22, zip_region: expect.any(Number) });
    expect(card.zip_region).toBeGreaterThan(10);
    // Standardized over the training users: mean ≈ 0, population std ≈ 1.
    const w = users.contNames.length;
    const age = Array.from({ length: 943 }, (_, u) => users.continuous[u * w]);
    const mean = age.reduce((a, b) => a + b) / age.length;
    expect(Math.abs(mean)).toBeLessThan(1e-5);
    expect(Math.sqrt(age.reduce((a, b) => a + (b - mean) ** 2, 0) / age.length)).toBeCloseTo(1, 4);

    const items = p.encode('item', ds.itemIndex);
    expect(items.n).toBe(ds.itemIndex.size + 1);
    expect(items.multi[0].name).toBe('genres');
    expect(items.multi[0].cardinality).toBe(20);
    expect(items.multi[0].offsets[items.n]).toBe(items.multi[0].ids.length);
    expect(items.categorical.map((c) => c.name)).toEqual(['year']);
  });

  it('round-trips through JSON with identical encodings, including cold-start users', () => {
    const split = makeSplit(ds, { kind: 'cold-users', testFraction: 0.2, seed: 42 });
    const p = FeaturePipeline.fit(ds, split.train, 'auto');
    const copy = FeaturePipeline.fromJSON(JSON.parse(JSON.stringify(p)));
    expect(copy.encode('user', ds.userIndex)).toEqual(p.encode('user', ds.userIndex));
    expect(copy.encode('item', ds.itemIndex)).toEqual(p.encode('item', ds.itemIndex));
    // A held-out user still gets its own age and gender, but the cold statistics.
    const users = p.encode('user', ds.userIndex);
    const cold = split.test.users[0];
    const w = users.contNames.length;
    const row = (r: number) => Array.from(users.continuous.subarray(r * w, (r + 1) * w));
    expect(row(cold).slice(1)).toEqual(row(users.n - 1).slice(1));
    expect(users.categorical.find((c) => c.name === 'gender')!.codes[cold]).toBeGreaterThan(0);
  });
});
