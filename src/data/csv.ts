// Delimited text rows with 1-based line numbers: a split loop for plain files, papaparse
// when quotes appear (see docs/csv-parser.md for the measurements behind the split).

import Papa from 'papaparse';
import { forEachLine } from './text.js';

/** Delimiters tried by auto-detection, most specific first; '|' last as it also separates multi values. */
const CANDIDATES = ['\t', ',', ';', '|'] as const;

/** The delimiter occurring most often on the first non-blank line (ties: earlier in CANDIDATES). */
export function detectDelimiter(text: string): string {
  const end = text.indexOf('\n');
  const first = end < 0 ? text : text.slice(0, end);
  let best: string = ',';
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

/**
 * Calls `fn(fields, lineNo)` for every non-blank row. Without any '"' in the text a plain
 * split is exact and ~4× faster than papaparse collecting rows; with quotes papaparse
 * handles quoted delimiters, doubled quotes and line breaks inside fields, and lineNo is
 * the line the row starts on.
 */
export function forEachRow(text: string, delimiter: string, fn: (fields: string[], lineNo: number) => void): void {
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
      rowStart = row.meta.cursor;
      fn(data, lineNo);
    },
  });
}
