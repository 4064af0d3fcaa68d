// Row bookkeeping of the feature models: which id-embedding row and continuous row each
// example reads (unknown ids, id dropout, "as cold" copies), and lookups of the entities a
// prediction names.

import type { Backend } from '../backends/index.js';
import { SideTables } from '../nn/features.js';
import type { EncodedSide } from '../preprocessing/encoded.js';
import type { Rng } from '../random.js';
import type { EntityRef } from './learner.js';
import { knownRows } from './known-rows.js';


/** Rows of an EncodedSide: what a prediction or epoch needs per example. */
export interface Lookup {
  tables: SideTables;
  rows: Int32Array;
  idRows: Int32Array;
}

/** Id-embedding rows: the entity's own when it had training ratings (and survives id dropout), else the unknown row. */
export function idRowsOf(rows: Int32Array, seen: Uint8Array, rng: Rng | null, dropout = 0, canonical: Int32Array | null = null): Int32Array {
  const p = rng ? dropout : 0;
  if (p === 0) return knownRows(rows, seen);
  const out = new Int32Array(rows.length);
  const unknown = seen.length;
  // With `canonical` (BPR laid out per thread), draw in the one-thread row order.
  const order = canonical && p > 0 ? invert(canonical) : null;
  for (let c = 0; c < rows.length; c++) {
    const r = order ? order[c] : c;
    const v = rows[r];
    out[r] = seen[v] === 1 && !(p > 0 && rng!.uniform() < p) ? v : unknown;
  }
  return out;
}

/**
 * The rows `ref` names on one side: known entities (dense indices, out of range = unknown)
 * in the model's own tables `own`, or brand-new ones in tables made from their features
 * (the caller disposes those when they are not `own`).
 */
export function lookupRows(backend: Backend, ref: EntityRef, side: 'user' | 'item', own: SideTables, seen: Uint8Array): Lookup {
  const nKnown = seen.length;
  if (ref instanceof Int32Array) {
    // Out-of-range indices are "unknown": the last feature row, and the unknown id.
    const rows = Int32Array.from(ref, (v) => (v >= 0 && v < nKnown ? v : nKnown));
    return { tables: own, rows, idRows: idRowsOf(rows, seen, null) };
  }
  checkCompatible(ref.features, own.side, side);
  for (const v of ref.rows) if (!(v >= 0 && v < ref.features.n)) throw new Error(`predictFeatures: ${side} row ${v} is outside the given features' ${ref.features.n} rows`);
  return { tables: new SideTables(backend, ref.features), rows: ref.rows, idRows: new Int32Array(ref.rows.length).fill(nKnown) };
}

/** `use` on the lookup of `ref` (lookupRows); the tables it made for new entities are freed after. */
export function withLookup<T>(backend: Backend, ref: EntityRef, side: 'user' | 'item', own: SideTables, seen: Uint8Array, use: (l: Lookup) => T): T {
  const l = lookupRows(backend, ref, side, own, seen);
  try {
    return use(l);
  } finally {
    if (l.tables !== own) l.tables.dispose();
  }
}

/** Brand-new entities' features must have the same columns as the model's. */
function checkCompatible(extra: EncodedSide, own: EncodedSide, side: string): void {
  const same =
    extra.contNames.join('\u0000') === own.contNames.join('\u0000') &&
    extra.categorical.length === own.categorical.length &&
    extra.categorical.every((c, f) => c.name === own.categorical[f].name && c.cardinality === own.categorical[f].cardinality) &&
    extra.multi.length === own.multi.length &&
    extra.multi.every((mf, g) => mf.name === own.multi[g].name && mf.cardinality === own.multi[g].cardinality && mf.recurrentTokens === own.multi[g].recurrentTokens && !mf.weights === !own.multi[g].weights);
  if (!same) throw new Error(`predictFeatures: the new ${side}s' features were not encoded by the model's pipeline (columns or cardinalities differ)`);
}

/** Continuous-table rows: the "as cold" copy (offset rows down) where the id was dropped. */
export function coldRows(rows: Int32Array, idRows: Int32Array, unknownId: number, offset: number): Int32Array {
  if (offset === 0) return rows;
  const out = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) out[r] = idRows[r] === unknownId && rows[r] !== unknownId ? rows[r] + offset : rows[r];
  return out;
}

/** inverse[perm[i]] = i. */
function invert(perm: Int32Array): Int32Array {
  const inverse = new Int32Array(perm.length);
  for (let i = 0; i < perm.length; i++) inverse[perm[i]] = i;
  return inverse;
}

/** col[order[r]] for every r: a column in visiting order. */
export function permute(col: Int32Array, order: Int32Array): Int32Array {
  const out = new Int32Array(order.length);
  for (let r = 0; r < order.length; r++) out[r] = col[order[r]];
  return out;
}

/** permute for a float column. */
export function permuteF32(col: Float32Array, order: Int32Array): Float32Array {
  const out = new Float32Array(order.length);
  for (let r = 0; r < order.length; r++) out[r] = col[order[r]];
  return out;
}
