// Vectors with their ids as bytes in the three forms `readVectorFile` reads back: an
// `id,name[0],…` CSV, a .npy float32 array (ids in a text file beside it) or a safetensors
// tensor (ids likewise, and in the metadata). What `wasmrec embed` writes.
import { encodeSafetensors } from './safetensors.js';

export type VectorFormat = 'csv' | 'npy' | 'safetensors';

/**
 * `id,name[0],…,name[d-1]` then one row per id: the header names the columns the way the
 * `vector` feature finds them (data/vectors.ts), so the file also works as a feature table.
 * Floats are written with 9 significant digits, enough to read back the same float32.
 *
 * @example
 * encodeVectorCsv(['a'], Float32Array.of(0.5, 1), 2, 'item2vec'); // 'id,item2vec[0],item2vec[1]\na,0.5,1\n'
 */
export function encodeVectorCsv(ids: readonly string[], vectors: Float32Array, dim: number, name: string): string {
  checkShape(ids, vectors, dim);
  checkCsvIds(ids);
  const lines = [['id', ...Array.from({ length: dim }, (_, k) => `${name}[${k}]`)].join(',')];
  const row: string[] = new Array(dim + 1);
  ids.forEach((id, r) => {
    row[0] = id;
    for (let k = 0; k < dim; k++) row[k + 1] = floatText(vectors[r * dim + k]);
    lines.push(row.join(','));
  });
  return lines.join('\n') + '\n';
}

/** A version 1.0 .npy of a rows × dim little-endian float32 array in C order. */
export function encodeNpyF32(vectors: Float32Array, rows: number, dim: number): Uint8Array {
  return encodeNpy(vectors, rows, dim);
}

/**
 * A version 1.0 .npy of a rows × dim array in C order: float32 (`<f4`), half floats given as
 * their bits (`<f2`) or int8 (`|i1`), little-endian.
 *
 * @example
 * encodeNpy(Int8Array.of(1, -2), 1, 2); // NumPy reads int8 [[1, -2]]
 */
export function encodeNpy(values: Float32Array | Uint16Array | Int8Array, rows: number, dim: number): Uint8Array {
  if (rows * dim !== values.length) throw new Error(`npy: ${values.length} values are not ${rows} × ${dim}`);
  const descr = values instanceof Float32Array ? '<f4' : values instanceof Uint16Array ? '<f2' : '|i1';
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${rows}, ${dim}), }`;
  // Magic (6) + version (2) + length (2) + header + '\n' is padded to a multiple of 64, as NumPy does.
  const pad = (64 - ((10 + header.length + 1) % 64)) % 64;
  header += ' '.repeat(pad) + '\n';
  const out = new Uint8Array(10 + header.length + values.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let k = 0; k < header.length; k++) out[10 + k] = header.charCodeAt(k);
  const data = new DataView(out.buffer, 10 + header.length);
  if (values instanceof Float32Array) for (let k = 0; k < values.length; k++) data.setFloat32(4 * k, values[k], true);
  else if (values instanceof Uint16Array) for (let k = 0; k < values.length; k++) data.setUint16(2 * k, values[k], true);
  else out.set(new Uint8Array(values.buffer, values.byteOffset, values.length), 10 + header.length);
  return out;
}

/** A safetensors file with one F32 tensor `name` of shape [rows, dim]; the ids go in the metadata as JSON. */
export function encodeVectorSafetensors(ids: readonly string[], vectors: Float32Array, dim: number, name: string, metadata: Record<string, string> = {}): Uint8Array {
  checkShape(ids, vectors, dim);
  return encodeSafetensors([{ name, data: vectors, shape: [ids.length, dim] }], { ...metadata, ids: JSON.stringify(ids) });
}

/** The ids file that goes beside a .npy or .safetensors: one id per line, in row order. */
export function encodeIdLines(ids: readonly string[]): string {
  const bad = ids.findIndex((id) => /[\r\n]/.test(id) || id.trim() !== id || id === '');
  if (bad >= 0) throw new Error(`ids file: id ${JSON.stringify(ids[bad])} (row ${bad}) is empty, spans lines or has surrounding space`);
  return ids.join('\n') + '\n';
}

/** The shortest of the 9-significant-digit forms; -0 keeps its sign. */
export const floatText = (v: number) => (Object.is(v, -0) ? '-0' : String(Number(v.toPrecision(9))));

/** Ids a CSV row can start with: non-empty, no separator or line break, no surrounding space. */
export function checkCsvIds(ids: readonly string[]): void {
  const bad = ids.findIndex((id) => /[,\t\r\n]/.test(id) || id.trim() !== id || id === '');
  if (bad >= 0) throw new Error(`vectors CSV: id ${JSON.stringify(ids[bad])} (row ${bad}) is empty or holds a separator or surrounding space; write .npy or .safetensors instead`);
}

function checkShape(ids: readonly string[], vectors: Float32Array, dim: number): void {
  if (ids.length * dim !== vectors.length) throw new Error(`vectors: ${vectors.length} values for ${ids.length} ids of width ${dim}`);
}
