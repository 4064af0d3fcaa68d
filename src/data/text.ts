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

/** Checks an already split row: field count, and encoding when the decode was lossy. */
export function checkFields(
  fields: string[],
  names: readonly string[],
  file: string,
  lineNo: number,
  report: ReportBuilder,
  invalid = false,
): boolean {
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

// Number() accepts '', ' ', '0x1f' and 'Infinity'; data files should not.
const NUMBER = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/** Parses a decimal number strictly, or reports the field and returns NaN (the caller skips). */
export function parseNumber(value: string, file: string, lineNo: number, field: string, report: ReportBuilder): number {
  if (!NUMBER.test(value)) {
    report.fail(new DataError(file, lineNo, field, value === '' ? 'empty, expected a number' : `${JSON.stringify(value)} is not a number`));
    return NaN;
  }
  const x = Number(value);
  if (!Number.isFinite(x)) {
    report.fail(new DataError(file, lineNo, field, `${JSON.stringify(value)} is not finite`));
    return NaN;
  }
  return x;
}

/** A trimmed, non-empty id, or a report and null. */
export function parseId(value: string, file: string, lineNo: number, field: string, report: ReportBuilder): string | null {
  const id = value.trim();
  if (id === '') {
    report.fail(new DataError(file, lineNo, field, 'empty id'));
    return null;
  }
  return id;
}
