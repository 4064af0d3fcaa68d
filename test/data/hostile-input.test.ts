// Hostile input to the loaders (issue 11): every problem is a DataError naming file, line and
// field; numbers are checked in linear time and stored finite; ids and dates are strict.
import { describe, expect, it } from 'vitest';
import { parseCsvDataset, parseFeatureTable, parseRatingsCsv } from '../../src/data/generic-csv.js';
import { parseMovieLens100k } from '../../src/data/movielens100k.js';
import { parseMovieLens1m } from '../../src/data/movielens1m.js';
import { parseMovieLensLatest } from '../../src/data/movielens-latest.js';
import { dataError } from './errors.js';

/** Milliseconds of the fastest of `runs` calls: the minimum filters out a loaded machine's pauses. */
function fastest(fn: () => unknown, runs = 3): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    try {
      fn();
    } catch {
      // Only the time matters here.
    }
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

const MB = 1 << 20;

describe('number fields are checked in linear time', () => {
  // The old check backtracked over every split of the digits: 20k digits took 1 s, 1 MB an hour.
  // A linear parser reads a 1 MB field about as fast as 1 MB of ordinary rows; the bound
  // (100× that, at least 0.5 s) is far from both, so a busy machine cannot make it flaky.
  const rows = (n: number) => 'user,item,rating\n' + Array.from({ length: n }, (_, k) => `u${k % 97},i${k},${1 + (k % 5)}`).join('\n') + '\n';
  const ordinary = rows(Math.ceil(MB / 12));
  const cases: [string, string][] = [
    ['digits then a letter', `user,item,rating\nu1,i1,${'1'.repeat(MB)}x\n`],
    ['digits then a dot and a letter', `user,item,rating\nu1,i1,${'1'.repeat(MB / 2)}.${'1'.repeat(MB / 2)}x\n`],
    ['digits with a long exponent', `user,item,rating\nu1,i1,1e${'1'.repeat(MB)}x\n`],
    ['spaces around digits', `user,item,rating\nu1,i1, ${' '.repeat(MB / 2)}1${' '.repeat(MB / 2)}x\n`],
  ];
  const base = fastest(() => parseRatingsCsv(ordinary));
  for (const [name, text] of cases) {
    it(`a 1 MB rating field of ${name} fails fast with a DataError`, () => {
      expect(dataError(() => parseRatingsCsv(text)).field).toBe('rating');
      expect(fastest(() => parseRatingsCsv(text))).toBeLessThan(100 * Math.max(base, 5));
    });
  }

  it('a 1 MB feature value parses in linear time too', () => {
    const text = `id,a\nx,${'1'.repeat(MB)}x\ny,2\n`;
    expect(parseFeatureTable(text).columns.a.kind).toBe('string');
    expect(fastest(() => parseFeatureTable(text))).toBeLessThan(100 * Math.max(base, 5));
  });

  it('quotes a long value in the message by its start only', () => {
    const e = dataError(() => parseRatingsCsv(`user,item,rating\nu1,i1,${'7'.repeat(100000)}x\n`));
    expect(e.message.length).toBeLessThan(200);
    expect(e.message).toMatch(/line 2, field rating: "7777.*…" \(100001 characters\) is not a number/);
  });
});

describe('malformed rows and headers give DataErrors, never TypeErrors', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['a one-column file', () => parseRatingsCsv('a\nb\n'), /^ratings\.csv line 1, field header: the file has 1 column; the item column \(2\) is beyond it/],
    ['a column position beyond short rows', () => parseRatingsCsv('a,b,c\n1,2,3\n', { columns: { user: 5 } }), /^ratings\.csv line 1, field header: the file has 3 columns; the user column \(6\) is beyond it/],
    ['a negative column position', () => parseRatingsCsv('a,b,c\n1,2,3\n', { columns: { rating: -1 } }), /field header: column -1 for the rating is not a column position/],
    ['two columns read by position', () => parseRatingsCsv('1,2\n3,4\n'), /^ratings\.csv line 1, field header: the file has 2 columns; the rating column \(3\) is beyond it/],
    ['a duplicate feature column', () => parseFeatureTable('id,a,a\n1,2,3\n'), /^features\.csv line 1, field a: duplicate column name/],
    ['a feature column named __proto__', () => parseFeatureTable('id,__proto__\n1,2\n'), /^features\.csv line 1, field __proto__: reserved column name/],
    ['an unnamed feature column', () => parseFeatureTable('id,,b\n1,2,3\n'), /^features\.csv line 1, field 2: empty column name/],
    ['an id column beyond the header', () => parseFeatureTable('id,a\n1,2\n', { id: 4 }), /field header: the file has 2 columns; the id column \(5\) is beyond it/],
    ['an unterminated quote', () => parseRatingsCsv('user,item,rating\nu1,"i1,4\nu2,i2,3\n'), /^ratings\.csv line 2, field item: unterminated quote/],
    ['text after a closing quote', () => parseRatingsCsv('user,item,rating\nu1,"i1"x,4\n'), /^ratings\.csv line 2, field item: text after a closing quote/],
    ['no ratings at all', () => parseRatingsCsv('user,item,rating\n'), /^ratings\.csv: no ratings/],
    ['an empty u.data', () => parseMovieLens100k({ 'u.data': '\n\n' }), /^u\.data: no ratings/],
  ];
  for (const [name, fn, message] of cases) {
    it(name, () => expect(dataError(fn).message).toMatch(message));
  }

  it('skips an unterminated quote with onError skip', () => {
    const ds = parseRatingsCsv('user,item,rating\nu0,i0,5\nu1,"i1,4\nu2,i2,3\n', { onError: 'skip' });
    expect([ds.ratings.length, ds.report.skipped]).toEqual([1, 1]);
  });
});

describe('delimiters are detected on the first non-blank line', () => {
  it('after a leading empty line', () => {
    const ds = parseRatingsCsv('\nu1\ti1\t4\n');
    expect([ds.userIndex.ids, ds.itemIndex.ids, Array.from(ds.ratings.ratings)]).toEqual([['u1'], ['i1'], [4]]);
  });

  it('after a leading line of white space', () => {
    const t = parseFeatureTable('\t\nitem,year\ni1,1995\n');
    expect(t.ids).toEqual(['i1']);
    expect(Array.from(t.columns.year.values as Float64Array)).toEqual([1995]);
  });

  it('after a byte order mark and blank lines', () => {
    const ds = parseRatingsCsv('\uFEFF\r\n \r\nuser;item;rating\r\nu1;i1;4\r\n');
    expect(ds.ratings.length).toBe(1);
  });
});

describe('every number stored is finite as a 32-bit float', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['a rating of 1e39', () => parseRatingsCsv('u,i,r\n1,1,1e39\n'), /line 2, field r: "1e39" is out of range \(beyond ±3\.4e38\)/],
    ['a rating of -1e39', () => parseRatingsCsv('u,i,r\n1,1,-1e39\n'), /field r: "-1e39" is out of range/],
    ['a timestamp of 1e309', () => parseRatingsCsv('u,i,r,time\n1,1,1,1e309\n'), /field time: "1e309" is out of range/],
    ['a feature of 1e309', () => parseFeatureTable('id,a\n1,1e309\n2,3\n'), /^features\.csv line 2, field a: "1e309" is out of range/],
    ['a feature of 1e39', () => parseFeatureTable('id,a\n1,1e39\n'), /line 2, field a: "1e39" is out of range/],
    ['an age of 1e39 in u.user', () => parseMovieLens100k({ 'u.data': '1\t1\t3\t5\n', 'u.user': '1|1e39|M|x|1\n' }), /^u\.user line 1, field age: "1e39" is out of range/],
  ];
  for (const [name, fn, message] of cases) {
    it(`rejects ${name}`, () => expect(dataError(fn).message).toMatch(message));
  }

  it('keeps 3.4e38 and tiny numbers', () => {
    const ds = parseRatingsCsv('u,i,r\n1,1,3.4e38\n1,2,1e-50\n');
    expect(Array.from(ds.ratings.ratings).every(Number.isFinite)).toBe(true);
  });
});

describe('dates are read in well-defined formats only', () => {
  const stamps = (times: string[]) => {
    const text = 'user,item,rating,time\n' + times.map((t, k) => `u1,i${k},4,${t}`).join('\n') + '\n';
    return Array.from(parseRatingsCsv(text).ratings.timestamps!);
  };

  it('reads Unix seconds, ISO 8601 dates and times (UTC unless a zone is given) and 01-Jan-1995', () => {
    expect(stamps(['881250949', '2020-01-01', '2020-01-01T00:00:00Z', '2020-01-01T01:30:00+01:30', '2020-01-01 12:00', '2020-01-01T00:00:00.500Z', '01-Jan-1995', '7-mar-2001'])).toEqual([
      881250949, 1577836800, 1577836800, 1577836800, 1577880000, 1577836800.5, 788918400, 983923200,
    ]);
  });

  const bad = ['x 1', 'March 7', '2020-13-01', '2020-02-30', '2021-02-29', '2020-01-01T24:00', '2020-01-01T10:61', '32-Jan-1995', '01-Foo-1995', 'yesterday', '2020-01-01Z', '1/2/2020'];
  for (const date of bad) {
    it(`rejects ${JSON.stringify(date)} naming the field`, () => {
      expect(dataError(() => stamps([date])).message).toBe(`ratings.csv line 2, field time: ${JSON.stringify(date)} is not a date (expected Unix seconds, ISO 8601 like 2020-01-31T12:00:00Z, or 31-Jan-2020)`);
    });
  }

  it('accepts 29 February in leap years', () => {
    expect(stamps(['2020-02-29', '2000-02-29'])).toEqual([1582934400, 951782400]);
  });
});

describe('ids hold no control characters', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['a CR inside a quoted user id', () => parseRatingsCsv('u,i,r\n"2\r2",1,1\n'), /^ratings\.csv line 2, field u: "2\\r2" contains a control character \(U\+000D\)/],
    ['a NUL in an item id', () => parseRatingsCsv('u,i,r\n1,a\u0000b,1\n'), /field i: "a\\u0000b" contains a control character \(U\+0000\)/],
    ['a tab in a comma-separated id', () => parseRatingsCsv('u,i,r\n1,a\tb,1\n', { delimiter: ',' }), /field i: .* control character \(U\+0009\)/],
    ['a DEL in a MovieLens id', () => parseMovieLens100k({ 'u.data': '1\u007f\t1\t3\t5\n' }), /^u\.data line 1, field user: .* control character \(U\+007F\)/],
    ['a lone surrogate in a feature id', () => parseFeatureTable('id,a\nx\uD800,1\n'), /^features\.csv line 2, field id: .* is not well-formed Unicode/],
    ['a control character in a ratings.dat id', () => parseMovieLens1m({ 'ratings.dat': '1::2\u0001::3::4\n' }), /^ratings\.dat line 1, field item: .* control character \(U\+0001\)/],
    ['a control character in a movies.csv id', () => parseMovieLensLatest({ 'ratings.csv': 'userId,movieId,rating,timestamp\n1,1,4,5\n', 'movies.csv': 'movieId,title,genres\n"1\r1",x,y\n' }), /^movies\.csv line 2, field item: .* control character/],
  ];
  for (const [name, fn, message] of cases) {
    it(`rejects ${name}`, () => expect(dataError(fn).message).toMatch(message));
  }

  it('keeps ids with spaces, accents and emoji', () => {
    const ds = parseCsvDataset({ ratings: 'u,i,r\nJosé Ñ,🎬 x,1\n' });
    expect(ds.userIndex.ids).toEqual(['José Ñ']);
    expect(ds.itemIndex.ids).toEqual(['🎬 x']);
  });
});

describe('feature tables keep each value under its own column', () => {
  it('when a column name looks like an integer (object keys put those first)', () => {
    const t = parseFeatureTable('id,year,2020,genre\nx,1995,a,A|B\ny,2001,b,C\n');
    expect(Array.from(t.columns.year.values as Float64Array)).toEqual([1995, 2001]);
    expect(t.columns['2020'].values).toEqual(['a', 'b']);
    expect(t.columns.genre.values).toEqual([['A', 'B'], ['C']]);
  });

  it('with an unnamed id column, as pandas writes its index', () => {
    const t = parseFeatureTable(',age\nu1,30\n');
    expect([t.ids, Array.from(t.columns.age.values as Float64Array)]).toEqual([['u1'], [30]]);
  });
});
