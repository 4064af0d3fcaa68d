// The `sequence` feature: each entity's latest training events as ids of the other side,
// fitted on the training part only, encoded for known, unknown and brand-new entities, kept
// through the pipeline's JSON; and the spec's checks.
import { describe, expect, it } from 'vitest';
import { interactions } from '../../src/data/interactions.js';
import { resolveFeatureSpec } from '../../src/preprocessing/auto.js';
import { FeaturePipeline } from '../../src/preprocessing/pipeline.js';
import { parseFeatureSpec, type FeatureSpec } from '../../src/preprocessing/spec.js';
import { tinyDataset } from './fixture.js';

/** The tiny data set with times: u1 rated i2 (t=1) before i1 (t=2); u2·i1 t=3; u3·i2 t=0. */
function timed() {
  const { dataset, trainRows } = tinyDataset();
  const train = interactions(Int32Array.of(0, 0, 1, 2), Int32Array.of(0, 1, 0, 1), Float32Array.of(4, 2, 5, 3), Float64Array.of(2, 1, 3, 0));
  return { dataset, train, trainRows };
}

const HISTORY: FeatureSpec = { user: [{ type: 'sequence' }], item: [{ type: 'sequence', name: 'raters', length: 1 }] };

describe('sequence feature', () => {
  it("encodes each user's training items oldest first and each item's latest user; empty and new entities get code 0", () => {
    const { dataset, train } = timed();
    const p = FeaturePipeline.fit(dataset, train, HISTORY);
    const users = p.encode('user', dataset.userIndex);
    const [h] = users.multi;
    expect(h).toMatchObject({ name: 'history', cardinality: 4, of: 'counterpart' });
    // u1: i2 (code 2) then i1 (code 1); u2: i1; u3: i2; u4 (no training rating): 0; unknown: 0.
    expect(Array.from(h.offsets)).toEqual([0, 2, 3, 4, 5, 6]);
    expect(Array.from(h.ids)).toEqual([2, 1, 1, 2, 0, 0]);
    // Items keep their latest rater only (length 1): i1 → u2 (code 2), i2 → u1 (t=1 after u3's t=0), i3 → none.
    const items = p.encode('item', dataset.itemIndex);
    expect(Array.from(items.multi[0].ids)).toEqual([2, 1, 0, 0]);
    expect(p.encodeRows('user', [{ age: 30 }]).multi[0].ids[0]).toBe(0);
    // The histories travel with the pipeline.
    const copy = FeaturePipeline.fromJSON(JSON.parse(JSON.stringify(p)));
    expect(copy.encode('user', dataset.userIndex)).toEqual(users);
  });

  it('keeps only events rated at least minRating', () => {
    const { dataset, train } = timed();
    const p = FeaturePipeline.fit(dataset, train, { user: [{ type: 'sequence', minRating: 4 }], item: [] });
    // u1 keeps i1 (4), not i2 (2); u3's only event (3) is dropped.
    expect(Array.from(p.encode('user', dataset.userIndex).multi[0].ids)).toEqual([1, 1, 0, 0, 0]);
  });

  it("with the 'rating' attribute, an event is a token of (item, rating level); the levels travel with the pipeline", () => {
    const { dataset, train } = timed();
    const p = FeaturePipeline.fit(dataset, train, { user: [{ type: 'sequence', attributes: ['rating'] }], item: [] });
    const [h] = p.encode('user', dataset.userIndex).multi;
    // Levels [2, 3, 4, 5]: u1 i2·2 (1·4 + 0 + 1 = 5) then i1·4 (0·4 + 2 + 1 = 3); u2 i1·5 (4); u3 i2·3 (6).
    expect(h).toMatchObject({ cardinality: 3 * 4 + 1, levels: 4, of: 'counterpart' });
    expect(Array.from(h.ids)).toEqual([5, 3, 4, 6, 0, 0]);
    const copy = FeaturePipeline.fromJSON(JSON.parse(JSON.stringify(p)));
    expect(copy.encode('user', dataset.userIndex).multi[0]).toEqual(h);
  });

  it("rounds a fine rating scale to halves for the 'rating' attribute, and refuses one with more than 10 levels", () => {
    const { dataset } = timed();
    const fine = interactions(Int32Array.of(0, 0, 1), Int32Array.of(0, 1, 0), Float32Array.of(1, 1.2, 1.6), Float64Array.of(0, 1, 2));
    const many = (n: number) => interactions(new Int32Array(n), new Int32Array(n), Float32Array.from({ length: n }, (_, k) => k * 0.1), new Float64Array(n));
    // 3 values stay apart; 1.2 keeps its own level as long as there are at most 10.
    expect(FeaturePipeline.fit(dataset, fine, { user: [{ type: 'sequence', attributes: ['rating'] }], item: [] }).encode('user', dataset.userIndex).multi[0].levels).toBe(3);
    // 0.0 … 1.4 in tenths: 15 values → halves 0, 0.5, 1, 1.5 → 4 levels; 0.0 … 5.9 → 13 halves.
    expect(FeaturePipeline.fit(dataset, many(15), { user: [{ type: 'sequence', attributes: ['rating'] }], item: [] }).encode('user', dataset.userIndex).multi[0].levels).toBe(4);
    expect(() => FeaturePipeline.fit(dataset, many(60), { user: [{ type: 'sequence', attributes: ['rating'] }], item: [] })).toThrow(/sequence feature 'history': the 'rating' attribute keeps at most 10 rating values apart; these ratings have 13 distinct halves/);
  });

  it("with 'gap' and a column attribute, each event is followed by its gap token and its categories; they travel with the pipeline", () => {
    const { dataset, train } = timed();
    const p = FeaturePipeline.fit(dataset, train, { user: [{ type: 'sequence', attributes: ['gap', 'genres'] }], item: [] });
    const [h] = p.encode('user', dataset.userIndex).multi;
    // Tokens in the order met: u1's i2 (t=1, a second before her latest) → gap:1 (4), genres=Comedy (5);
    // i1 (her latest) → gap:0 (6), genres=Action (7), Comedy (5); u2 i1 → 6, 7, 5; u3 i2 → 6, 5.
    expect(h).toMatchObject({ cardinality: 3 + 1 + 4, attributeTokens: 4, of: 'counterpart' });
    expect(Array.from(h.ids)).toEqual([2, 4, 5, 1, 6, 7, 5, 1, 6, 7, 5, 2, 6, 5, 0, 0]);
    expect(Array.from(h.offsets)).toEqual([0, 7, 11, 14, 15, 16]);
    const copy = FeaturePipeline.fromJSON(JSON.parse(JSON.stringify(p)));
    expect(copy.encode('user', dataset.userIndex).multi[0]).toEqual(h);
    // With the rating levels the events' codes come first, the attribute tokens after them.
    const both = FeaturePipeline.fit(dataset, train, { user: [{ type: 'sequence', attributes: ['rating', 'gap'] }], item: [] }).encode('user', dataset.userIndex).multi[0];
    expect(both).toMatchObject({ cardinality: 3 * 4 + 1 + 2, levels: 4, attributeTokens: 2 });
    expect(Array.from(both.ids)).toEqual([5, 13, 3, 14, 4, 14, 6, 14, 0, 0]);
  });

  it('refuses attributes it cannot read, naming the feature', () => {
    const { dataset, train } = timed();
    const untimed = interactions(train.users, train.items, train.ratings);
    const fit = (attributes: string[], data = train) => FeaturePipeline.fit(dataset, data, { user: [{ type: 'sequence', attributes }], item: [] });
    expect(() => fit(['gap'], untimed)).toThrow(/sequence feature 'history': the 'gap' attribute needs the interactions' timestamps/);
    expect(() => fit(['time'])).toThrow(/sequence feature 'history': attribute 'time' is not 'rating', 'gap' or a column of the other side's table \(columns: title, release_date, year, genres\)/);
    expect(() => fit(['year'])).toThrow(/attribute column 'year' is numeric/);
    expect(() => parseFeatureSpec({ user: [{ type: 'sequence', attributes: ['gap', 'gap'] }], item: [] })).toThrow(/user\[0\] attributes must be a list of distinct names/);
    expect(() => parseFeatureSpec({ user: [{ type: 'sequence', attributes: [''] }], item: [] })).toThrow(/user\[0\] attributes must be a list of distinct names/);
  });

  it('auto+history is auto with a history on both sides', () => {
    const { dataset } = timed();
    const auto = resolveFeatureSpec('auto', dataset);
    const hist = resolveFeatureSpec('auto+history', dataset);
    expect(hist.user).toEqual([...auto.user, { type: 'sequence', name: 'history', length: 0 }]);
    expect(hist.item).toEqual([...auto.item, { type: 'sequence', name: 'history', length: 0 }]);
  });

  it('rejects bad options, naming the entry', () => {
    expect(() => parseFeatureSpec({ user: [{ type: 'sequence', length: -1 }], item: [] })).toThrow(/user\[0\] length must be an integer ≥ 0/);
    expect(() => parseFeatureSpec({ user: [], item: [{ type: 'sequence', minRating: 'high' }] })).toThrow(/item\[0\] minRating must be a number/);
  });
});
