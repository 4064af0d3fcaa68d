// Builds user/item feature tables row by row and cross-checks them against the rated ids.

import type { Column, EntityTable } from './dataset.js';
import { DataError } from './errors.js';
import type { IdIndex } from './interactions.js';
import type { ReportBuilder } from './report.js';
import { quote } from './text.js';

export type ColumnKind = Column['kind'];

/** A cell value as a loader produces it: NaN / null = missing. */
export type Cell = number | string | null | string[];

/** How many example ids a cross-check warning lists. */
const EXAMPLE_IDS = 5;

/** Collects rows of one table; duplicate ids are reported against the file and line. */
export class TableBuilder {
  private readonly ids: string[] = [];
  private readonly seen = new Set<string>();
  private readonly values: Cell[][];

  constructor(
    readonly file: string,
    private readonly idField: string,
    private readonly kinds: Readonly<Record<string, ColumnKind>>,
    private readonly report: ReportBuilder,
  ) {
    this.values = Object.keys(kinds).map(() => []);
  }

  /** Adds a row; `cells` are in the order of `kinds`. Returns false when skipped. */
  add(lineNo: number, id: string, cells: Cell[]): boolean {
    if (this.seen.has(id)) {
      this.report.fail(new DataError(this.file, lineNo, this.idField, `duplicate id ${quote(id)}`));
      return false;
    }
    this.seen.add(id);
    this.ids.push(id);
    for (let c = 0; c < cells.length; c++) this.values[c].push(cells[c]);
    return true;
  }

  build(vocab?: Record<string, readonly string[]>): EntityTable {
    const columns: Record<string, Column> = {};
    Object.entries(this.kinds).forEach(([name, kind], c) => {
      const vals = this.values[c];
      if (kind === 'number') columns[name] = { kind, values: Float64Array.from(vals as number[]) };
      else if (kind === 'string') columns[name] = { kind, values: vals as (string | null)[] };
      else columns[name] = { kind, values: vals as string[][] };
    });
    return vocab ? { ids: this.ids, columns, vocab } : { ids: this.ids, columns };
  }
}

/**
 * Warns (never fails) about feature rows for ids without ratings, which models cannot use
 * for training, and about rated ids without a feature row, which get only missing features.
 */
export function crossCheck(table: EntityTable, index: IdIndex, what: 'user' | 'item', file: string, report: ReportBuilder): void {
  const inTable = new Set(table.ids);
  const unrated = table.ids.filter((id) => !index.has(id));
  const bare = index.ids.filter((id) => !inTable.has(id));
  const sample = (ids: string[]) => ids.slice(0, EXAMPLE_IDS).join(', ') + (ids.length > EXAMPLE_IDS ? ', ...' : '');
  if (unrated.length > 0) report.warn(`${file}: ${unrated.length} ${what}s have features but no ratings (${sample(unrated)})`);
  if (bare.length > 0) report.warn(`${file}: ${bare.length} rated ${what}s have no feature row (${sample(bare)})`);
}
