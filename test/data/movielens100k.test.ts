import { describe, expect, it } from 'vitest';
import { parseMovieLens100k } from '../../src/data/movielens100k.js';
import { dataError } from './errors.js';

const DATA = ['1\t10\t3\t881250949', '1\t20\t5\t881250950', '2\t10\t4\t881250951', '3\t30\t1\t881250952'].join('\n') + '\n';
const USERS = '1|24|M|technician|85711\n2|53|F|other|94043\n3|23|M|writer|32067\n';
const flags = (on: number[]) => Array.from({ length: 19 }, (_, g) => (on.includes(g) ? '1' : '0')).join('|');
const ITEMS = [
  `10|Toy Story (1995)|01-Jan-1995||http://x|${flags([3, 4, 5])}`,
  `20|unknown|||http://x|${flags([0])}`,
  `30|Caf\xe9 Flor (1994)|01-Jan-1994||http://x|${flags([8])}`,
].join('\n');
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('parseMovieLens100k', () => {
  it('reads ratings, user and item features, decoding u.item as Latin-1', () => {
    const ds = parseMovieLens100k({ 'u.data': DATA, 'u.user': USERS, 'u.item': latin1(ITEMS) });
    expect(ds.format).toBe('ml-100k');
    expect(ds.ratings.length).toBe(4);
    expect(ds.userIndex.ids).toEqual(['1', '2', '3']);
    expect(ds.itemIndex.ids).toEqual(['10', '20', '30']);
    expect(Array.from(ds.ratings.ratings)).toEqual([3, 5, 4, 1]);
    expect(ds.ratings.timestamps![3]).toBe(881250952);
    const age = ds.users!.columns.age;
    expect(age.kind === 'number' && Array.from(age.values)).toEqual([24, 53, 23]);
    const items = ds.items!.columns;
    expect(items.title.values[2]).toBe('Café Flor (1994)');
    expect(items.year.kind === 'number' && Array.from(items.year.values)).toEqual([1995, NaN, 1994]);
    expect(items.release_date.values[1]).toBeNull();
    expect(items.genres.values[0]).toEqual(['Animation', "Children's", 'Comedy']);
    expect(ds.items!.vocab!.genres).toHaveLength(19);
    expect(ds.report.warnings).toEqual([]);
  });

  it('uses genre names from u.genre in its index order', () => {
    const genre = Array.from({ length: 19 }, (_, g) => `g${g}|${g}`).reverse().join('\n');
    const ds = parseMovieLens100k({ 'u.data': DATA, 'u.item': ITEMS, 'u.genre': genre });
    expect(ds.items!.columns.genres.values[0]).toEqual(['g3', 'g4', 'g5']);
  });

  it('shares one index across folds and does not index feature-only ids', () => {
    const ds = parseMovieLens100k({
      'u.data': DATA,
      'u1.base': '2\t10\t4\t881250951\n3\t30\t1\t881250952\n',
      'u1.test': '1\t20\t5\t881250950\n',
      'u.user': USERS + '99|40|F|artist|00000\n',
    });
    const fold = ds.folds!.u1;
    expect(fold.train.length).toBe(2);
    expect(ds.userIndex.ids[fold.test.users[0]]).toBe('1');
    expect(ds.itemIndex.ids[fold.test.items[0]]).toBe('20');
    expect(ds.userIndex.has('99')).toBe(false);
    expect(ds.report.warnings.join('\n')).toMatch(/u\.user: 1 users have features but no ratings \(99\)/);
  });

  it('warns about rated users without a feature row', () => {
    const ds = parseMovieLens100k({ 'u.data': DATA, 'u.user': USERS.split('\n').slice(1).join('\n') });
    expect(ds.report.warnings.join('\n')).toMatch(/1 rated users have no feature row \(1\)/);
  });

  const bad: [string, Record<string, string>, RegExp][] = [
    ['too few fields', { 'u.data': DATA + '4\t10\t3\n' }, /^u\.data line 5, field timestamp: missing \(expected 4 fields, found 3\)/],
    ['too many fields', { 'u.data': '1\t10\t3\t5\t6\n' + DATA }, /^u\.data line 1, field 5: unexpected/],
    ['non-numeric rating', { 'u.data': DATA + '4\t10\tx\t1\n' }, /^u\.data line 5, field rating: "x" is not a number/],
    ['rating above 5', { 'u.data': DATA + '4\t10\t6\t1\n' }, /^u\.data line 5, field rating: "6" is out of range/],
    ['half star in 100K', { 'u.data': DATA + '4\t10\t3.5\t1\n' }, /^u\.data line 5, field rating: "3\.5" is out of range/],
    ['infinite rating', { 'u.data': DATA + '4\t10\t1e999\t1\n' }, /^u\.data line 5, field rating: "1e999" is out of range/],
    ['empty user id', { 'u.data': DATA + '\t10\t3\t1\n' }, /^u\.data line 5, field user: empty id/],
    ['empty timestamp', { 'u.data': DATA + '4\t10\t3\t\n' }, /^u\.data line 5, field timestamp: empty, expected a number/],
    ['duplicate pair', { 'u.data': DATA + '1\t20\t2\t1\n' }, /^u\.data line 5, field item: duplicate rating of item "20" by user "1"/],
    ['bad age', { 'u.data': DATA, 'u.user': USERS + '4|old|M|x|1\n' }, /^u\.user line 4, field age: "old" is not a number/],
    ['bad genre flag', { 'u.data': DATA, 'u.item': ITEMS.replace(/0$/, '2') }, /^u\.item line 3, field genre Western: "2" is not 0 or 1/],
    ['bad date', { 'u.data': DATA, 'u.item': ITEMS.replace('01-Jan-1994', 'soon') }, /^u\.item line 3, field release date: "soon"/],
    ['duplicate user row', { 'u.data': DATA, 'u.user': USERS + USERS.split('\n')[0] }, /^u\.user line 4, field user: duplicate id "1"/],
    ['bad fold line', { 'u.data': DATA, 'u1.base': '1\t10\t3\n', 'u1.test': '' }, /^u1\.base line 1, field timestamp: missing/],
  ];
  for (const [name, files, message] of bad) {
    it(`rejects ${name} naming file, line and field, or skips it`, () => {
      expect(dataError(() => parseMovieLens100k(files)).message).toMatch(message);
      const ds = parseMovieLens100k(files, { onError: 'skip' });
      expect(ds.report.skipped).toBe(1);
      expect(ds.report.warnings[0]).toMatch(new RegExp(`^skipped ${message.source.replace(/^\^/, '')}`));
      expect(Array.from(ds.ratings.ratings).some(Number.isNaN)).toBe(false);
    });
  }

  it('rejects invalid UTF-8 in u.data, naming the field', () => {
    const enc = new TextEncoder();
    const bad = new Uint8Array([...enc.encode(DATA + '4\t1'), 0xff, ...enc.encode('0\t3\t1\n')]);
    expect(dataError(() => parseMovieLens100k({ 'u.data': bad })).message).toMatch(/^u\.data line 5, field item: invalid UTF-8/);
    expect(parseMovieLens100k({ 'u.data': bad }, { onError: 'skip' }).ratings.length).toBe(4);
  });

  it('needs u.data', () => {
    expect(() => parseMovieLens100k({ 'u.user': USERS })).toThrow(/u\.data: missing/);
  });
});
