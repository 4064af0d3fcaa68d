// Predicting (user, item) pairs given by raw ids, including ids the model has never seen:
// they are scored from feature rows (the pipeline's tables or extra ones), else as unknown.

import type { EntityTable } from '../data/dataset.js';
import type { RawRow } from '../preprocessing/derive.js';
import type { Side } from '../preprocessing/spec.js';
import type { RawTableJSON } from '../preprocessing/table.js';
import type { EntityRef, Recommender } from './recommender.js';

/** Feature rows for ids outside the model's indexes, in the CSV loader's table form. */
export interface ExtraFeatureTables {
  user?: EntityTable;
  item?: EntityTable;
}

/** One side of the pairs: dense indices, and for ids not in the index, rows of encoded features. */
interface SideRefs {
  dense: Int32Array;
  /** Per pair: row in `features` for a new id, -1 for a known one. */
  newRow: Int32Array;
  features: Extract<EntityRef, { features: unknown }>['features'] | null;
}

/**
 * Predicted ratings of (userIds[r], itemIds[r]). Ids in the model's indexes go through the
 * model as usual (unseen-in-training ones through their features and the unknown id); other
 * ids are encoded by `model.pipeline` from their row in `extra` or in the pipeline's own
 * tables, and without any row as an all-unknown entity: a finite prediction, never an error.
 *
 * @example
 * predictRawPairs(model, ['196', 'newcomer'], ['242', '242'], { user: parseFeatureTable('user,age\nnewcomer,30\n') });
 */
export function predictRawPairs(model: Recommender, userIds: readonly string[], itemIds: readonly string[], extra: ExtraFeatureTables = {}): Float32Array {
  if (userIds.length !== itemIds.length) throw new Error('predictRawPairs: userIds and itemIds differ in length');
  const u = sideRefs(model, 'user', userIds, extra.user);
  const i = sideRefs(model, 'item', itemIds, extra.item);
  const out = new Float32Array(userIds.length);
  // Four groups: an EntityRef is either all dense indices or all feature rows.
  for (const userNew of [false, true]) {
    for (const itemNew of [false, true]) {
      const pairs: number[] = [];
      for (let r = 0; r < out.length; r++) if ((u.newRow[r] >= 0) === userNew && (i.newRow[r] >= 0) === itemNew) pairs.push(r);
      if (pairs.length === 0) continue;
      const pred = model.predictEntities(refOf(u, pairs, userNew), refOf(i, pairs, itemNew));
      pairs.forEach((r, k) => (out[r] = pred[k]));
    }
  }
  return out;
}

function refOf(s: SideRefs, pairs: number[], isNew: boolean): EntityRef {
  if (!isNew) return Int32Array.from(pairs, (r) => s.dense[r]);
  return { features: s.features!, rows: Int32Array.from(pairs, (r) => s.newRow[r]) };
}

function sideRefs(model: Recommender, side: Side, ids: readonly string[], extra: EntityTable | undefined): SideRefs {
  const index = side === 'user' ? model.indexes.userIndex : model.indexes.itemIndex;
  const dense = Int32Array.from(ids, (id) => index.get(String(id)));
  const newRow = new Int32Array(ids.length).fill(-1);
  const pipeline = model.pipeline;
  // Without a pipeline (MF, baselines) a new id is simply unknown (-1).
  if (!pipeline || dense.every((v) => v >= 0)) return { dense, newRow, features: null };
  const rowOf = new Map<string, number>();
  const rows: RawRow[] = [];
  const own = pipeline.toJSON()[side].table;
  const ownRow = new Map(own.ids.map((id, r) => [id, r]));
  const extraRow = new Map(extra?.ids.map((id, r) => [id, r]) ?? []);
  ids.forEach((id, r) => {
    if (dense[r] >= 0) return;
    let k = rowOf.get(id);
    if (k === undefined) {
      k = rows.length;
      rowOf.set(id, k);
      // The model file's own rows first; the extra tables add ids the file does not have.
      const fromOwn = ownRow.get(id);
      const fromExtra = extraRow.get(id);
      rows.push(fromOwn !== undefined ? rawRowOfJSON(own, fromOwn) : fromExtra !== undefined ? rawRowOfTable(extra!, fromExtra) : {});
    }
    newRow[r] = k;
  });
  return { dense, newRow, features: pipeline.encodeRows(side, rows) };
}

function rawRowOfJSON(table: RawTableJSON, r: number): RawRow {
  const row: RawRow = {};
  for (const [name, col] of Object.entries(table.columns)) row[name] = col.values[r] ?? null;
  return row;
}

/** A feature table's row as raw cells (NaN → missing). */
export function rawRowOfTable(table: EntityTable, r: number): RawRow {
  const row: RawRow = {};
  for (const [name, col] of Object.entries(table.columns)) {
    const v = col.values[r];
    row[name] = typeof v === 'number' && Number.isNaN(v) ? null : v;
  }
  return row;
}
