import { describe, expect, it } from 'vitest';
import { parseMovieLensLatest } from '../../src/data/movielens-latest.js';
import { dataError } from './errors.js';

const RATINGS = 'userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,4.5,964981247\n2,1,0.5,964982224\n2,11,3.0,964982224\n';
const MOVIES = [
  'movieId,title,genres',
  '1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy',
  '3,"American President, The (1995)",Comedy|Drama|Romance',
  '11,"Stand by Me ""Uncut"" (1986)",(no genres listed)',
].join('\r\n');

describe('parseMovieLensLatest', () => {
  it('reads half stars, quoted titles with commas and "(no genres listed)"', () => {
    const ds = parseMovieLensLatest({ 'ratings.csv': RATINGS, 'movies.csv': MOVIES });
    expect(ds.format).toBe('ml-latest');
    expect(Array.from(ds.ratings.ratings)).toEqual([4, 4.5, 0.5, 3]);
    const { title, year, genres } = ds.items!.columns;
    expect(title.values).toEqual(['Toy Story (1995)', 'American President, The (1995)', 'Stand by Me "Uncut" (1986)']);
    expect(Array.from(year.values as Float64Array)).toEqual([1995, 1995, 1986]);
    expect(genres.values[2]).toEqual([]);
    expect(genres.values[0]).toContain('Children');
    expect(ds.report.warnings).toEqual([]);
  });

  it('reports the line a quoted row starts on, even after a line break inside quotes', () => {
    const movies = MOVIES + '\r\n12,"Two\nLines (1990)",Drama\r\n13,Broken (1990)\r\n';
    expect(dataError(() => parseMovieLensLatest({ 'ratings.csv': RATINGS, 'movies.csv': movies })).message).toMatch(
      /^movies\.csv line 7, field genres: missing/,
    );
  });

  it('checks the ratings header', () => {
    expect(() => parseMovieLensLatest({ 'ratings.csv': RATINGS.replace('userId', 'user') })).toThrow(/^ratings\.csv line 1, field header: expected "userId,movieId,rating,timestamp"/);
  });

  const bad: [string, Record<string, string | Uint8Array>, RegExp][] = [
    ['rating 5.5', { 'ratings.csv': RATINGS + '3,1,5.5,1\n' }, /^ratings\.csv line 6, field rating: "5\.5" is out of range \(expected in 0\.5\.\.5 in steps of 0\.5\)/],
    ['rating 3.7', { 'ratings.csv': RATINGS + '3,1,3.7,1\n' }, /^ratings\.csv line 6, field rating: "3\.7" is out of range/],
    ['NaN rating', { 'ratings.csv': RATINGS + '3,1,NaN,1\n' }, /^ratings\.csv line 6, field rating: "NaN" is not a number/],
    ['extra field', { 'ratings.csv': RATINGS + '3,1,3,1,x\n' }, /^ratings\.csv line 6, field 5: unexpected/],
    ['duplicate movie row', { 'ratings.csv': RATINGS, 'movies.csv': MOVIES + '\n3,Again (1995),Drama\n' }, /^movies\.csv line 5, field item: duplicate id "3"/],
    [
      'invalid UTF-8 in a title',
      { 'ratings.csv': RATINGS, 'movies.csv': new Uint8Array([...new TextEncoder().encode(MOVIES + '\n20,"Bad '), 0xc3, 0x28, ...new TextEncoder().encode(' (1990)",Drama\n')]) },
      /^movies\.csv line 5, field title: invalid UTF-8/,
    ],
  ];
  for (const [name, files, message] of bad) {
    it(`rejects ${name} naming file, line and field, or skips it`, () => {
      expect(dataError(() => parseMovieLensLatest(files)).message).toMatch(message);
      const ds = parseMovieLensLatest(files, { onError: 'skip' });
      expect(ds.report.skipped).toBe(1);
      expect(ds.report.warnings[0]).toMatch(new RegExp(`^skipped ${message.source.slice(1)}`));
    });
  }
});
