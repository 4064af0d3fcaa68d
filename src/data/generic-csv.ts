// Any CSV/TSV of ratings plus optional user/item feature tables, with columns found by name.

import { detectDelimiter, forEachRow } from './csv.js';
import type { Dataset, EntityTable, Split } from './dataset.js';
import { DataError, type OnError } from './errors.js';
import { crossCheck, TableBuilder, type Cell, type ColumnKind } from './features.js';
import { IdIndex, interactions, type Interactions } from './interactions.js';
import { ANY_RATING, RatingsReader, type LoadContext, type RatingScale } from './ratings.js';
import { ReportBuilder } from './report.js';
import { checkFields, decode, type FileContent } from './text.js';

/** A column by header name or by 0-based position. */
export type ColumnRef = string | number;

export interface RatingsCsvOptions {
  /** Default: detected from the first line (tab, comma, semicolon, pipe). */
  readonly delimiter?: string;
  /** Default: a first line whose rating field is not a number is a header. */
  readonly header?: boolean;
  /** Default: by header name (user/userId/..., item/itemId/movieId/..., rating/score, timestamp/time), else positions 0..3. */
  readonly columns?: { readonly user?: ColumnRef; readonly item?: ColumnRef; readonly rating?: ColumnRef; readonly time?: ColumnRef };
  /** Allowed ratings; default any finite number. */
  readonly scale?: RatingScale;
  readonly onError?: OnError;
  /** The name used in messages and the report. Default 'ratings.csv'. */
  readonly file?: string;
}

const GUESS: Record<'user' | 'item' | 'rating' | 'time', RegExp> = {
  user: /^(user|user_?id|uid|customer_?id)$/i,
  item: /^(item|item_?id|iid|movie_?id|product_?id)$/i,
  rating: /^(rating|score|stars|value)$/i,
  time: /^(time|timestamp|ts|date|datetime)$/i,
};
const NUMERIC = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

function firstRow(text: string, delimiter: string): string[] {
  let row: string[] = [];
  const start = text.search(/\S/);
  const end = text.indexOf('\n', Math.max(0, start));
  forEachRow(text.slice(0, end < 0 ? text.length : end + 1), delimiter, (f) => (row = row.length ? row : f));
  return row.map((f) => f.trim().replace(/^\uFEFF/, ''));
}

function resolve(ref: ColumnRef | undefined, names: string[] | null, guess: RegExp, fallback: number | undefined, file: string, what: string): number | undefined {
  if (typeof ref === 'number') return ref;
  if (ref !== undefined) {
    const at = names ? names.indexOf(ref) : -1;
    if (at < 0) throw new DataError(file, 1, 'header', `no column named ${JSON.stringify(ref)} for the ${what}${names ? ` (columns: ${names.join(', ')})` : ' (the file has no header)'}`);
    return at;
  }
  if (names) {
    const at = names.findIndex((n) => guess.test(n));
    if (at >= 0) return at;
  }
  return fallback;
}

/**
 * Reads one ratings file into `ctx`'s shared indexes; the building block of parseRatingsCsv
 * and parseCsvDataset.
 */
export function readRatingsCsv(content: FileContent, opts: RatingsCsvOptions, ctx: LoadContext): Interactions {
  const file = opts.file ?? 'ratings.csv';
  const { text, invalid } = decode(content, 'utf-8');
  const delimiter = opts.delimiter ?? detectDelimiter(text);
  const first = firstRow(text, delimiter);
  const c = opts.columns ?? {};
  const ratingPos = typeof c.rating === 'number' ? c.rating : 2;
  const header = opts.header ?? (typeof c.rating === 'string' || first.some((n) => GUESS.rating.test(n)) || !NUMERIC.test(first[ratingPos] ?? ''));
  const names = header ? first : null;
  const user = resolve(c.user, names, GUESS.user, 0, file, 'user')!;
  const item = resolve(c.item, names, GUESS.item, 1, file, 'item')!;
  const rating = resolve(c.rating, names, GUESS.rating, 2, file, 'rating')!;
  const time = resolve(c.time, names, GUESS.time, names ? undefined : first.length > 3 ? 3 : undefined, file, 'time');
  const width = names ? names.length : first.length;
  const fieldNames = Array.from({ length: width }, (_, k) => names?.[k] || String(k + 1));
  const reader = new RatingsReader(file, ctx.userIndex, ctx.itemIndex, ctx.report, opts.scale ?? ANY_RATING, {
    user: fieldNames[user],
    item: fieldNames[item],
    rating: fieldNames[rating],
    time: time === undefined ? 'time' : fieldNames[time],
  });
  let skipHeader = header;
  ctx.report.files.push(file);
  forEachRow(text, delimiter, (fields, lineNo) => {
    ctx.report.lines++;
    if (skipHeader) {
      skipHeader = false;
      return;
    }
    if (!checkFields(fields, fieldNames, file, lineNo, ctx.report, invalid)) return;
    let t = time === undefined ? undefined : fields[time];
    // ISO dates are common in exported CSVs; store them as epoch seconds like MovieLens.
    if (t !== undefined && !NUMERIC.test(t) && t.trim() !== '' && !Number.isNaN(Date.parse(t))) t = String(Date.parse(t) / 1000);
    reader.add(lineNo, fields[user], fields[item], fields[rating], t);
  });
  return reader.finish();
}

/**
 * Parses a ratings CSV/TSV into a Dataset (format 'csv') without side information.
 *
 * @example
 * const ds = parseRatingsCsv('user,item,rating\nu1,i1,4\nu2,i1,3\n');
 * ds.ratings.length; // 2
 */
export function parseRatingsCsv(content: FileContent, opts: RatingsCsvOptions = {}): Dataset {
  return parseCsvDataset({ ratings: content }, opts);
}

export interface FeatureTableOptions {
  /** The id column; default the first. */
  readonly id?: ColumnRef;
  readonly delimiter?: string;
  readonly onError?: OnError;
  readonly file?: string;
}

/**
 * Parses a feature table with a header row. Column types are inferred: a column whose values
 * contain '|' is multi-valued, one whose non-empty values are all numbers is numeric, any
 * other is a string column. Empty cells are missing (NaN, null, []).
 *
 * @example
 * const t = parseFeatureTable('item,year,genres\ni1,1995,Comedy|Drama\n');
 * t.columns.genres.values[0]; // ['Comedy', 'Drama']
 */
export function parseFeatureTable(content: FileContent, opts: FeatureTableOptions = {}, report = new ReportBuilder(opts.onError)): EntityTable {
  const file = opts.file ?? 'features.csv';
  const { text, invalid } = decode(content, 'utf-8');
  const delimiter = opts.delimiter ?? detectDelimiter(text);
  const rows: { fields: string[]; lineNo: number }[] = [];
  let names: string[] | null = null;
  report.files.push(file);
  forEachRow(text, delimiter, (fields, lineNo) => {
    report.lines++;
    if (!names) names = fields.map((f) => f.trim().replace(/^\uFEFF/, ''));
    else if (checkFields(fields, names, file, lineNo, report, invalid)) rows.push({ fields, lineNo });
  });
  const header: string[] = names ?? [];
  if (header.length === 0) throw new DataError(file, 0, '', 'empty file: a feature table needs a header row');
  const idCol = resolve(opts.id, header, /^$/, 0, file, 'id')!;
  const cols = header.map((_, k) => k).filter((k) => k !== idCol);
  const kinds: Record<string, ColumnKind> = {};
  for (const k of cols) {
    const values = rows.map((r) => r.fields[k].trim()).filter((v) => v !== '');
    kinds[header[k]] = values.some((v) => v.includes('|')) ? 'multi' : values.length > 0 && values.every((v) => NUMERIC.test(v)) ? 'number' : 'string';
  }
  const table = new TableBuilder(file, header[idCol], kinds, report);
  for (const { fields, lineNo } of rows) {
    const id = fields[idCol].trim();
    if (id === '') {
      report.fail(new DataError(file, lineNo, header[idCol], 'empty id'));
      continue;
    }
    const cells: Cell[] = cols.map((k) => {
      const v = fields[k].trim();
      const kind = kinds[header[k]];
      if (kind === 'number') return v === '' ? NaN : Number(v);
      if (kind === 'multi') return v.split('|').map((s) => s.trim()).filter((s) => s !== '');
      return v === '' ? null : v;
    });
    table.add(lineNo, id, cells);
  }
  return table.build();
}

/** Contents of the files of a CSV data set. */
export interface CsvFiles {
  readonly ratings: FileContent;
  /** A separate test set: the Dataset gets `folds.given = { train: ratings, test }`. */
  readonly testRatings?: FileContent;
  readonly userFeatures?: FileContent;
  readonly itemFeatures?: FileContent;
}

export interface CsvDatasetOptions extends RatingsCsvOptions {
  /** File names for messages; default ratings.csv, test.csv, users.csv, items.csv. */
  readonly names?: { readonly ratings?: string; readonly testRatings?: string; readonly userFeatures?: string; readonly itemFeatures?: string };
  readonly userId?: ColumnRef;
  readonly itemId?: ColumnRef;
  readonly source?: string;
}

/**
 * Parses ratings (and optionally a test file and feature tables) sharing one pair of indexes.
 *
 * @example
 * const ds = parseCsvDataset({ ratings: train, testRatings: test, itemFeatures: items });
 * ds.folds!.given.test.length;
 */
export function parseCsvDataset(files: CsvFiles, opts: CsvDatasetOptions = {}): Dataset {
  const report = new ReportBuilder(opts.onError);
  const ctx: LoadContext = { userIndex: new IdIndex(), itemIndex: new IdIndex(), report };
  const n = opts.names ?? {};
  const train = readRatingsCsv(files.ratings, { ...opts, file: n.ratings ?? opts.file ?? 'ratings.csv' }, ctx);
  let ratings = train;
  let folds: Record<string, Split> | undefined;
  if (files.testRatings !== undefined) {
    const test = readRatingsCsv(files.testRatings, { ...opts, file: n.testRatings ?? 'test.csv' }, ctx);
    folds = { given: { name: 'given', train, test } };
    ratings = concat(train, test);
  }
  const table = (content: FileContent | undefined, file: string, id: ColumnRef | undefined, index: IdIndex, what: 'user' | 'item') => {
    if (content === undefined) return undefined;
    const t = parseFeatureTable(content, { id, file }, report);
    crossCheck(t, index, what, file, report);
    return t;
  };
  const users = table(files.userFeatures, n.userFeatures ?? 'users.csv', opts.userId, ctx.userIndex, 'user');
  const items = table(files.itemFeatures, n.itemFeatures ?? 'items.csv', opts.itemId, ctx.itemIndex, 'item');
  return {
    format: 'csv',
    description: `CSV data${opts.source ? ` from ${opts.source}` : ''}`,
    userIndex: ctx.userIndex,
    itemIndex: ctx.itemIndex,
    ratings,
    users,
    items,
    folds,
    report: report.build(),
  };
}

function concat(a: Interactions, b: Interactions): Interactions {
  const join = <T extends Int32Array | Float32Array | Float64Array>(x: T, y: T): T => {
    const out = new (x.constructor as new (n: number) => T)(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  };
  const times = a.timestamps && b.timestamps ? join(a.timestamps, b.timestamps) : undefined;
  return interactions(join(a.users, b.users), join(a.items, b.items), join(a.ratings, b.ratings), times);
}
