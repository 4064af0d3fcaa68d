// The text feature: Unicode tokens, bigrams and character n-grams, hashing that lands the same
// everywhere, a fitted vocabulary, repeats weighing the pooling, and checked specs.
import { describe, expect, it } from 'vitest';
import { hashBucket, tokenize } from '../../src/preprocessing/text-tokens.js';
import { FeaturePipeline } from '../../src/preprocessing/pipeline.js';
import { parseFeatureSpec, type FeatureSpec } from '../../src/preprocessing/spec.js';
import { parseMovieLensLatest } from '../../src/data/movielens-latest.js';
import { dataError } from '../data/errors.js';

describe('tokenize', () => {
  it('lower-cases words of any script, keeps apostrophes inside words, adds bigrams', () => {
    expect(tokenize('Amélie (2001)')).toEqual(['amélie', '2001', 'amélie 2001']);
    expect(tokenize("Don't Look Now", { bigrams: false })).toEqual(["don't", 'look', 'now']);
    expect(tokenize('Крадущийся тигр, 卧虎藏龙!', { bigrams: false })).toEqual(['крадущийся', 'тигр', '卧虎藏龙']);
    expect(tokenize('  ,;  ')).toEqual([]);
    // NFKC: the ligature and the full-width digits read as plain letters and digits.
    expect(tokenize('ﬁlm １９９５', { bigrams: false })).toEqual(['film', '1995']);
  });

  it('character n-grams mark the word edges', () => {
    expect(tokenize('war', { bigrams: false, charNgrams: 3 })).toEqual(['war', '#<wa', '#war', '#ar>']);
  });
});

describe('hashBucket', () => {
  it('is deterministic, in 1..B, and spreads tokens over the buckets', () => {
    expect(hashBucket('story', 4096)).toBe(hashBucket('story', 4096));
    const counts = new Int32Array(65);
    for (let k = 0; k < 64_000; k++) {
      const b = hashBucket(`token${k}`, 64);
      expect(b >= 1 && b <= 64).toBe(true);
      counts[b]++;
    }
    // 1,000 per bucket expected; FNV-1a keeps every bucket within ±20 %.
    for (let b = 1; b <= 64; b++) expect(Math.abs(counts[b] - 1000)).toBeLessThan(200);
  });
});

const RATINGS = 'userId,movieId,rating,timestamp\n1,1,4.0,1\n1,2,3.0,2\n2,1,5.0,3\n2,3,2.0,4\n';
const MOVIES = 'movieId,title,genres\n1,Toy Story (1995),Animation\n2,Heat (1995),Action\n3,Untagged (1990),Drama\n';
const TAGS = 'userId,movieId,tag,timestamp\n1,1,pixar,1\n2,1,pixar,2\n2,1,funny,3\n1,2,Al Pacino,4\n';

function encodedTags(spec: FeatureSpec) {
  const ds = parseMovieLensLatest({ 'ratings.csv': RATINGS, 'movies.csv': MOVIES, 'tags.csv': TAGS });
  const pipeline = FeaturePipeline.fit(ds, ds.ratings, spec);
  return { ds, items: pipeline.encode('item', ds.itemIndex) };
}

describe('the text feature', () => {
  it('hashed: a tag given twice counts twice in the pooling; no text → the unknown id 0', () => {
    const { ds, items } = encodedTags({ user: [], item: [{ type: 'text', column: 'tags', buckets: 1000, bigrams: false }] });
    expect(ds.items!.columns.tags.values).toEqual([['pixar', 'pixar', 'funny'], ['Al Pacino'], []]);
    const t = items.multi[0];
    expect(t.cardinality).toBe(1001);
    const row = (r: number) => Array.from(t.ids.subarray(t.offsets[r], t.offsets[r + 1]));
    const item = (id: string) => ds.itemIndex.get(id);
    expect(row(item('1'))).toEqual([hashBucket('pixar', 1000), hashBucket('pixar', 1000), hashBucket('funny', 1000)]);
    expect(row(item('2'))).toEqual([hashBucket('al', 1000), hashBucket('pacino', 1000)]);
    expect(row(item('3'))).toEqual([0]);
  });

  it('vocabulary: tokens of fewer training entities than minFrequency become unknown', () => {
    const { ds, items } = encodedTags({ user: [], item: [{ type: 'text', column: 'title', buckets: 0, minFrequency: 2, bigrams: false }] });
    const t = items.multi[0];
    // Only "1995" is in two titles.
    expect(t.cardinality).toBe(2);
    const ids = Array.from(t.ids.subarray(t.offsets[ds.itemIndex.get('1')], t.offsets[ds.itemIndex.get('1') + 1]));
    expect(ids.sort()).toEqual([0, 0, 1]);
  });

  it('a spec with impossible text options fails naming the entry', () => {
    expect(() => parseFeatureSpec({ user: [], item: [{ type: 'text', column: 'title', buckets: -1 }] })).toThrow(/item\[0\] buckets/);
    expect(() => parseFeatureSpec({ user: [], item: [{ type: 'text', column: 'title', charNgrams: 2.5 }] })).toThrow(/item\[0\] charNgrams/);
    expect(() => parseFeatureSpec({ user: [{ type: 'text', column: 'bio', bigrams: 'yes' }], item: [] })).toThrow(/user\[0\] bigrams/);
  });
});

describe('tags.csv', () => {
  const parse = (tags: string) => parseMovieLensLatest({ 'ratings.csv': RATINGS, 'movies.csv': MOVIES, 'tags.csv': tags });
  it('bad rows name the file, line and field', () => {
    expect(dataError(() => parse('user,movie,tag,ts\n')).message).toMatch(/^tags\.csv line 1, field header: expected userId,movieId,tag,timestamp/);
    expect(dataError(() => parse('userId,movieId,tag,timestamp\n1,1,pixar\n')).message).toMatch(/^tags\.csv line 2, field timestamp: missing/);
    expect(dataError(() => parse('userId,movieId,tag,timestamp\n1,1, ,5\n')).message).toMatch(/^tags\.csv line 2, field tag: empty tag/);
    expect(dataError(() => parse('userId,movieId,tag,timestamp\n1,,x,5\n')).message).toMatch(/^tags\.csv line 2, field movieId: empty id/);
  });

  it('tags of movies movies.csv does not list are counted in a warning', () => {
    expect(parse('userId,movieId,tag,timestamp\n1,99,lost,5\n').report.warnings).toEqual(['tags.csv: tags of 1 movies that movies.csv does not list were not used']);
  });
});
