// A loaded data set: ratings, optional side information, optional predefined folds.

import type { IdIndex, Interactions } from './interactions.js';

/** One column of a user or item feature table, aligned with `EntityTable.ids`. */
export type Column =
  | { readonly kind: 'number'; readonly values: Float64Array } // NaN = missing
  | { readonly kind: 'string'; readonly values: (string | null)[] } // null = missing
  | { readonly kind: 'multi'; readonly values: string[][] }; // e.g. genres

/** Side information about users or items, one row per raw id. */
export interface EntityTable {
  /** Raw ids, in file order, unique. */
  readonly ids: string[];
  readonly columns: Record<string, Column>;
  /**
   * Known values of string/multi columns in the source's canonical order (MovieLens'
   * u.genre, u.occupation), including values no row uses. Absent when the source has none.
   */
  readonly vocab?: Readonly<Record<string, readonly string[]>>;
}

/** A train/test pair, e.g. MovieLens' u1.base/u1.test. */
export interface Split {
  readonly name: string;
  readonly train: Interactions;
  readonly test: Interactions;
  /** Held out of train for model selection (the last-item split's second-to-last events). */
  readonly validation?: Interactions;
}

/** What a loader read and what it skipped. */
export interface LoadReport {
  readonly files: string[];
  readonly lines: number;
  readonly skipped: number;
  readonly warnings: string[];
}

export type DatasetFormat = 'ml-100k' | 'ml-1m' | 'ml-latest' | 'csv' | 'synthetic';

/** Everything a loader returns. Indices of `ratings` and of every fold share the indexes. */
export interface Dataset {
  readonly format: DatasetFormat;
  /** Where the data came from, for output such as "MovieLens 100K from ../shared/data". */
  readonly description: string;
  readonly userIndex: IdIndex;
  readonly itemIndex: IdIndex;
  /** All ratings (u.data for MovieLens 100K). */
  readonly ratings: Interactions;
  readonly users?: EntityTable;
  readonly items?: EntityTable;
  /** Predefined folds by name (u1..u5, ua, ub), when the source has them. */
  readonly folds?: Record<string, Split>;
  readonly report: LoadReport;
}
