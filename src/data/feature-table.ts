// Generic user/item feature tables: a header row, an id column, column types inferred.

import { checkDelimiter, detectDelimiter, forEachRow } from './csv.js';
import { checkColumnExists, checkColumnNames, resolveColumn, type ColumnRef } from './csv-header.js';
import type { EntityTable } from './dataset.js';
import { DataError, type OnError } from './errors.js';
import { TableBuilder, type Cell, type ColumnKind } from './features.js';
import { ReportBuilder } from './report.js';
import { checkFields, decode, isNumeric, parseId, parseNumber, type FileContent } from './text.js';

export interface FeatureTableOptions {
  /** The id column; default the first. */
  readonly id?: ColumnRef;
  readonly delimiter?: string;
  readonly onError?: OnError;
  readonly file?: string;
}

function kindOf(values: string[]): ColumnKind {
  if (values.some((v) => v.includes('|'))) return 'multi';
  return values.length > 0 && values.every(isNumeric) ? 'number' : 'string';
}

/**
 * Parses a feature table with a header row. Column types are inferred: a column whose values
 * contain '|' is multi-valued, one whose non-empty values are all numbers is numeric, any
 * other is a string column. Empty cells are missing (NaN, null, []). Column names must be
 * distinct and non-empty (the id column's may be empty).
 *
 * @example
 * const t = parseFeatureTable('item,year,genres\ni1,1995,Comedy|Drama\n');
 * t.columns.genres.values[0]; // ['Comedy', 'Drama']
 */
export function parseFeatureTable(content: FileContent, opts: FeatureTableOptions = {}, report = new ReportBuilder(opts.onError)): EntityTable {
  const file = opts.file ?? 'features.csv';
  const { text, invalid } = decode(content, 'utf-8');
  const delimiter = opts.delimiter ?? detectDelimiter(text);
  checkDelimiter(delimiter, file);
  const rows: { fields: string[]; lineNo: number }[] = [];
  let names: string[] | null = null;
  report.files.push(file);
  forEachRow(text, delimiter, (fields, lineNo, problem) => {
    report.lines++;
    if (!names) names = fields.map((f) => f.trim().replace(/^\uFEFF/, ''));
    else if (checkFields(fields, names, file, lineNo, report, invalid, problem)) rows.push({ fields, lineNo });
  });
  const header: string[] = names ?? [];
  if (header.length === 0) throw new DataError(file, 0, '', 'empty file: a feature table needs a header row');
  // No name is guessed: the id is the first column unless `opts.id` says otherwise.
  const idCol = resolveColumn(opts.id, header, /(?!)/, 0, file, 'id')!;
  checkColumnExists(idCol, header.length, file, 'id');
  checkColumnNames(header, idCol, file);
  const idName = header[idCol] || 'id';
  const position = new Map(header.map((name, k) => [name, k]));
  const kinds: Record<string, ColumnKind> = {};
  header.forEach((name, k) => {
    if (k !== idCol) kinds[name] = kindOf(rows.map((r) => r.fields[k].trim()).filter((v) => v !== ''));
  });
  // The builder keeps the key order of `kinds` (integer-like names first), so cells follow it.
  const columns = Object.keys(kinds).map((name) => ({ name, at: position.get(name)!, kind: kinds[name] }));
  const table = new TableBuilder(file, idName, kinds, report);
  nextRow: for (const { fields, lineNo } of rows) {
    const id = parseId(fields[idCol], file, lineNo, idName, report);
    if (id === null) continue;
    const cells: Cell[] = [];
    for (const { name, at, kind } of columns) {
      const v = fields[at].trim();
      if (kind === 'number') {
        const x = v === '' ? NaN : parseNumber(v, file, lineNo, name, report);
        if (v !== '' && Number.isNaN(x)) continue nextRow;
        cells.push(x);
      } else if (kind === 'multi') cells.push(v.split('|').map((s) => s.trim()).filter((s) => s !== ''));
      else cells.push(v === '' ? null : v);
    }
    table.add(lineNo, id, cells);
  }
  return table.build();
}
