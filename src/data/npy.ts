// NumPy's .npy format (version 1–3), the 2-D float arrays precomputed embeddings come in:
// magic, version, a little-endian header length, a Python-dict header, then the raw data.
// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html

import { DataError } from './errors.js';

export interface Matrix {
  rows: number;
  cols: number;
  /** rows × cols, row-major. */
  data: Float32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/**
 * Reads a 2-D little-endian float32 or float64 array in C order (float64 is rounded to
 * float32); anything else fails naming the file, the byte offset and what is wrong.
 *
 * @example
 * const { rows, cols, data } = parseNpy(new Uint8Array(await (await fetch('clip.npy')).arrayBuffer()), 'clip.npy');
 */
export function parseNpy(bytes: Uint8Array, file: string): Matrix {
  const fail = (offset: number, field: string, problem: string) => new DataError(file, 0, field, `at byte ${offset}: ${problem}`);
  if (bytes.length < 10 || MAGIC.some((b, k) => bytes[k] !== b)) throw fail(0, 'magic', 'not a .npy file (it must start with \\x93NUMPY)');
  const major = bytes[6];
  if (major < 1 || major > 3) throw fail(6, 'version', `unknown .npy version ${major}.${bytes[7]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenBytes;
  if (start + headerLen > bytes.length) throw fail(8, 'header', `the header claims ${headerLen} bytes, the file has ${bytes.length - start} after it`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw fail(start, 'header', `not a .npy header dict: ${JSON.stringify(header.slice(0, 80))}`);
  if (descr !== '<f4' && descr !== '<f8') throw fail(start, 'dtype', `dtype ${descr} is not float32 or float64 (little-endian '<f4' or '<f8')`);
  if (fortran === 'True') throw fail(start, 'fortran_order', 'Fortran-ordered arrays are not read: save with np.ascontiguousarray');
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  if (shape.length !== 2 || !shape.every((n) => Number.isInteger(n) && n >= 0)) throw fail(start, 'shape', `shape (${shapeText}) is not 2-D (one vector per row)`);
  const [rows, cols] = shape;
  const width = descr === '<f4' ? 4 : 8;
  const dataStart = start + headerLen;
  const expected = rows * cols * width;
  if (bytes.length - dataStart !== expected) throw fail(dataStart, 'data', `shape (${rows}, ${cols}) of ${descr} needs ${expected} bytes, the file has ${bytes.length - dataStart}`);
  const data = new Float32Array(rows * cols);
  for (let k = 0; k < data.length; k++) {
    const v = width === 4 ? view.getFloat32(dataStart + 4 * k, true) : view.getFloat64(dataStart + 8 * k, true);
    if (!Number.isFinite(v) || Math.abs(v) > 3.4e38) throw fail(dataStart + width * k, 'data', `row ${Math.floor(k / cols)}, column ${k % cols}: ${v} is not a finite float32`);
    data[k] = v;
  }
  return { rows, cols, data };
}
