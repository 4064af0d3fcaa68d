// Precomputed vectors (image, audio or language-model embeddings computed upstream) joined to
// a data set's users or items as numeric columns `name[0]` … `name[d-1]`, which the `vector`
// feature reads (preprocessing/spec.ts).

import type { Column, Dataset, EntityTable } from './dataset.js';
import { DataError } from './errors.js';
import type { Matrix } from './npy.js';

/** Vectors with the ids of their rows. */
export interface VectorFile {
  ids: string[];
  matrix: Matrix;
}

/** The column holding dimension `k` of the vectors `name`. */
export const vectorColumn = (name: string, k: number) => `${name}[${k}]`;

/**
 * The data set with each listed id's vector as columns of the user or item table (created
 * when the data set has none); ids the data does not know are counted in a warning, entities
 * without a vector get missing values (encoded as zeros).
 *
 * @example
 * const withClip = withVectors(dataset, 'item', 'clip', ids, parseNpy(bytes, 'clip.npy'), 'clip.npy');
 */
export function withVectors(dataset: Dataset, side: 'user' | 'item', name: string, ids: readonly string[], m: Matrix, file: string): Dataset {
  if (ids.length !== m.rows) throw new DataError(file, 0, 'ids', `${ids.length} ids for ${m.rows} vectors`);
  const index = side === 'user' ? dataset.userIndex : dataset.itemIndex;
  const old: EntityTable = (side === 'user' ? dataset.users : dataset.items) ?? { ids: [...index.ids], columns: {} };
  const rowOf = new Map(old.ids.map((id, r) => [id, r]));
  const columns: Column[] = Array.from({ length: m.cols }, () => ({ kind: 'number', values: new Float64Array(old.ids.length).fill(NaN) }));
  const seen = new Set<string>();
  let unknown = 0;
  ids.forEach((id, r) => {
    if (seen.has(id)) throw new DataError(file, 0, 'ids', `id ${JSON.stringify(id)} has two vectors (rows ${ids.indexOf(id)} and ${r})`);
    seen.add(id);
    const row = rowOf.get(id);
    if (row === undefined) return void unknown++;
    for (let k = 0; k < m.cols; k++) (columns[k].values as Float64Array)[row] = m.data[r * m.cols + k];
  });
  const table: EntityTable = { ...old, columns: { ...old.columns, ...Object.fromEntries(columns.map((c, k) => [vectorColumn(name, k), c])) } };
  const warnings = unknown > 0 ? [...dataset.report.warnings, `${file}: ${unknown} of ${ids.length} vectors belong to ${side}s the data does not have; not used`] : dataset.report.warnings;
  return { ...dataset, [side === 'user' ? 'users' : 'items']: table, report: { ...dataset.report, warnings } };
}

/** `id, x0, x1, …` per line, an optional header (a first row whose second field is not a number). */
export function parseVectorCsv(text: string, file: string): VectorFile {
  const lines = text.split(/\r?\n/);
  const sep = lines[0]?.includes('\t') ? '\t' : ',';
  const ids: string[] = [];
  const values: number[] = [];
  let cols = -1;
  lines.forEach((line, k) => {
    if (line.trim() === '') return;
    const fields = line.split(sep);
    if (k === 0 && fields.length > 1 && Number.isNaN(Number(fields[1]))) return; // header
    if (fields.length < 2) throw new DataError(file, k + 1, '2', 'missing (a vector needs an id and at least one number)');
    if (cols < 0) cols = fields.length - 1;
    if (fields.length - 1 !== cols) throw new DataError(file, k + 1, String(Math.min(fields.length, cols + 1) + 1), `this row has ${fields.length - 1} numbers, the first had ${cols}`);
    ids.push(fields[0].trim());
    for (let j = 1; j < fields.length; j++) {
      const v = Number(fields[j]);
      if (fields[j].trim() === '' || !Number.isFinite(v) || Math.abs(v) > 3.4e38) throw new DataError(file, k + 1, String(j + 1), `${JSON.stringify(fields[j].slice(0, 32))} is not a finite number`);
      values.push(v);
    }
  });
  if (ids.length === 0) throw new DataError(file, 0, '', 'no vectors');
  return { ids, matrix: { rows: ids.length, cols, data: Float32Array.from(values) } };
}
