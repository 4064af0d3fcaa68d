// A `graph` feature (a side graph's links as rows of the side's own id table): fitting the
// degrees GCN's normalisation needs, and encoding each entity's links with their weights.

import type { EncodedMulti } from './encoded.js';
import { asLabels, type RawValue } from './derive.js';
import { featureName, type GraphFeature } from './spec.js';

/** An entity as the graph reads it: its id (when known) and its cells. */
interface EntityView {
  id?: string;
  cell(column: string): RawValue;
}

/** What fitting a graph feature keeps: the side's ids in index order, and the degrees for GCN. */
interface FittedGraph {
  vocab?: string[];
  degrees?: number[];
}

/** The id-table rows of an entity's links that the index knows, each once. */
function knownLinks(def: GraphFeature, row: ReadonlyMap<string, number>, e: EntityView): number[] {
  const out: number[] = [];
  for (const id of new Set(asLabels(e.cell(def.column)))) {
    const k = row.get(id);
    if (k !== undefined) out.push(k);
  }
  return out;
}

/** Each indexed entity's count of known links among `entities` (the training ones); 0 for the others. */
export function graphDegrees(def: GraphFeature, entities: EntityView[], indexIds: readonly string[]): number[] {
  const row = new Map(indexIds.map((id, k) => [id, k]));
  const degrees = new Array<number>(indexIds.length).fill(0);
  for (const e of entities) {
    const k = e.id === undefined ? undefined : row.get(e.id);
    if (k !== undefined) degrees[k] = knownLinks(def, row, e).length;
  }
  return degrees;
}

/**
 * CSR id-table rows of each entity's links (their positions in the fitted index); links to
 * ids the index does not have are left out, and an entity without links gets the unknown
 * row (index size), so that pooling never divides by zero. With `aggregate: 'gcn'` each
 * link carries GCN's weight 1/√((d_u + 1)(d_v + 1)) (the unknown row: 1).
 */
export function encodeGraph(def: GraphFeature, p: FittedGraph, entities: EntityView[]): EncodedMulti {
  const indexIds = p.vocab!;
  const row = new Map(indexIds.map((id, k) => [id, k]));
  const offsets = new Int32Array(entities.length + 1);
  const ids: number[] = [];
  const weights: number[] = [];
  entities.forEach((e, r) => {
    const links = knownLinks(def, row, e);
    for (const k of links) {
      ids.push(k);
      if (p.degrees) weights.push(1 / Math.sqrt((links.length + 1) * (p.degrees[k] + 1)));
    }
    if (links.length === 0) {
      ids.push(indexIds.length);
      if (p.degrees) weights.push(1);
    }
    offsets[r + 1] = ids.length;
  });
  const gcn = p.degrees ? { weights: Float32Array.from(weights) } : {};
  return { name: featureName(def), cardinality: indexIds.length + 1, offsets, ids: Int32Array.from(ids), of: 'ids', ...gcn };
}
