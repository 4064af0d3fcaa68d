// What every loader shares while reading one data set (indexes, report), and the one way
// its parts become a Dataset.

import type { Dataset, DatasetFormat, EntityTable, Split } from './dataset.js';
import { DataError, type OnError } from './errors.js';
import { crossCheck } from './features.js';
import { IdIndex, type Interactions } from './interactions.js';
import { ReportBuilder } from './report.js';

/** The indexes and report shared by every file of one data set. */
export interface LoadContext {
  readonly userIndex: IdIndex;
  readonly itemIndex: IdIndex;
  readonly report: ReportBuilder;
}

/** Empty indexes and a report applying `onError`. */
export function newLoadContext(onError?: OnError): LoadContext {
  return { userIndex: new IdIndex(), itemIndex: new IdIndex(), report: new ReportBuilder(onError) };
}

/** A feature table and the file it came from (named in the cross-check warnings). */
export interface TableFrom {
  readonly table: EntityTable;
  readonly file: string;
}

/** The parts a loader read. */
export interface DatasetParts {
  readonly format: DatasetFormat;
  /** What the data is, e.g. 'MovieLens 100K'; the description adds "from <source>". */
  readonly name: string;
  readonly source?: string;
  readonly ratings: Interactions;
  /** The file `ratings` came from, named when it holds none. */
  readonly ratingsFile: string;
  readonly users?: TableFrom;
  readonly items?: TableFrom;
  /** Folds by name; an empty record means none. */
  readonly folds?: Record<string, Split>;
}

/** Throws when `data` is empty: a data set without ratings is a wrong file, whatever onError says. */
export function requireRatings(data: Interactions, file: string): void {
  if (data.length === 0) throw new DataError(file, 0, '', 'no ratings (the file has no rating rows, or every one was skipped)');
}

/**
 * The Dataset of a loader: requires ratings, cross-checks the feature tables against the rated ids (warnings
 * only) and freezes the report.
 *
 * @example
 * const ctx = newLoadContext('skip');
 * const ratings = readRatingsText('u.data', text, '\t', WHOLE_STARS, ctx);
 * const ds = assembleDataset(ctx, { format: 'ml-100k', name: 'MovieLens 100K', ratings, ratingsFile: 'u.data' });
 */
export function assembleDataset(ctx: LoadContext, parts: DatasetParts): Dataset {
  const { report } = ctx;
  requireRatings(parts.ratings, parts.ratingsFile);
  if (parts.users) crossCheck(parts.users.table, ctx.userIndex, 'user', parts.users.file, report);
  if (parts.items) crossCheck(parts.items.table, ctx.itemIndex, 'item', parts.items.file, report);
  const folds = parts.folds && Object.keys(parts.folds).length > 0 ? parts.folds : undefined;
  return {
    format: parts.format,
    description: `${parts.name}${parts.source ? ` from ${parts.source}` : ''}`,
    userIndex: ctx.userIndex,
    itemIndex: ctx.itemIndex,
    ratings: parts.ratings,
    users: parts.users?.table,
    items: parts.items?.table,
    folds,
    report: report.build(),
  };
}
