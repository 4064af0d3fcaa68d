// Per-rating features: the age of the item when it was rated (rating year − item year).

import type { IdIndex, Interactions } from '../data/interactions.js';
import type { RawValue } from './derive.js';
import { datePart, yearOfTimestamp } from './derive.js';
import { standardScaler } from './scaler.js';
import type { FittedParams } from './side.js';
import type { ItemAgeFeature } from './spec.js';
import type { RawTable } from './table.js';

/** A number is taken as a year (the loaders' `year` column); a string is read as a date. */
function itemYear(value: RawValue): number {
  return typeof value === 'number' ? value : datePart(value, 'year');
}

/** Raw item ages in years, NaN where the item's year or the rating's timestamp is unknown. */
export function itemAges(def: ItemAgeFeature, data: Interactions, itemIndex: IdIndex, items: RawTable): Float64Array {
  const out = new Float64Array(data.length);
  const yearOfItem = new Map<number, number>();
  for (let r = 0; r < data.length; r++) {
    const ix = data.items[r];
    let y = yearOfItem.get(ix);
    if (y === undefined) {
      y = ix >= 0 && ix < itemIndex.size ? itemYear(items.cell(items.row(itemIndex.ids[ix]), def.column)) : NaN;
      yearOfItem.set(ix, y);
    }
    out[r] = data.timestamps ? yearOfTimestamp(data.timestamps[r]) - y : NaN;
  }
  return out;
}

/** Mean and std of the item ages over the training ratings. */
export function fitItemAge(def: ItemAgeFeature, train: Interactions, itemIndex: IdIndex, items: RawTable): FittedParams {
  const { mean, std } = standardScaler(itemAges(def, train, itemIndex, items));
  return { mean: [mean], std: [std] };
}

/** Standardized item ages; unknown ages → 0 (the training mean). */
export function encodeItemAge(def: ItemAgeFeature, params: FittedParams, data: Interactions, itemIndex: IdIndex, items: RawTable): Float32Array {
  const ages = itemAges(def, data, itemIndex, items);
  const out = new Float32Array(data.length);
  for (let r = 0; r < data.length; r++) out[r] = Number.isFinite(ages[r]) ? (ages[r] - params.mean![0]) / params.std![0] : 0;
  return out;
}
