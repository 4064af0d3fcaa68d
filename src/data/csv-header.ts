// Header rows of generic CSV files: the first row's names, and columns found by name or
// position, checked against the file's width before any row is read.

import { forEachRow, firstLine } from './csv.js';
import { DataError } from './errors.js';

/** A column by header name or by 0-based position. */
export type ColumnRef = string | number;

/** Names that would change an object's prototype rather than add a key. */
const RESERVED = new Set(['__proto__']);

/** The first non-blank row's fields, trimmed (the header, or the first data row). */
export function firstRow(text: string, delimiter: string): string[] {
  let row: string[] = [];
  forEachRow(firstLine(text), delimiter, (fields) => (row = row.length ? row : fields));
  return row.map((f) => f.trim().replace(/^\uFEFF/, ''));
}

/**
 * The position of a column: `ref` by position or name, else the first header name matching
 * `guess`, else `fallback`. Undefined only when the column is optional and absent.
 */
export function resolveColumn(ref: ColumnRef | undefined, names: string[] | null, guess: RegExp, fallback: number | undefined, file: string, what: string): number | undefined {
  if (typeof ref === 'number') {
    if (!Number.isInteger(ref) || ref < 0) throw new DataError(file, 1, 'header', `column ${ref} for the ${what} is not a column position (0, 1, ...)`);
    return ref;
  }
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

/** Throws unless 0-based column `at` exists in rows of `width` fields. */
export function checkColumnExists(at: number, width: number, file: string, what: string): void {
  if (at >= width) throw new DataError(file, 1, 'header', `the file has ${width} column${width === 1 ? '' : 's'}; the ${what} column (${at + 1}) is beyond it`);
}

/**
 * Feature table headers become object keys: every column needs a name of its own, and
 * '__proto__' cannot be one. The id column alone may be unnamed (pandas writes its index so).
 */
export function checkColumnNames(names: readonly string[], idCol: number, file: string): void {
  const seen = new Set<string>();
  names.forEach((name, k) => {
    if (k === idCol) return;
    if (name === '') throw new DataError(file, 1, String(k + 1), 'empty column name');
    if (RESERVED.has(name)) throw new DataError(file, 1, name, 'reserved column name (rename the column)');
    if (seen.has(name) || name === names[idCol]) throw new DataError(file, 1, name, 'duplicate column name');
    seen.add(name);
  });
}
