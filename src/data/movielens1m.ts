// MovieLens 1M: ratings.dat, users.dat, movies.dat, fields separated by '::'.

import type { Dataset } from './dataset.js';
import { DataError } from './errors.js';
import { TableBuilder } from './features.js';
import { assembleDataset, newLoadContext, type LoadContext } from './load-context.js';
import { ML1M_AGE_CODES, ML1M_GENRES, ML1M_OCCUPATIONS } from './movielens-vocab.js';
import type { ParseOptions } from './movielens100k.js';
import { readRatingsText, WHOLE_STARS } from './ratings.js';
import { decode, forEachLine, parseId, parseNumber, quote, splitFields, type FileContent } from './text.js';

const SEP = '::';

/** The release year MovieLens appends to titles, "Heat (1995)"; NaN when absent. */
export function yearFromTitle(title: string): number {
  const m = /\((\d{4})(?:[–-]\d{0,4})?\)\s*$/.exec(title);
  return m ? Number(m[1]) : NaN;
}

/**
 * Parses MovieLens 1M. `ratings.dat` is required; `users.dat` (age and occupation codes are
 * checked against the README's lists, occupation decoded to its name) and `movies.dat`
 * (Latin-1; year taken from the title) add features.
 *
 * @example
 * const ds = parseMovieLens1m({ 'ratings.dat': text });
 */
export function parseMovieLens1m(files: Record<string, FileContent>, opts: ParseOptions = {}): Dataset {
  const ctx = newLoadContext(opts.onError);
  if (files['ratings.dat'] === undefined) throw new DataError('ratings.dat', 0, '', 'missing: MovieLens 1M needs ratings.dat');
  const ratings = readRatingsText('ratings.dat', files['ratings.dat'], SEP, WHOLE_STARS, ctx);
  const users = files['users.dat'] !== undefined ? readUsers(files['users.dat'], ctx) : undefined;
  const items = files['movies.dat'] !== undefined ? readMovies(files['movies.dat'], 'movies.dat', SEP, 'latin1', ML1M_GENRES, ctx) : undefined;
  return assembleDataset(ctx, {
    format: 'ml-1m',
    name: 'MovieLens 1M',
    source: opts.source,
    ratings,
    ratingsFile: 'ratings.dat',
    users: users && { table: users, file: 'users.dat' },
    items: items && { table: items, file: 'movies.dat' },
  });
}

function readUsers(content: FileContent, ctx: LoadContext) {
  const { report } = ctx;
  const file = 'users.dat';
  const { text, invalid } = decode(content, 'utf-8');
  const table = new TableBuilder(file, 'user', { gender: 'string', age: 'number', occupation: 'string', zip: 'string' }, report);
  report.files.push(file);
  forEachLine(text, (line, lineNo) => {
    report.lines++;
    const f = splitFields(line, SEP, ['user', 'gender', 'age', 'occupation', 'zip'], file, lineNo, report, invalid);
    if (!f) return;
    const id = parseId(f[0], file, lineNo, 'user', report);
    if (id === null) return;
    const age = parseNumber(f[2], file, lineNo, 'age', report);
    if (Number.isNaN(age)) return;
    if (!ML1M_AGE_CODES.includes(age)) {
      report.fail(new DataError(file, lineNo, 'age', `${quote(f[2])} is not an age code (${ML1M_AGE_CODES.join(', ')})`));
      return;
    }
    const occ = parseNumber(f[3], file, lineNo, 'occupation', report);
    if (Number.isNaN(occ)) return;
    if (!Number.isInteger(occ) || occ < 0 || occ >= ML1M_OCCUPATIONS.length) {
      report.fail(new DataError(file, lineNo, 'occupation', `${quote(f[3])} is not an occupation code (0..${ML1M_OCCUPATIONS.length - 1})`));
      return;
    }
    table.add(lineNo, id, [f[1] || null, age, ML1M_OCCUPATIONS[occ], f[4] || null]);
  });
  return table.build({ occupation: ML1M_OCCUPATIONS });
}

/**
 * movies.dat / movies.csv rows already split into id, title, genres. Shared by 1M and latest;
 * `split` turns a line into fields (latest needs a CSV parser for quoted titles).
 */
export function readMovies(
  content: FileContent,
  file: string,
  sep: string,
  encoding: 'utf-8' | 'latin1',
  genreVocab: readonly string[],
  ctx: LoadContext,
  rows?: (text: string, invalid: boolean, fn: (fields: string[], lineNo: number) => void) => void,
) {
  const { report } = ctx;
  const { text, invalid } = decode(content, encoding);
  const table = new TableBuilder(file, 'item', { title: 'string', year: 'number', genres: 'multi' }, report);
  report.files.push(file);
  const names = ['item', 'title', 'genres'];
  const each =
    rows ??
    ((t: string, inv: boolean, fn: (fields: string[], lineNo: number) => void) =>
      forEachLine(t, (line, lineNo) => {
        report.lines++;
        const f = splitFields(line, sep, names, file, lineNo, report, inv);
        if (f) fn(f, lineNo);
      }));
  const seenGenres = new Set(genreVocab);
  const extra = new Set<string>();
  each(text, invalid, (f, lineNo) => {
    const id = parseId(f[0], file, lineNo, 'item', report);
    if (id === null) return;
    const genres = f[2] === '(no genres listed)' || f[2] === '' ? [] : f[2].split('|');
    for (const g of genres) if (!seenGenres.has(g)) extra.add(g);
    table.add(lineNo, id, [f[1] || null, yearFromTitle(f[1]), genres]);
  });
  // New genres are data, not errors (ml-latest added IMAX); list them so typos get noticed.
  if (extra.size > 0) report.warn(`${file}: genres beyond the documented list: ${[...extra].join(', ')}`);
  return table.build({ genres: [...genreVocab, ...extra] });
}
