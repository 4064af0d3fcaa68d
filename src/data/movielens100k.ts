// MovieLens 100K: u.data, u.user, u.item, u.genre, u.occupation and the u1..u5/ua/ub folds.

import type { Dataset, EntityTable, Split } from './dataset.js';
import { DataError, type OnError } from './errors.js';
import { TableBuilder } from './features.js';
import { assembleDataset, newLoadContext, type LoadContext } from './load-context.js';
import { ML100K_GENRES, ML100K_OCCUPATIONS } from './movielens-vocab.js';
import { readRatingsText, WHOLE_STARS } from './ratings.js';
import type { ReportBuilder } from './report.js';
import { decode, forEachLine, parseId, parseNumber, quote, splitFields, type FileContent } from './text.js';

/** The predefined folds of MovieLens 100K, in the order the README lists them. */
export const ML100K_FOLDS: readonly string[] = ['u1', 'u2', 'u3', 'u4', 'u5', 'ua', 'ub'];

/** Options shared by the MovieLens parsers. */
export interface ParseOptions {
  /** 'throw' (default) stops at the first bad line; 'skip' drops it and counts it in the report. */
  readonly onError?: OnError;
  /** Appended to the data set's description, e.g. "from ../shared/data/ml-100k". */
  readonly source?: string;
}

const USER_FIELDS = ['user', 'age', 'gender', 'occupation', 'zip'];
const ITEM_FIXED_FIELDS = ['item', 'title', 'release date', 'video release date', 'IMDb URL'];

/**
 * Parses the contents of a MovieLens 100K folder. Only `u.data` is required; the other files
 * add features and folds. All rating files share one user and one item index, so fold
 * indices agree with `ratings`; ids seen only in u.user/u.item are not indexed.
 *
 * @example
 * const ds = parseMovieLens100k({ 'u.data': text, 'u.item': itemBytes });
 * ds.ratings.length; // 100000 for the full data set
 */
export function parseMovieLens100k(files: Record<string, FileContent>, opts: ParseOptions = {}): Dataset {
  const ctx = newLoadContext(opts.onError);
  const { report } = ctx;
  if (files['u.data'] === undefined) throw new DataError('u.data', 0, '', 'missing: MovieLens 100K needs u.data');
  const ratings = readRatingsText('u.data', files['u.data'], '\t', WHOLE_STARS, ctx);

  const folds: Record<string, Split> = {};
  for (const name of ML100K_FOLDS) {
    const base = files[`${name}.base`];
    const test = files[`${name}.test`];
    if (base === undefined && test === undefined) continue;
    if (base === undefined || test === undefined) {
      report.warn(`fold ${name} ignored: ${base === undefined ? `${name}.base` : `${name}.test`} is missing`);
      continue;
    }
    const train = readRatingsText(`${name}.base`, base, '\t', WHOLE_STARS, ctx);
    const fold = { name, train, test: readRatingsText(`${name}.test`, test, '\t', WHOLE_STARS, ctx) };
    // A fold with nothing to train or test on cannot be used; the data set still can.
    if (train.length === 0 || fold.test.length === 0) report.warn(`fold ${name} ignored: ${train.length === 0 ? `${name}.base` : `${name}.test`} has no ratings`);
    else folds[name] = fold;
  }

  const genres = files['u.genre'] !== undefined ? readGenres(files['u.genre'], report) : ML100K_GENRES;
  const occupations = files['u.occupation'] !== undefined ? readOccupations(files['u.occupation'], report) : undefined;
  const users = files['u.user'] !== undefined ? readUsers(files['u.user'], occupations ?? ML100K_OCCUPATIONS, ctx) : undefined;
  const items = files['u.item'] !== undefined ? readItems(files['u.item'], genres, ctx) : undefined;
  return assembleDataset(ctx, {
    format: 'ml-100k',
    name: 'MovieLens 100K',
    source: opts.source,
    ratings,
    ratingsFile: 'u.data',
    users: users && { table: users, file: 'u.user' },
    items: items && { table: items, file: 'u.item' },
    folds,
  });
}

/** u.genre: `name|index`, indices 0..n-1 giving the order of u.item's genre flags. */
function readGenres(content: FileContent, report: ReportBuilder): string[] {
  const { text, invalid } = decode(content, 'utf-8');
  const byIndex: string[] = [];
  report.files.push('u.genre');
  forEachLine(text, (line, lineNo) => {
    report.lines++;
    const f = splitFields(line, '|', ['genre', 'index'], 'u.genre', lineNo, report, invalid);
    if (!f) return;
    const ix = parseNumber(f[1], 'u.genre', lineNo, 'index', report);
    if (Number.isNaN(ix)) return;
    if (!Number.isInteger(ix) || ix < 0 || byIndex[ix] !== undefined) {
      report.fail(new DataError('u.genre', lineNo, 'index', `${quote(f[1])} is not a new non-negative integer`));
      return;
    }
    byIndex[ix] = f[0];
  });
  // A gap would shift every later genre flag onto the wrong name.
  for (let g = 0; g < byIndex.length; g++) {
    if (byIndex[g] === undefined) throw new DataError('u.genre', 0, 'index', `genre index ${g} is missing`);
  }
  return byIndex;
}

function readOccupations(content: FileContent, report: ReportBuilder): string[] {
  const { text, invalid } = decode(content, 'utf-8');
  const names: string[] = [];
  report.files.push('u.occupation');
  forEachLine(text, (line, lineNo) => {
    report.lines++;
    const f = splitFields(line, '\t', ['occupation'], 'u.occupation', lineNo, report, invalid);
    if (f) names.push(f[0].trim());
  });
  return names;
}

function readUsers(content: FileContent, occupations: readonly string[], ctx: LoadContext): EntityTable {
  const { report } = ctx;
  const { text, invalid } = decode(content, 'utf-8');
  const table = new TableBuilder('u.user', 'user', { age: 'number', gender: 'string', occupation: 'string', zip: 'string' }, report);
  const known = new Set(occupations);
  const unknown = new Set<string>();
  report.files.push('u.user');
  forEachLine(text, (line, lineNo) => {
    report.lines++;
    const f = splitFields(line, '|', USER_FIELDS, 'u.user', lineNo, report, invalid);
    if (!f) return;
    const id = parseId(f[0], 'u.user', lineNo, 'user', report);
    if (id === null) return;
    const age = parseNumber(f[1], 'u.user', lineNo, 'age', report);
    if (Number.isNaN(age)) return;
    if (!known.has(f[3])) unknown.add(f[3]);
    table.add(lineNo, id, [age, f[2] || null, f[3] || null, f[4] || null]);
  });
  if (unknown.size > 0) report.warn(`u.user: occupations not in u.occupation: ${[...unknown].join(', ')}`);
  return table.build({ occupation: occupations });
}

function readItems(content: FileContent, genres: readonly string[], ctx: LoadContext): EntityTable {
  const { report } = ctx;
  // GroupLens wrote u.item in Latin-1 (accented titles); UTF-8 decoding would mangle them.
  const { text } = decode(content, 'latin1');
  const names = [...ITEM_FIXED_FIELDS, ...genres.map((g) => `genre ${g}`)];
  const table = new TableBuilder('u.item', 'item', { title: 'string', release_date: 'string', year: 'number', genres: 'multi' }, report);
  report.files.push('u.item');
  forEachLine(text, (line, lineNo) => {
    report.lines++;
    const f = splitFields(line, '|', names, 'u.item', lineNo, report);
    if (!f) return;
    const id = parseId(f[0], 'u.item', lineNo, 'item', report);
    if (id === null) return;
    const date = f[2].trim();
    const m = /(?:^|-)(\d{4})$/.exec(date);
    if (date !== '' && !m) {
      report.fail(new DataError('u.item', lineNo, 'release date', `${quote(date)} is not a date like 01-Jan-1995`));
      return;
    }
    const itemGenres: string[] = [];
    for (let g = 0; g < genres.length; g++) {
      const flag = f[ITEM_FIXED_FIELDS.length + g];
      if (flag !== '0' && flag !== '1') {
        report.fail(new DataError('u.item', lineNo, names[ITEM_FIXED_FIELDS.length + g], `${quote(flag)} is not 0 or 1`));
        return;
      }
      if (flag === '1') itemGenres.push(genres[g]);
    }
    table.add(lineNo, id, [f[1] || null, date || null, m ? Number(m[1]) : NaN, itemGenres]);
  });
  return table.build({ genres });
}
