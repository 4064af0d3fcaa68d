import { describe, expect, it } from 'vitest';
import { featureName, parseFeatureSpec } from '../../src/preprocessing/spec.js';
import { autoFeatureSpec, resolveFeatureSpec } from '../../src/preprocessing/auto.js';
import { tinyDataset } from './fixture.js';
import { generateSynthetic } from '../../src/data/synthetic.js';

describe('feature specs', () => {
  it('accepts a valid spec and names the first bad entry', () => {
    const ok = { user: [{ type: 'categorical', column: 'gender' }], item: [{ type: 'bucket', column: 'year', width: 10 }] };
    expect(parseFeatureSpec(ok)).toEqual(ok);
    expect(() => parseFeatureSpec({ user: [{ type: 'nope', column: 'x' }] })).toThrow(/user\[0\].*unknown type/);
    expect(() => parseFeatureSpec({ item: [{ type: 'bucket', column: 'year' }] })).toThrow(/item\[0\].*edges.*width/);
    expect(() => parseFeatureSpec({ item: [{ type: 'bucket', column: 'x', edges: [3, 1] }] })).toThrow(/increase/);
    expect(() => parseFeatureSpec({ user: [{ type: 'stats', stats: ['max'] }] })).toThrow(/unknown stat/);
    expect(() => parseFeatureSpec({ user: [], item: [], interaction: [{ type: 'x' }] })).toThrow(/interaction\[0\]/);
    expect(() => parseFeatureSpec({ item: [{ type: 'text', column: 'title', encoder: 'lstm' }] })).toThrow(/item\[0\].*encoder must be "mean" or "gru", got "lstm"/);
    expect(() => parseFeatureSpec({ item: [{ type: 'text', column: 'title', encoder: 'gru', maxTokens: 0 }] })).toThrow(/maxTokens must be an integer in 1\.\.512/);
    expect(() => parseFeatureSpec({ item: [{ type: 'text', column: 'title', maxTokens: 8 }] })).toThrow(/maxTokens is for the "gru" encoder/);
    expect(parseFeatureSpec({ item: [{ type: 'text', column: 'title', encoder: 'gru', maxTokens: 8 }] }).item[0]).toMatchObject({ encoder: 'gru', maxTokens: 8 });
  });

  it('resolves auto, none and JSON text', () => {
    const { dataset } = tinyDataset();
    expect(resolveFeatureSpec('none', dataset)).toEqual({ user: [], item: [] });
    expect(resolveFeatureSpec('{"user":[],"item":[{"type":"stats"}]}', dataset)).toEqual({ user: [], item: [{ type: 'stats' }] });
    expect(() => resolveFeatureSpec('nonsense', dataset)).toThrow(/auto.*none/);
  });

  it('auto+titles adds the items\' titles where auto leaves them out, once, before the statistics', () => {
    const ds = generateSynthetic({ nUsers: 20, nItems: 30, nRatings: 200, seed: 2 });
    const title = { type: 'text', column: 'title', buckets: 0, minFrequency: 5, bigrams: false };
    const auto = resolveFeatureSpec('auto', ds);
    expect(auto.item).not.toContainEqual(title);
    const withTitles = resolveFeatureSpec('auto+titles', ds);
    expect(withTitles.item).toEqual([...auto.item.slice(0, -1), title, { type: 'stats' }]);
    const latest = { ...ds, format: 'ml-latest' as const };
    expect(resolveFeatureSpec('auto+titles', latest)).toEqual(resolveFeatureSpec('auto', latest));
    expect(() => resolveFeatureSpec('auto+titles', { ...ds, items: undefined })).toThrow(/auto\+titles: the items have no title column/);
  });

  it('builds the course defaults from the columns present', () => {
    const spec = autoFeatureSpec({ ...tinyDataset().dataset, format: 'ml-100k' });
    expect(spec.user.map((d) => d.type + ':' + (d.type === 'stats' ? '' : featureName(d)))).toEqual([
      'continuous:age', 'bucket:age_group', 'categorical:gender', 'categorical:occupation', 'categorical:zip_region', 'stats:',
    ]);
    expect(spec.item).toEqual([{ type: 'multi', column: 'genres' }, { type: 'both', column: 'year' }, { type: 'stats' }]);
    const bare = autoFeatureSpec({ ...tinyDataset().dataset, users: undefined, items: undefined });
    expect(bare).toEqual({ user: [{ type: 'stats' }], item: [{ type: 'stats' }] });
  });
});
