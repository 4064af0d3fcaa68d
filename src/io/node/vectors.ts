// Precomputed vectors from files (Node): a .npy array or a safetensors tensor with an id list,
// or a CSV of `id, x0, x1, …`; joined to the data set's users or items (data/vectors.ts) for
// the `vector` feature.

import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Dataset } from '../../data/dataset.js';
import { DataError } from '../../data/errors.js';
import { parseNpy, type Matrix } from '../../data/npy.js';
import { decode } from '../../data/text.js';
import { parseVectorCsv, withVectors } from '../../data/vectors.js';
import { ModelFileError } from '../model-file-error.js';
import { parseSafetensors, readTensor } from '../safetensors.js';
import { causeOf } from './fs-errors.js';

export interface VectorFileOptions {
  /** The ids of the rows, in order (.npy and safetensors): given, or read from `idsFile` (one per line). */
  ids?: readonly string[];
  idsFile?: string;
  /** safetensors: the tensor to read (default: the only 2-D float tensor). */
  tensor?: string;
}

export type { VectorFile } from '../../data/vectors.js';
import type { VectorFile } from '../../data/vectors.js';

async function bytesOf(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    throw new DataError(basename(path), 0, '', `cannot read ${path}: ${causeOf(err)}`);
  }
}

/** Reads vectors and their ids from .npy, .safetensors or .csv/.tsv (first column the id). */
export async function readVectorFile(path: string, options: VectorFileOptions = {}): Promise<VectorFile> {
  const file = basename(path);
  const bytes = await bytesOf(path);
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.tsv') return parseVectorCsv(decode(bytes, 'utf-8').text, file);
  const { matrix, metadataIds } = ext === '.npy' ? { matrix: parseNpy(bytes, file), metadataIds: null } : safetensorsMatrix(bytes, file, options.tensor);
  const ids = options.ids ? [...options.ids] : options.idsFile ? idLines(decode(await bytesOf(options.idsFile), 'utf-8').text) : metadataIds;
  if (!ids) throw new DataError(file, 0, 'ids', 'vectors need their ids: pass ids or idsFile (one id per line, in row order), or a safetensors file with an `ids` JSON list in its metadata');
  if (ids.length !== matrix.rows) throw new DataError(options.idsFile ? basename(options.idsFile) : file, 0, 'ids', `${ids.length} ids for ${matrix.rows} vectors`);
  return { ids, matrix };
}

/** The data set with the vectors of `path` joined to its users or items as `name[k]` columns. */
export async function addVectorFile(dataset: Dataset, side: 'user' | 'item', name: string, path: string, options: VectorFileOptions = {}): Promise<Dataset> {
  const { ids, matrix } = await readVectorFile(path, options);
  return withVectors(dataset, side, name, ids, matrix, basename(path));
}

const idLines = (text: string) => text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');

/** The tensor, and the row ids when the metadata carries them as a JSON list `ids` (as `wasmrec embed` writes). */
function safetensorsMatrix(bytes: Uint8Array, file: string, name?: string): { matrix: Matrix; metadataIds: string[] | null } {
  try {
    const st = parseSafetensors(bytes);
    const floats = [...st.tensors].filter(([, t]) => (t.dtype === 'F32' || t.dtype === 'F64') && t.shape.length === 2);
    const chosen = name ? floats.find(([n]) => n === name) : floats.length === 1 ? floats[0] : undefined;
    if (!chosen) throw new DataError(file, 0, 'tensor', name ? `no 2-D float tensor '${name}' (it has ${[...st.tensors.keys()].join(', ')})` : `${floats.length} 2-D float tensors: name one (${floats.map(([n]) => n).join(', ')})`);
    const [, t] = chosen;
    const values = readTensor(bytes, st, t);
    const data = Float32Array.from(values as ArrayLike<number>);
    const bad = data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new DataError(file, 0, chosen[0], `row ${Math.floor(bad / t.shape[1])}, column ${bad % t.shape[1]} is not finite`);
    return { matrix: { rows: t.shape[0], cols: t.shape[1], data }, metadataIds: idsOf(st.metadata.ids, file) };
  } catch (err) {
    if (err instanceof ModelFileError) throw new DataError(file, 0, 'safetensors', err.message);
    throw err;
  }
}

function idsOf(json: string | undefined, file: string): string[] | null {
  if (json === undefined) return null;
  let ids: unknown;
  try {
    ids = JSON.parse(json);
  } catch {
    throw new DataError(file, 0, 'ids', 'the metadata entry `ids` is not JSON');
  }
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) throw new DataError(file, 0, 'ids', 'the metadata entry `ids` is not a list of strings');
  return ids;
}
