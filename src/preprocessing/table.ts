// The raw feature rows a pipeline keeps, so that a reloaded pipeline can still encode every
// id of the fitted tables (including ids that had no training ratings).

import type { Column, EntityTable } from '../data/dataset.js';
import type { RawValue } from './derive.js';

/** JSON form of a Column: NaN is written as null, which JSON can carry. */
export type ColumnJSON =
  | { kind: 'number'; values: (number | null)[] }
  | { kind: 'string'; values: (string | null)[] }
  | { kind: 'multi'; values: string[][] };

export interface RawTableJSON {
  ids: string[];
  columns: Record<string, ColumnJSON>;
}

/** Selected columns of an EntityTable with an id → row lookup. */
export class RawTable {
  private readonly rowOf = new Map<string, number>();

  constructor(
    readonly ids: string[],
    readonly columns: Record<string, Column>,
  ) {
    ids.forEach((id, row) => this.rowOf.set(id, row));
  }

  /** Keeps only the `keep` columns of `table` (absent ones are skipped); an empty table when there is none. */
  static from(table: EntityTable | undefined, keep: Iterable<string>): RawTable {
    if (!table) return new RawTable([], {});
    const columns: Record<string, Column> = {};
    for (const name of keep) if (table.columns[name]) columns[name] = table.columns[name];
    return new RawTable(table.ids.slice(), columns);
  }

  /** Row of a raw id, -1 when the table has no such id. */
  row(id: string): number {
    return this.rowOf.get(id) ?? -1;
  }

  /** The cell, or null for a missing value, an unknown column or row -1. */
  cell(row: number, column: string): RawValue {
    const col = this.columns[column];
    if (row < 0 || !col) return null;
    const v = col.values[row];
    return col.kind === 'number' && Number.isNaN(v) ? null : (v as RawValue);
  }

  /** Every kept column's value for a raw id, or null when the table has no such id. */
  rawRow(id: string): Record<string, RawValue> | null {
    const row = this.row(id);
    if (row < 0) return null;
    return Object.fromEntries(Object.keys(this.columns).map((name) => [name, this.cell(row, name)]));
  }

  toJSON(): RawTableJSON {
    const columns: Record<string, ColumnJSON> = {};
    for (const [name, col] of Object.entries(this.columns)) {
      columns[name] =
        col.kind === 'number'
          ? { kind: 'number', values: Array.from(col.values, (v) => (Number.isNaN(v) ? null : v)) }
          : ({ kind: col.kind, values: col.values.slice() } as ColumnJSON);
    }
    return { ids: this.ids, columns };
  }

  static fromJSON(json: RawTableJSON): RawTable {
    const columns: Record<string, Column> = {};
    for (const [name, col] of Object.entries(json.columns)) {
      columns[name] =
        col.kind === 'number'
          ? { kind: 'number', values: Float64Array.from(col.values, (v) => (v === null ? NaN : v)) }
          : (col as Column);
    }
    return new RawTable(json.ids, columns);
  }
}
