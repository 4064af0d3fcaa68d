import { describe, expect, it } from 'vitest';
import { parseCsvDataset, parseFeatureTable, parseRatingsCsv } from '../../src/data/generic-csv.js';
import { dataError } from './errors.js';
import { detectDelimiter } from '../../src/data/csv.js';

describe('parseRatingsCsv', () => {
  it('detects delimiter and header and finds columns by name in any order', () => {
    const ds = parseRatingsCsv('score;when;movie_id;user_id\n4.5;100;m1;u1\n2;200;m2;u1\n');
    expect(ds.format).toBe('csv');
    expect(ds.userIndex.ids).toEqual(['u1']);
    expect(ds.itemIndex.ids).toEqual(['m1', 'm2']);
    expect(Array.from(ds.ratings.ratings)).toEqual([4.5, 2]);
    expect(ds.ratings.timestamps).toBeUndefined();
  });

  it('reads headerless TSV by position, with a timestamp column and ISO dates', () => {
    const ds = parseRatingsCsv('1\t10\t3\t881250949\n2\t10\t4\t2020-01-01T00:00:00Z\n');
    expect(Array.from(ds.ratings.timestamps!)).toEqual([881250949, 1577836800]);
  });

  it('takes explicit columns and quoted ids', () => {
    const ds = parseRatingsCsv('a,b,c,d\nx,"i,1",u,5\n', { columns: { user: 'c', item: 'b', rating: 'd' } });
    expect(ds.itemIndex.ids).toEqual(['i,1']);
    expect(() => parseRatingsCsv('a,b,c\n1,2,3\n', { columns: { user: 'who' } })).toThrow(/ratings\.csv line 1, field header: no column named "who"/);
  });

  const bad: [string, string, RegExp][] = [
    ['missing field', 'user,item,rating\nu1,i1,4\nu2,i2\n', /^ratings\.csv line 3, field rating: missing/],
    ['text rating', 'user,item,rating\nu1,i1,4\nu2,i2,good\n', /^ratings\.csv line 3, field rating: "good" is not a number/],
    ['infinite rating', 'user,item,rating\nu1,i1,4\nu2,i2,-Infinity\n', /^ratings\.csv line 3, field rating: "-Infinity" is not a number/],
    ['empty item', 'user,item,rating\nu1,i1,4\nu2,,4\n', /^ratings\.csv line 3, field item: empty id/],
    ['bad date', 'user,item,rating,time\nu1,i1,4,1\nu2,i1,5,yesterday\n', /^ratings\.csv line 3, field time: "yesterday" is not a date/],
  ];
  for (const [name, text, message] of bad) {
    it(`rejects ${name} naming file, line and field, or skips it`, () => {
      expect(dataError(() => parseRatingsCsv(text)).message).toMatch(message);
      const ds = parseRatingsCsv(text, { onError: 'skip' });
      expect([ds.ratings.length, ds.report.skipped]).toEqual([1, 1]);
    });
  }

  it('keeps the later rating of a repeated pair and says so, or rejects it when asked', () => {
    const text = 'user,item,rating,time\nu1,i1,4,10\nu2,i1,3,11\nu1,i1,2,12\n';
    const ds = parseRatingsCsv(text);
    expect([...ds.ratings.ratings]).toEqual([2, 3]);
    expect([...ds.ratings.timestamps!]).toEqual([12, 11]);
    expect(ds.report.warnings).toEqual(['ratings.csv line 4: user "u1" rated item "i1" again; the later rating (2) is kept']);
    expect(dataError(() => parseRatingsCsv(text, { duplicates: 'error' })).message).toMatch(/^ratings\.csv line 4, field item: duplicate rating of item "i1" by user "u1"/);
  });

  it('reads space-separated files without a header (FilmTrust, LibRec) and never prefers spaces to a delimiter', () => {
    const ds = parseRatingsCsv('1 10 2\n1  11   3.5\n 2 10 4 \n');
    expect(ds.userIndex.ids).toEqual(['1', '2']);
    expect([...ds.ratings.ratings]).toEqual([2, 3.5, 4]);
    expect(detectDelimiter('user,item name,rating\n')).toBe(',');
    expect(detectDelimiter('a b\tc\n')).toBe('\t');
    expect(detectDelimiter('single\n')).toBe(',');
  });

  it('applies a rating scale when given', () => {
    expect(() => parseRatingsCsv('u,i,r\n1,1,7\n', { scale: { min: 1, max: 5, step: 1 } })).toThrow(/line 2, field r: "7" is out of range/);
  });
});

describe('parseFeatureTable', () => {
  it('infers number, string and multi columns; empty cells are missing', () => {
    const t = parseFeatureTable('item,year,title,genres\ni1,1995,"Heat, The",Action|Crime\ni2,,Babe,Comedy\ni3,1990,,\n');
    expect(Object.fromEntries(Object.entries(t.columns).map(([k, c]) => [k, c.kind]))).toEqual({ year: 'number', title: 'string', genres: 'multi' });
    expect(Array.from(t.columns.year.values as Float64Array)).toEqual([1995, NaN, 1990]);
    expect(t.columns.title.values).toEqual(['Heat, The', 'Babe', null]);
    expect(t.columns.genres.values).toEqual([['Action', 'Crime'], ['Comedy'], []]);
  });

  it('rejects wrong field counts and duplicate or empty ids', () => {
    expect(dataError(() => parseFeatureTable('id,a\nx,1\ny\n', { file: 'items.csv' })).message).toBe('items.csv line 3, field a: missing (expected 2 fields, found 1)');
    expect(dataError(() => parseFeatureTable('id,a\nx,1\nx,2\n')).message).toMatch(/line 3, field id: duplicate id "x"/);
    expect(dataError(() => parseFeatureTable('id,a\n,1\n')).message).toMatch(/line 2, field id: empty id/);
  });
});

describe('parseCsvDataset', () => {
  it('shares indexes between train, test and features; warns about unmatched rows', () => {
    const ds = parseCsvDataset({
      ratings: 'user,item,rating\nu1,i1,4\nu2,i2,3\n',
      testRatings: 'user,item,rating\nu1,i2,5\nu3,i1,1\n',
      userFeatures: 'user,age\nu1,30\nu2,40\nu9,50\n',
      itemFeatures: 'item,genres\ni1,A|B\n',
    });
    const { train, test } = ds.folds!.given;
    expect([train.length, test.length, ds.ratings.length]).toEqual([2, 2, 4]);
    expect(ds.userIndex.ids[test.users[1]]).toBe('u3');
    expect(ds.userIndex.has('u9')).toBe(false);
    expect(ds.report.warnings).toEqual([
      'users.csv: 1 users have features but no ratings (u9)',
      'users.csv: 1 rated users have no feature row (u3)',
      'items.csv: 1 rated items have no feature row (i2)',
    ]);
  });
});
