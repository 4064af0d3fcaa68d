// Cold start on top of factors trained elsewhere (Spark's ALS has no side features and gives
// NaN for ids it never saw): a ridge regression from each side's encoded features to the
// imported factors, fitted on the ids that have factors, gives every other id of the feature
// table a vector in the same space (the "attribute-to-factor mapping" of Gantner et al.,
// ICDM 2010, with a linear map, ../preprocessing/feature-map.ts). No Node API.

import type { Dataset } from '../data/dataset.js';
import { autoFeatureSpec } from '../preprocessing/auto.js';
import { fitFactorMap, mapRow, type FactorMap } from '../preprocessing/feature-map.js';
import { FeaturePipeline } from '../preprocessing/pipeline.js';

/** One side's ids and factors, as imported. */
export interface SideFactors {
  ids: readonly string[];
  factors: Float32Array;
}

/** What cold start added to one side: the ids of the data's table without factors, their mapped vectors, and the map. */
export interface ColdStartSide {
  ids: string[];
  vectors: Float32Array;
  map: FactorMap;
  /** Ids of the data that had factors (the map's training rows). */
  fitted: number;
}

/**
 * For users and items of `dataset` that the imported tables lack, vectors mapped from their
 * side features (the data set's 'auto' feature spec without rating statistics, fitted on all
 * its entities).
 *
 * @example
 * const cold = coldStartFromFeatures(dataset, { users, items }, 10, 1); // cold.item.ids, cold.item.vectors
 */
export function coldStartFromFeatures(dataset: Dataset, tables: { users: SideFactors; items: SideFactors }, K: number, lambda: number): { user: ColdStartSide; item: ColdStartSide } {
  // Side features only: rating statistics would describe ids by ratings a brand-new id does not have.
  const auto = autoFeatureSpec(dataset);
  const spec = { user: auto.user.filter((d) => d.type !== 'stats'), item: auto.item.filter((d) => d.type !== 'stats') };
  const pipeline = FeaturePipeline.fit(dataset, dataset.ratings, spec, { entities: 'all' });
  const one = (side: 'user' | 'item'): ColdStartSide => {
    const index = side === 'user' ? dataset.userIndex : dataset.itemIndex;
    const own = side === 'user' ? tables.users : tables.items;
    const encoded = pipeline.encode(side, index);
    const rowOf = new Map(own.ids.map((id, r) => [id, r]));
    const rows: number[] = [];
    const targets: number[] = [];
    const missing: number[] = [];
    index.ids.forEach((id, r) => {
      const t = rowOf.get(id);
      if (t === undefined) missing.push(r);
      else (rows.push(r), targets.push(t));
    });
    const map = fitFactorMap(encoded, Int32Array.from(rows), Int32Array.from(targets), own.factors, K, lambda);
    const vectors = new Float32Array(missing.length * K);
    missing.forEach((r, n) => mapRow(encoded, r, map, vectors, n * K));
    return { ids: missing.map((r) => index.ids[r]), vectors, map, fitted: rows.length };
  };
  return { user: one('user'), item: one('item') };
}
