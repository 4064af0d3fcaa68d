// Accumulates validated rating rows from one file into Interactions over shared IdIndexes.

import { DataError } from './errors.js';
import { interactions, type IdIndex, type Interactions } from './interactions.js';
import type { LoadContext } from './load-context.js';
import type { ReportBuilder } from './report.js';
import { decode, forEachLine, parseId, parseNumber, quote, splitFields, type FileContent } from './text.js';

/** Which rating values a source allows. `step` 1 = whole stars, 0.5 = half stars, 0 = any. */
export interface RatingScale {
  readonly min: number;
  readonly max: number;
  readonly step: number;
}

export const WHOLE_STARS: RatingScale = { min: 1, max: 5, step: 1 };
export const HALF_STARS: RatingScale = { min: 0.5, max: 5, step: 0.5 };
/** Generic CSV: any finite number. */
export const ANY_RATING: RatingScale = { min: -Infinity, max: Infinity, step: 0 };

/** Column names as they appear in error messages. */
export interface RatingFieldNames {
  readonly user: string;
  readonly item: string;
  readonly rating: string;
  readonly time: string;
}

export const DEFAULT_FIELD_NAMES: RatingFieldNames = { user: 'user', item: 'item', rating: 'rating', time: 'timestamp' };

/**
 * What a second rating of the same (user, item) pair means: an error (the default for the
 * MovieLens files, which have none), or the later one replaces the earlier (what a user who
 * re-rates a film means; FilmTrust's ratings.txt has three such pairs), with a warning.
 */
export type DuplicatePolicy = 'error' | 'last';

// Indices stay far below 2^21 in any MovieLens release, so u * 2^32 + i is an exact double key.
const PAIR_SHIFT = 4294967296;

/** Growable column of numbers, so a million rows do not become a million boxed array slots. */
class Column<T extends Int32Array | Float32Array | Float64Array> {
  length = 0;
  constructor(
    private data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(x: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(Math.max(1024, this.data.length * 2));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = x;
  }
  set(at: number, x: number): void {
    this.data[at] = x;
  }
  done(): T {
    return this.data.slice(0, this.length) as T;
  }
}

/**
 * Reads rating rows of one file. Everything on a row is validated before its ids enter the
 * shared indexes, so a skipped row never adds a user or item.
 */
export class RatingsReader {
  private readonly users = new Column(new Int32Array(0), (n) => new Int32Array(n));
  private readonly items = new Column(new Int32Array(0), (n) => new Int32Array(n));
  private readonly ratings = new Column(new Float32Array(0), (n) => new Float32Array(n));
  private readonly times = new Column(new Float64Array(0), (n) => new Float64Array(n));
  /** Row of each (user, item) pair read so far. */
  private readonly seen = new Map<number, number>();
  private replaced = 0;
  private withTimes: boolean | undefined;

  constructor(
    readonly file: string,
    private readonly userIndex: IdIndex,
    private readonly itemIndex: IdIndex,
    private readonly report: ReportBuilder,
    private readonly scale: RatingScale,
    private readonly names: RatingFieldNames = DEFAULT_FIELD_NAMES,
    private readonly duplicates: DuplicatePolicy = 'error',
  ) {}

  /** Adds one row; `time` undefined means the source has no timestamps. Returns false when skipped. */
  add(lineNo: number, userRaw: string, itemRaw: string, ratingRaw: string, timeRaw?: string): boolean {
    const { file, report, names } = this;
    const user = parseId(userRaw, file, lineNo, names.user, report);
    if (user === null) return false;
    const item = parseId(itemRaw, file, lineNo, names.item, report);
    if (item === null) return false;
    const rating = parseNumber(ratingRaw, file, lineNo, names.rating, report);
    if (Number.isNaN(rating) || !this.checkScale(rating, ratingRaw, lineNo)) return false;
    let time = NaN;
    if (timeRaw !== undefined) {
      time = parseNumber(timeRaw, file, lineNo, names.time, report);
      if (Number.isNaN(time)) return false;
    }
    const u = this.userIndex.add(user);
    const i = this.itemIndex.add(item);
    const key = u * PAIR_SHIFT + i;
    const earlier = this.seen.get(key);
    if (earlier !== undefined) {
      if (this.duplicates === 'error') {
        report.fail(new DataError(file, lineNo, names.item, `duplicate rating of item ${quote(item)} by user ${quote(user)}`));
        return false;
      }
      this.replace(earlier, rating, time, lineNo, user, item);
      return true;
    }
    this.seen.set(key, this.users.length);
    this.users.push(u);
    this.items.push(i);
    this.ratings.push(rating);
    this.withTimes ??= timeRaw !== undefined;
    if (this.withTimes) this.times.push(time);
    return true;
  }

  private replace(row: number, rating: number, time: number, lineNo: number, user: string, item: string): void {
    this.ratings.set(row, rating);
    if (this.withTimes) this.times.set(row, time);
    if (++this.replaced <= 10) this.report.warn(`${this.file} line ${lineNo}: user ${quote(user)} rated item ${quote(item)} again; the later rating (${rating}) is kept`);
  }

  private checkScale(rating: number, raw: string, lineNo: number): boolean {
    const { min, max, step } = this.scale;
    const offGrid = step > 0 && Math.abs(rating / step - Math.round(rating / step)) > 1e-9;
    if (rating < min || rating > max || offGrid) {
      const allowed = step === 1 ? `a whole number in ${min}..${max}` : `in ${min}..${max} in steps of ${step}`;
      this.report.fail(new DataError(this.file, lineNo, this.names.rating, `${quote(raw)} is out of range (expected ${allowed})`));
      return false;
    }
    return true;
  }

  get length(): number {
    return this.users.length;
  }

  finish(): Interactions {
    if (this.replaced > 10) this.report.warn(`${this.file}: ${this.replaced - 10} more repeated (user, item) pairs kept their later rating (not listed)`);
    return interactions(this.users.done(), this.items.done(), this.ratings.done(), this.withTimes ? this.times.done() : undefined);
  }
}

export type { LoadContext } from './load-context.js';

const RATING_FIELDS = ['user', 'item', 'rating', 'timestamp'] as const;

/**
 * Line-at-a-time reader of `user<sep>item<sep>rating<sep>timestamp` files (MovieLens' u.data,
 * ratings.dat, ratings.csv), so that Node can stream files too big for one string.
 * `header` names the expected first line, which is checked and skipped.
 */
export class RatingsLines {
  private readonly reader: RatingsReader;
  private expectHeader: boolean;

  constructor(
    readonly file: string,
    private readonly sep: string,
    scale: RatingScale,
    private readonly ctx: LoadContext,
    private readonly header?: string,
  ) {
    this.reader = new RatingsReader(file, ctx.userIndex, ctx.itemIndex, ctx.report, scale);
    this.expectHeader = header !== undefined;
    ctx.report.files.push(file);
  }

  /** One non-blank line; `invalid` when the text came from a lossy UTF-8 decode. */
  line(line: string, lineNo: number, invalid: boolean): void {
    this.ctx.report.lines++;
    if (this.expectHeader) {
      this.expectHeader = false;
      // A header is not data: a wrong one means a different file, so it always throws.
      if (line.trim() !== this.header) throw new DataError(this.file, lineNo, 'header', `expected ${JSON.stringify(this.header)}, found ${quote(line)}`);
      return;
    }
    const f = splitFields(line, this.sep, RATING_FIELDS, this.file, lineNo, this.ctx.report, invalid);
    if (f) this.reader.add(lineNo, f[0], f[1], f[2], f[3]);
  }

  finish(): Interactions {
    return this.reader.finish();
  }
}

/** Reads a whole ratings file; see RatingsLines. */
export function readRatingsText(
  file: string,
  content: FileContent,
  sep: string,
  scale: RatingScale,
  ctx: LoadContext,
  header?: string,
): Interactions {
  const { text, invalid } = decode(content, 'utf-8');
  const lines = new RatingsLines(file, sep, scale, ctx, header);
  forEachLine(text, (line, lineNo) => lines.line(line, lineNo, invalid));
  return lines.finish();
}
