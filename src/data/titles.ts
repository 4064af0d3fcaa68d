// Item titles by raw id, for showing recommendations.

import type { Dataset } from './dataset.js';

/**
 * Titles of the data set's items by raw id (its item table's `title` column), or null.
 *
 * @example
 * model.itemTitles = itemTitlesOf(dataset);
 */
export function itemTitlesOf(dataset: Pick<Dataset, 'items'>): Record<string, string> | null {
  const col = dataset.items?.columns.title;
  if (!col || col.kind !== 'string') return null;
  const out: Record<string, string> = {};
  dataset.items!.ids.forEach((id, r) => {
    if (col.values[r]) out[id] = col.values[r]!;
  });
  return out;
}
