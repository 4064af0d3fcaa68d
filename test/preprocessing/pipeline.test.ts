import { describe, expect, it } from 'vitest';
import { FeaturePipeline } from '../../src/preprocessing/pipeline.js';
import type { EncodedSide } from '../../src/preprocessing/encoded.js';
import type { FeatureSpec } from '../../src/preprocessing/spec.js';
import { IdIndex, subset } from '../../src/data/interactions.js';
import { tinyDataset } from './fixture.js';

const SPEC: FeatureSpec = {
  user: [
    { type: 'continuous', column: 'age' },
    { type: 'bucket', column: 'age', name: 'age_group', edges: [25, 35] },
    { type: 'categorical', column: 'gender' },
    { type: 'categorical', column: 'occupation' },
    { type: 'categorical', column: 'zip', name: 'zip_region', prefix: 1 },
    { type: 'stats', stats: ['mean', 'logCount'] },
  ],
  item: [
    { type: 'multi', column: 'genres', multiHot: true },
    { type: 'both', column: 'year' },
    { type: 'bucket', column: 'year', name: 'decade', width: 10 },
    { type: 'categorical', column: 'release_date', name: 'month', date: 'month' },
  ],
  interaction: [{ type: 'itemAge', column: 'year' }],
};

function setup(spec: FeatureSpec | string = SPEC) {
  const { dataset, trainRows, testRows } = tinyDataset();
  const train = subset(dataset.ratings, trainRows);
  const test = subset(dataset.ratings, testRows);
  return { dataset, train, test, pipeline: FeaturePipeline.fit(dataset, train, spec) };
}

const col = (e: EncodedSide, name: string) => {
  const k = e.contNames.indexOf(name);
  expect(k).toBeGreaterThanOrEqual(0);
  return Array.from({ length: e.n }, (_, r) => e.continuous[r * e.contNames.length + k]);
};
const cat = (e: EncodedSide, name: string) => e.categorical.find((c) => c.name === name)!;

describe('FeaturePipeline users (hand-computed)', () => {
  const { dataset, pipeline } = setup();
  const users = pipeline.encode('user', dataset.userIndex);

  it('has one row per indexed user plus the unknown user', () => {
    expect(users.n).toBe(5);
    expect(users.contNames).toEqual(['age', 'rating_mean', 'rating_log_count']);
    expect(users.continuous.length).toBe(5 * 3);
  });

  it('standardizes age with the training users only (20, 30 → mean 25, std 5); missing → 0', () => {
    // u4 (age 40) has no training rating, so it does not move the mean.
    expect(col(users, 'age')).toEqual([-1, 1, 0, 3, 0]);
  });

  it('label-encodes in sorted order with 0 for missing and unseen values', () => {
    expect(cat(users, 'gender')).toEqual({ name: 'gender', cardinality: 3, codes: Int32Array.of(2, 1, 2, 0, 0) });
    // 'c' belongs to u4 only, who is not a training user.
    expect(cat(users, 'occupation')).toEqual({ name: 'occupation', cardinality: 3, codes: Int32Array.of(1, 2, 1, 0, 0) });
    expect(cat(users, 'zip_region')).toEqual({ name: 'zip_region', cardinality: 3, codes: Int32Array.of(1, 2, 1, 0, 0) });
  });

  it('buckets ages by fixed edges', () => {
    expect(cat(users, 'age_group')).toEqual({ name: 'age_group', cardinality: 4, codes: Int32Array.of(1, 2, 0, 3, 0) });
  });

  it('gives cold users the global statistics with count 0', () => {
    // Train user means 3, 5, 3 → mean 11/3, std sqrt(8/9); cold mean = mean of train ratings 3.5.
    const std = Math.sqrt(8 / 9);
    const expected = [3, 5, 3, 3.5, 3.5].map((m) => Math.fround((m - 11 / 3) / std));
    expect(col(users, 'rating_mean')).toEqual(expected);
    const lc = [Math.log1p(2), Math.log1p(1), Math.log1p(1)];
    const mean = lc.reduce((a, b) => a + b) / 3;
    const sd = Math.sqrt(lc.reduce((a, b) => a + (b - mean) ** 2, 0) / 3);
    expect(col(users, 'rating_log_count')[3]).toBe(Math.fround((0 - mean) / sd));
  });

  it('lets minFrequency send rare values to unknown', () => {
    const p = FeaturePipeline.fit(tinyDataset().dataset, subset(tinyDataset().dataset.ratings, [0, 1, 2, 3]), {
      user: [{ type: 'categorical', column: 'occupation', minFrequency: 2 }],
      item: [],
    });
    expect(p.encode('user', dataset.userIndex).categorical[0]).toMatchObject({ cardinality: 2, codes: Int32Array.of(1, 0, 1, 0, 0) });
  });
});

describe('FeaturePipeline items (hand-computed)', () => {
  const { dataset, pipeline } = setup();
  const items = pipeline.encode('item', dataset.itemIndex);

  it('writes genres as CSR ids with [0] for an item without known genres, plus multi-hot columns', () => {
    expect(items.multi).toEqual([
      { name: 'genres', cardinality: 3, offsets: Int32Array.of(0, 2, 3, 4, 5), ids: Int32Array.of(1, 2, 2, 0, 0) },
    ]);
    expect(col(items, 'genres=Action')).toEqual([1, 0, 0, 0]);
    expect(col(items, 'genres=Comedy')).toEqual([1, 1, 0, 0]);
  });

  it('uses year as continuous and categorical at once, and as decades', () => {
    expect(col(items, 'year')).toEqual([-1, 1, 0, 0]);
    expect(cat(items, 'year').codes).toEqual(Int32Array.of(1, 2, 0, 0));
    expect(cat(items, 'decade')).toEqual({ name: 'decade', cardinality: 2, codes: Int32Array.of(1, 1, 0, 0) });
  });

  it('reads the month from MovieLens date strings', () => {
    expect(cat(items, 'month')).toEqual({ name: 'month', cardinality: 3, codes: Int32Array.of(1, 2, 0, 0) });
  });

  it('computes the item age at rating time, standardized on the training ratings', () => {
    const { train, test } = setup();
    // Train ages: 8, 3, 8, 3 (rated in 1998) → mean 5.5, std 2.5.
    expect(Array.from(pipeline.encodeInteractions(train, dataset.itemIndex).values)).toEqual([1, -1, 1, -1]);
    // Test: i3 has no year → 0; u4·i1 → 1.
    expect(pipeline.encodeInteractions(test, dataset.itemIndex)).toEqual({ n: 2, names: ['item_age'], values: Float32Array.of(0, 1) });
  });
});

describe('FeaturePipeline unknowns and new entities', () => {
  const { dataset, pipeline } = setup();

  it('maps ids missing from the index and the tables to unknown, without errors', () => {
    const index = new IdIndex(['nobody', 'u2']);
    const e = pipeline.encode('user', index);
    expect(col(e, 'age')).toEqual([0, 1, 0]);
    expect(cat(e, 'gender').codes).toEqual(Int32Array.of(0, 1, 0));
  });

  it('encodes ids that are in the feature table but have no ratings', () => {
    const e = pipeline.encode('user', new IdIndex(['u5']));
    expect(col(e, 'age')).toEqual([-3, 0]);
    expect(cat(e, 'gender').codes).toEqual(Int32Array.of(1, 0));
  });

  it('encodes raw rows of brand-new users like table rows, missing fields → unknown/mean', () => {
    const e = pipeline.encodeRows('user', [{ age: 25, gender: 'F', occupation: 'student' }, {}]);
    expect(e.n).toBe(3);
    expect(col(e, 'age')).toEqual([0, 0, 0]);
    expect(cat(e, 'gender').codes).toEqual(Int32Array.of(1, 0, 0));
    expect(cat(e, 'occupation').codes).toEqual(Int32Array.of(0, 0, 0));
    const unknown = pipeline.encode('user', dataset.userIndex);
    expect(col(e, 'rating_mean')[0]).toBe(col(unknown, 'rating_mean')[4]);
  });

  it('gives ids only with spec "none"', () => {
    const e = setup('none').pipeline.encode('item', dataset.itemIndex);
    expect(e).toEqual({ n: 4, continuous: new Float32Array(0), contNames: [], categorical: [], multi: [] });
  });
});

describe('FeaturePipeline JSON', () => {
  it('gives identical encodings after a round trip through JSON text', () => {
    const { dataset, train, pipeline } = setup();
    const copy = FeaturePipeline.fromJSON(JSON.parse(JSON.stringify(pipeline)));
    for (const side of ['user', 'item'] as const) {
      const index = side === 'user' ? dataset.userIndex : dataset.itemIndex;
      expect(copy.encode(side, index)).toEqual(pipeline.encode(side, index));
    }
    const rows = [{ age: 33, gender: 'M', zip: '2' }];
    expect(copy.encodeRows('user', rows)).toEqual(pipeline.encodeRows('user', rows));
    expect(copy.encode('user', new IdIndex(['u5']))).toEqual(pipeline.encode('user', new IdIndex(['u5'])));
    expect(copy.encodeInteractions(train, dataset.itemIndex)).toEqual(pipeline.encodeInteractions(train, dataset.itemIndex));
  });

  it('keeps only the columns the features read', () => {
    const json = setup().pipeline.toJSON();
    expect(Object.keys(json.item.table.columns).sort()).toEqual(['genres', 'release_date', 'year']);
  });

  it('rejects an unknown version', () => {
    const json = { ...setup().pipeline.toJSON(), version: 2 } as never;
    expect(() => FeaturePipeline.fromJSON(json)).toThrow(/version/);
  });
});
