// Any CSV/TSV of ratings plus optional user/item feature tables, with columns found by name.

import { checkDelimiter, detectDelimiter, forEachRow } from './csv.js';
import { checkColumnExists, firstRow, resolveColumn, type ColumnRef } from './csv-header.js';
import type { Dataset, Split } from './dataset.js';
import { DATE_FORMATS, parseDate } from './dates.js';
import { DataError, type OnError } from './errors.js';
import { parseFeatureTable } from './feature-table.js';
import { concatInteractions, type Interactions } from './interactions.js';
import { assembleDataset, newLoadContext, requireRatings, type LoadContext } from './load-context.js';
import { ANY_RATING, RatingsReader, type DuplicatePolicy, type RatingScale } from './ratings.js';
import { checkFields, decode, isNumeric, quote, type FileContent } from './text.js';

export type { ColumnRef } from './csv-header.js';
export { parseFeatureTable, type FeatureTableOptions } from './feature-table.js';

export interface RatingsCsvOptions {
  /** Default: detected from the first non-blank line (tab, comma, semicolon, pipe; else runs of spaces). */
  readonly delimiter?: string;
  /** Default: a first line whose rating field is not a number is a header. */
  readonly header?: boolean;
  /** Default: by header name (user/userId/..., item/itemId/movieId/..., rating/score, timestamp/time), else positions 0..3. */
  readonly columns?: { readonly user?: ColumnRef; readonly item?: ColumnRef; readonly rating?: ColumnRef; readonly time?: ColumnRef };
  /** Allowed ratings; default any number finite as a 32-bit float. */
  readonly scale?: RatingScale;
  readonly onError?: OnError;
  /** A repeated (user, item) pair: 'last' (default) keeps the later rating and warns; 'error' fails. */
  readonly duplicates?: DuplicatePolicy;
  /** The name used in messages and the report. Default 'ratings.csv'. */
  readonly file?: string;
}

const GUESS: Record<'user' | 'item' | 'rating' | 'time', RegExp> = {
  user: /^(user|user_?id|uid|customer_?id)$/i,
  item: /^(item|item_?id|iid|movie_?id|product_?id)$/i,
  rating: /^(rating|score|stars|value)$/i,
  time: /^(time|timestamp|ts|date|datetime)$/i,
};

/** The columns of a ratings file, resolved and checked against its width. */
function ratingColumns(first: string[], names: string[] | null, c: NonNullable<RatingsCsvOptions['columns']>, file: string) {
  const user = resolveColumn(c.user, names, GUESS.user, 0, file, 'user')!;
  const item = resolveColumn(c.item, names, GUESS.item, 1, file, 'item')!;
  const rating = resolveColumn(c.rating, names, GUESS.rating, 2, file, 'rating')!;
  const time = resolveColumn(c.time, names, GUESS.time, names ? undefined : first.length > 3 ? 3 : undefined, file, 'time');
  const width = first.length;
  const found: [string, number | undefined][] = [['user', user], ['item', item], ['rating', rating], ['time', time]];
  for (const [what, at] of found) if (at !== undefined) checkColumnExists(at, width, file, what);
  for (const [what, at] of found) {
    const other = found.find(([w, a]) => w !== what && a === at);
    if (at !== undefined && other) throw new DataError(file, 1, 'header', `the ${what} and the ${other[0]} are the same column (${at + 1})`);
  }
  return { user, item, rating, time, width };
}

/** A time field as the reader takes it: numbers as they are, dates as epoch seconds; null when not a date. */
function timeField(raw: string): string | null {
  if (raw.trim() === '' || isNumeric(raw)) return raw;
  const seconds = parseDate(raw);
  return Number.isNaN(seconds) ? null : String(seconds);
}

/**
 * Reads one ratings file into `ctx`'s shared indexes; the building block of parseRatingsCsv
 * and parseCsvDataset.
 */
export function readRatingsCsv(content: FileContent, opts: RatingsCsvOptions, ctx: LoadContext): Interactions {
  const file = opts.file ?? 'ratings.csv';
  const { text, invalid } = decode(content, 'utf-8');
  const delimiter = opts.delimiter ?? detectDelimiter(text);
  checkDelimiter(delimiter, file);
  const first = firstRow(text, delimiter);
  const c = opts.columns ?? {};
  const ratingPos = typeof c.rating === 'number' ? c.rating : 2;
  const header = opts.header ?? (typeof c.rating === 'string' || first.some((n) => GUESS.rating.test(n)) || !isNumeric(first[ratingPos] ?? ''));
  const names = header ? first : null;
  const { user, item, rating, time, width } = ratingColumns(first, names, c, file);
  const fieldNames = Array.from({ length: width }, (_, k) => names?.[k] || String(k + 1));
  const timeName = time === undefined ? 'time' : fieldNames[time];
  const reader = new RatingsReader(file, ctx.userIndex, ctx.itemIndex, ctx.report, opts.scale ?? ANY_RATING, {
    user: fieldNames[user],
    item: fieldNames[item],
    rating: fieldNames[rating],
    time: timeName,
  }, opts.duplicates ?? 'last');
  let skipHeader = header;
  ctx.report.files.push(file);
  forEachRow(text, delimiter, (fields, lineNo, problem) => {
    ctx.report.lines++;
    if (skipHeader) {
      skipHeader = false;
      return;
    }
    if (!checkFields(fields, fieldNames, file, lineNo, ctx.report, invalid, problem)) return;
    const t = time === undefined ? undefined : timeField(fields[time]);
    if (t === null) {
      ctx.report.fail(new DataError(file, lineNo, timeName, `${quote(fields[time!].trim())} is not a date (expected ${DATE_FORMATS})`));
      return;
    }
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
  const ctx = newLoadContext(opts.onError);
  const n = opts.names ?? {};
  const ratingsFile = n.ratings ?? opts.file ?? 'ratings.csv';
  const train = readRatingsCsv(files.ratings, { ...opts, file: ratingsFile }, ctx);
  let ratings = train;
  let folds: Record<string, Split> | undefined;
  if (files.testRatings !== undefined) {
    const testFile = n.testRatings ?? 'test.csv';
    const test = readRatingsCsv(files.testRatings, { ...opts, file: testFile }, ctx);
    requireRatings(test, testFile);
    folds = { given: { name: 'given', train, test } };
    ratings = concatInteractions(train, test);
  }
  const table = (content: FileContent | undefined, file: string, id: ColumnRef | undefined) =>
    content === undefined ? undefined : { table: parseFeatureTable(content, { id, file }, ctx.report), file };
  const users = table(files.userFeatures, n.userFeatures ?? 'users.csv', opts.userId);
  const items = table(files.itemFeatures, n.itemFeatures ?? 'items.csv', opts.itemId);
  return assembleDataset(ctx, { format: 'csv', name: 'CSV data', source: opts.source, ratings, ratingsFile, users, items, folds });
}
