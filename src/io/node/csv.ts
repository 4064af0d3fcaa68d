// Loading a CSV/TSV data set from disk (Node): ratings, optional test file and feature tables.

import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Dataset } from '../../data/dataset.js';
import { parseCsvDataset, type CsvDatasetOptions } from '../../data/generic-csv.js';
import { fileError } from './fs-errors.js';

export interface CsvPaths {
  readonly ratings: string;
  readonly testRatings?: string;
  readonly userFeatures?: string;
  readonly itemFeatures?: string;
}

/**
 * Reads the given files and parses them with parseCsvDataset; messages name each file by its
 * base name. With `testRatings`, the Dataset has `folds.given = { train, test }`.
 *
 * @example
 * const ds = await loadCsvDataset({ ratings: 'train.csv', testRatings: 'test.csv', itemFeatures: 'items.csv' });
 */
export async function loadCsvDataset(opts: CsvPaths & Omit<CsvDatasetOptions, 'names' | 'file'>): Promise<Dataset> {
  const read = (p: string | undefined) =>
    p === undefined
      ? undefined
      : readFile(p).catch((err: unknown) => {
          throw fileError('cannot read', p, err);
        });
  const [ratings, testRatings, userFeatures, itemFeatures] = await Promise.all([read(opts.ratings), read(opts.testRatings), read(opts.userFeatures), read(opts.itemFeatures)]);
  const name = (p: string | undefined) => (p === undefined ? undefined : basename(p));
  return parseCsvDataset(
    { ratings: ratings!, testRatings, userFeatures, itemFeatures },
    {
      ...opts,
      names: { ratings: name(opts.ratings), testRatings: name(opts.testRatings), userFeatures: name(opts.userFeatures), itemFeatures: name(opts.itemFeatures) },
      source: dirname(opts.ratings),
    },
  );
}
