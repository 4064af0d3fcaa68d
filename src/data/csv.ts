// Delimited text rows with 1-based line numbers: a split loop for plain files, papaparse
// when quotes appear (see docs/csv-parser.md for the measurements behind the split).

import Papa from 'papaparse';
import { DataError } from './errors.js';
import { forEachLine, type RowProblem } from './text.js';

/** Delimiters tried by auto-detection, most specific first; '|' last as it also separates multi values. */
const CANDIDATES = ['\t', ',', ';', '|'] as const;

/** What Papa says about broken quoting, in the words of our messages. */
const QUOTE_PROBLEMS: Record<string, string> = {
  MissingQuotes: 'unterminated quote (the field runs to the end of the file)',
  InvalidQuotes: 'text after a closing quote',
};

/**
 * The first line holding more than white space (without a byte order mark or CR): the
 * header or first row. Blank lines before it are skipped by every reader, so delimiter
 * detection must skip them too.
 */
export function firstLine(text: string): string {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    if (line.trim() !== '') return line.endsWith('\r') ? line.slice(0, -1) : line;
    start = end + 1;
  }
  return '';
}

/**
 * The delimiter occurring most often on the first non-blank line (ties: earlier in
 * CANDIDATES). A line with none of them but with spaces is space-separated (LibRec-style
 * files such as FilmTrust's); space is never preferred to a real delimiter, since titles
 * and names hold spaces.
 */
export function detectDelimiter(text: string): string {
  const first = firstLine(text);
  let best: string = / \S/.test(first.trim()) ? ' ' : ',';
  let bestCount = 0;
  for (const d of CANDIDATES) {
    const count = first.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/** Rejects delimiters Papa would silently replace by its own guess, and the empty one. */
export function checkDelimiter(delimiter: string, file: string): void {
  if (delimiter === '' || /["\r\n\uFEFF]/.test(delimiter)) {
    throw new DataError(file, 0, '', `${JSON.stringify(delimiter)} cannot separate fields (give one or more characters other than quotes and line breaks)`);
  }
}

/**
 * Calls `fn(fields, lineNo, problem)` for every non-blank row. Without any '"' in the text
 * a plain split is exact and ~4× faster than papaparse collecting rows; with quotes
 * papaparse handles quoted delimiters, doubled quotes and line breaks inside fields, and
 * lineNo is the line the row starts on. `problem` names a field whose quoting is broken.
 */
export function forEachRow(text: string, delimiter: string, fn: (fields: string[], lineNo: number, problem?: RowProblem) => void): void {
  if (delimiter === ' ') {
    // Space-separated files align columns with runs of spaces; quotes are not a thing there.
    forEachLine(text, (line, lineNo) => fn(line.trim().split(/ +/), lineNo));
    return;
  }
  if (!text.includes('"')) {
    forEachLine(text, (line, lineNo) => fn(line.split(delimiter), lineNo));
    return;
  }
  // Papa guesses one newline style per file; files edited on two systems mix them.
  text = text.replace(/\r\n/g, '\n');
  let lineNo = 1;
  let scanned = 0;
  // Papa's cursor is where each row ends; counting newlines up to the row's start gives its line.
  let rowStart = 0;
  Papa.parse<string[]>(text, {
    delimiter,
    newline: '\n',
    skipEmptyLines: 'greedy',
    step: (row) => {
      const data = row.data;
      for (; scanned < rowStart; scanned++) if (text.charCodeAt(scanned) === 10) lineNo++;
      // Leading blank lines were skipped by Papa: move to the row's first non-newline char.
      while (scanned < text.length && text.charCodeAt(scanned) === 10) {
        lineNo++;
        scanned++;
      }
      const error = row.errors.find((e) => e.code in QUOTE_PROBLEMS);
      const problem = error ? { field: fieldAt(text, scanned, error.index ?? row.meta.cursor, delimiter, data.length), problem: QUOTE_PROBLEMS[error.code] } : undefined;
      rowStart = row.meta.cursor;
      fn(data, lineNo, problem);
    },
  });
}

/**
 * The 0-based field of a row (starting at `start`) that holds offset `at`, counting
 * delimiters outside quotes. Only run on rows with a quoting error, so parsing stays linear.
 */
function fieldAt(text: string, start: number, at: number, delimiter: string, nFields: number): number {
  let field = 0;
  let quoted = false;
  for (let k = start; k < at && k < text.length; k++) {
    if (text.charCodeAt(k) === 34) quoted = !quoted;
    else if (!quoted && text.startsWith(delimiter, k)) {
      field++;
      k += delimiter.length - 1;
    }
  }
  return Math.min(field, Math.max(0, nFields - 1));
}
