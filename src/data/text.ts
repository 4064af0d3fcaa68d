// Turning file contents (strings or bytes) into checked lines and fields, with exact locations.

import { DataError } from './errors.js';
import type { ReportBuilder } from './report.js';

/** File contents as loaders accept them. Blobs are read with `readContents` first (async). */
export type FileContent = string | ArrayBuffer | ArrayBufferView;

export type Encoding = 'utf-8' | 'latin1';

/** U+FFFD: what a non-fatal decoder puts where bytes were not valid UTF-8. */
const REPLACEMENT = '\uFFFD';

/** Decoded text, plus whether some bytes were not valid UTF-8 (then lines are checked one by one). */
export interface DecodedText {
  readonly text: string;
  readonly invalid: boolean;
}

function asBytes(content: ArrayBuffer | ArrayBufferView): Uint8Array {
  return content instanceof ArrayBuffer
    ? new Uint8Array(content)
    : new Uint8Array(content.buffer, content.byteOffset, content.byteLength);
}

/**
 * Decodes file contents. UTF-8 is decoded fatally first (the fast path for good files); on
 * failure the text is decoded again with replacement characters, so that the parser can
 * name the first bad line and field instead of reporting "somewhere in the file".
 */
export function decode(content: FileContent, encoding: Encoding): DecodedText {
  if (typeof content === 'string') return { text: content, invalid: false };
  const bytes = asBytes(content);
  if (encoding === 'latin1') return { text: new TextDecoder('latin1').decode(bytes), invalid: false };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), invalid: false };
  } catch {
    return { text: new TextDecoder('utf-8').decode(bytes), invalid: true };
  }
}

/**
 * Reads Blobs (browser File objects, fetch responses' blobs) into bytes, so the synchronous
 * parsers can take them.
 *
 * @example
 * const files = await readContents({ 'u.data': fileInput.files[0] });
 * const ds = parseMovieLens100k(files);
 */
export async function readContents(files: Record<string, Blob | FileContent>): Promise<Record<string, FileContent>> {
  const out: Record<string, FileContent> = {};
  for (const [name, value] of Object.entries(files)) {
    out[name] = typeof Blob !== 'undefined' && value instanceof Blob ? await value.arrayBuffer() : (value as FileContent);
  }
  return out;
}

/** Calls `fn(line, lineNo)` for every non-blank line; lineNo is 1-based. Handles \n and \r\n. */
export function forEachLine(text: string, fn: (line: string, lineNo: number) => void): void {
  let start = 0;
  let lineNo = 0;
  const n = text.length;
  // A BOM would otherwise stick to the first id.
  if (text.charCodeAt(0) === 0xfeff) start = 1;
  while (start < n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    lineNo++;
    let stop = end;
    if (stop > start && text.charCodeAt(stop - 1) === 13) stop--;
    if (stop > start) {
      const line = text.slice(start, stop);
      if (line.trim() !== '') fn(line, lineNo);
    }
    start = end + 1;
  }
}

/**
 * Splits a line into exactly `names.length` fields, or reports the mismatch (naming the first
 * missing or extra field) and returns null. With `invalid`, also rejects fields holding bytes
 * that were not valid UTF-8.
 */
export function splitFields(
  line: string,
  sep: string,
  names: readonly string[],
  file: string,
  lineNo: number,
  report: ReportBuilder,
  invalid = false,
): string[] | null {
  const fields = line.split(sep);
  return checkFields(fields, names, file, lineNo, report, invalid) ? fields : null;
}

/** What the CSV parser found wrong with a row's quoting: the 0-based field and the problem. */
export interface RowProblem {
  readonly field: number;
  readonly problem: string;
}

/**
 * Checks an already split row: its quoting (`problem`, from forEachRow), the field count,
 * and the encoding when the decode was lossy.
 */
export function checkFields(
  fields: string[],
  names: readonly string[],
  file: string,
  lineNo: number,
  report: ReportBuilder,
  invalid = false,
  problem?: RowProblem,
): boolean {
  if (problem) {
    report.fail(new DataError(file, lineNo, names[problem.field] ?? String(problem.field + 1), problem.problem));
    return false;
  }
  if (fields.length !== names.length) {
    const field = fields.length < names.length ? names[fields.length] : String(names.length + 1);
    const what = fields.length < names.length ? 'missing' : 'unexpected';
    report.fail(new DataError(file, lineNo, field, `${what} (expected ${names.length} fields, found ${fields.length})`));
    return false;
  }
  return !invalid || checkEncoding(fields, names, file, lineNo, report);
}

/** Rejects the line when a field contains a replacement character from a failed UTF-8 decode. */
export function checkEncoding(fields: string[], names: readonly string[], file: string, lineNo: number, report: ReportBuilder): boolean {
  for (let f = 0; f < fields.length; f++) {
    if (fields[f].includes(REPLACEMENT)) {
      report.fail(new DataError(file, lineNo, names[f] ?? String(f + 1), 'invalid UTF-8'));
      return false;
    }
  }
  return true;
}

// Number() accepts '', ' ', '0x1f' and 'Infinity'; data files should not. Each part of the
// pattern starts with a character the previous one cannot end with, so a failed match
// backtracks in linear time (the old `\d+\.?\d*` tried every split of a long digit run).
const NUMBER = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** The largest finite 32-bit float: ratings and features end up in Float32Arrays. */
export const F32_MAX = 3.4028234663852886e38;

/** Whether `value` is a decimal number as data files write it (no hex, no 'Infinity'). */
export function isNumeric(value: string): boolean {
  return NUMBER.test(value);
}

/** Characters of a value shown in a message before it is cut. */
const QUOTED_CHARS = 32;

/** A value as messages show it: JSON-quoted, a long one cut with its length said. */
export function quote(value: string): string {
  if (value.length <= QUOTED_CHARS + 8) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, QUOTED_CHARS)).slice(0, -1)}…" (${value.length} characters)`;
}

/**
 * Parses a decimal number strictly, or reports the field and returns NaN (the caller skips).
 * Numbers beyond ±F32_MAX are rejected: finite as doubles, they would become Infinity in
 * the Float32Arrays models train on.
 */
export function parseNumber(value: string, file: string, lineNo: number, field: string, report: ReportBuilder): number {
  if (!NUMBER.test(value)) {
    report.fail(new DataError(file, lineNo, field, value === '' ? 'empty, expected a number' : `${quote(value)} is not a number`));
    return NaN;
  }
  const x = Number(value);
  if (!(Math.abs(x) <= F32_MAX)) {
    report.fail(new DataError(file, lineNo, field, `${quote(value.trim())} is out of range (beyond ±3.4e38)`));
    return NaN;
  }
  return x;
}

/** Unicode's control characters (C0, DEL, C1) and surrogates not in a pair. */
const BAD_ID_CHAR = /[\p{Cc}\p{Cs}]/u;

/**
 * A trimmed, non-empty id, or a report and null. Control characters (a CR from a file
 * edited on two systems, a NUL from a binary file) and lone surrogates are rejected: they
 * would print as nothing, and a model file could not keep them.
 */
export function parseId(value: string, file: string, lineNo: number, field: string, report: ReportBuilder): string | null {
  const id = value.trim();
  if (id === '') {
    report.fail(new DataError(file, lineNo, field, 'empty id'));
    return null;
  }
  const bad = BAD_ID_CHAR.exec(id);
  if (bad) {
    const code = bad[0].charCodeAt(0);
    const what = code >= 0xd800 && code <= 0xdfff ? 'is not well-formed Unicode (a lone surrogate)' : `contains a control character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
    report.fail(new DataError(file, lineNo, field, `${quote(id)} ${what}`));
    return null;
  }
  return id;
}
