import { describe, expect, it } from 'vitest';
import { parseMovieLens1m, yearFromTitle } from '../../src/data/movielens1m.js';
import { dataError } from './errors.js';

const RATINGS = '1::1193::5::978300760\n1::661::3::978302109\n2::1193::4::978298413\n';
const USERS = '1::F::1::10::48067\n2::M::56::16::70072\n';
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const MOVIES = "1193::One Flew Over the Cuckoo's Nest (1975)::Drama\n661::James and the Giant Peach (1996)::Animation|Children's|Musical\n3::Cr\xe8me (1999)::Comedy\n";

describe('parseMovieLens1m', () => {
  it('reads ratings, decodes age and occupation codes, Latin-1 titles and genres', () => {
    const ds = parseMovieLens1m({ 'ratings.dat': RATINGS, 'users.dat': USERS, 'movies.dat': latin1(MOVIES) });
    expect(ds.format).toBe('ml-1m');
    expect([ds.ratings.length, ds.userIndex.size, ds.itemIndex.size]).toEqual([3, 2, 2]);
    expect(ds.users!.columns.occupation.values).toEqual(['K-12 student', 'self-employed']);
    expect(Array.from(ds.users!.columns.age.values as Float64Array)).toEqual([1, 56]);
    expect(ds.items!.columns.title.values[2]).toBe('Crème (1999)');
    expect(ds.items!.columns.genres.values[1]).toEqual(['Animation', "Children's", 'Musical']);
    expect(Array.from(ds.items!.columns.year.values as Float64Array)).toEqual([1975, 1996, 1999]);
    expect(ds.report.warnings).toEqual(['movies.dat: 1 items have features but no ratings (3)']);
  });

  it('takes the year from the end of the title only', () => {
    expect(yearFromTitle('2001: A Space Odyssey (1968)')).toBe(1968);
    expect(yearFromTitle('Babylon 5')).toBeNaN();
    expect(yearFromTitle('Fawlty Towers (1975-1979)')).toBe(1975);
  });

  const bad: [string, Record<string, string>, RegExp][] = [
    ['wrong field count', { 'ratings.dat': RATINGS + '3::5::4\n' }, /^ratings\.dat line 4, field timestamp: missing/],
    ['non-numeric rating', { 'ratings.dat': RATINGS + '3::5::four::1\n' }, /^ratings\.dat line 4, field rating: "four" is not a number/],
    ['rating 0', { 'ratings.dat': RATINGS + '3::5::0::1\n' }, /^ratings\.dat line 4, field rating: "0" is out of range/],
    ['empty item', { 'ratings.dat': RATINGS + '3::::4::1\n' }, /^ratings\.dat line 4, field item: empty id/],
    ['duplicate pair', { 'ratings.dat': RATINGS + '1::661::2::1\n' }, /^ratings\.dat line 4, field item: duplicate rating/],
    ['unknown age code', { 'ratings.dat': RATINGS, 'users.dat': USERS + '3::M::30::1::1\n' }, /^users\.dat line 3, field age: "30" is not an age code/],
    ['occupation code 21', { 'ratings.dat': RATINGS, 'users.dat': USERS + '3::M::25::21::1\n' }, /^users\.dat line 3, field occupation: "21"/],
    ['movie without genres field', { 'ratings.dat': RATINGS, 'movies.dat': MOVIES + '4::Four (1990)\n' }, /^movies\.dat line 4, field genres: missing/],
  ];
  for (const [name, files, message] of bad) {
    it(`rejects ${name} naming file, line and field, or skips it`, () => {
      expect(dataError(() => parseMovieLens1m(files)).message).toMatch(message);
      const ds = parseMovieLens1m(files, { onError: 'skip' });
      expect(ds.report.skipped).toBe(1);
      expect(ds.report.warnings[0]).toMatch(new RegExp(`^skipped ${message.source.slice(1)}`));
    });
  }
});
