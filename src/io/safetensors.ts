// The safetensors layout (https://github.com/huggingface/safetensors): an unsigned 64-bit
// little-endian header size N, N bytes of UTF-8 JSON naming each tensor's dtype, shape and
// byte range, then the tensors' bytes, contiguous. Nothing wasmrec-specific lives here.

import type { StateTensor } from '../models/state.js';
import { ModelFileError } from './model-file-error.js';

export type SafetensorsDtype = 'F64' | 'F32' | 'I32' | 'U8';

/** Bytes per element of each dtype wasmrec writes. */
export const DTYPE_BYTES: Record<SafetensorsDtype, number> = { F64: 8, F32: 4, I32: 4, U8: 1 };

/** What safetensors' own reader accepts at most (its MAX_HEADER_SIZE). */
export const MAX_HEADER_BYTES = 100_000_000;

const CTORS = { F64: Float64Array, F32: Float32Array, I32: Int32Array, U8: Uint8Array } as const;
const OPEN_BRACE = 0x7b;
const SPACE = 0x20;

/** One tensor of a file: dtype, shape and its byte range in the data buffer (after the header). */
export interface TensorEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

/** A tensor to write: its name, values and shape (the product of the shape is its length). */
export interface NamedTensor {
  name: string;
  data: StateTensor;
  shape: number[];
}

/** A parsed file: `__metadata__` (string → string), the tensors by name, and where the data starts. */
export interface SafetensorsFile {
  metadata: Record<string, string>;
  tensors: Map<string, TensorEntry>;
  dataStart: number;
}

export function dtypeOf(t: StateTensor): SafetensorsDtype {
  if (t instanceof Float64Array) return 'F64';
  if (t instanceof Float32Array) return 'F32';
  if (t instanceof Int32Array) return 'I32';
  return 'U8';
}

function assertLittleEndian(): void {
  // Tensors are copied as the host lays them out; every engine wasmrec targets is little-endian.
  if (new Uint8Array(Uint16Array.of(1).buffer)[0] !== 1) throw new ModelFileError('model files need a little-endian host');
}

/**
 * The bytes of a safetensors file. Tensors are laid out widest dtype first (as safetensors'
 * own writer does), so each starts at a multiple of its element size; the header is padded
 * with spaces so that the data starts at a multiple of 8.
 *
 * @example
 * const bytes = encodeSafetensors([{ name: 'w', data: Float32Array.of(1, 2), shape: [2] }], { note: 'x' });
 */
export function encodeSafetensors(tensors: readonly NamedTensor[], metadata: Record<string, string>): Uint8Array {
  assertLittleEndian();
  const ordered = dataOrder(tensors);
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of ordered) {
    if (t.name === '__metadata__' || Object.hasOwn(header, t.name)) throw new Error(`safetensors: tensor name '${t.name}' is reserved or repeated`);
    if (t.shape.reduce((a, b) => a * b, 1) !== t.data.length) throw new Error(`safetensors: tensor '${t.name}' has ${t.data.length} values, its shape [${t.shape}] says otherwise`);
    header[t.name] = { dtype: dtypeOf(t.data), shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = Math.ceil((8 + json.length) / 8) * 8 - 8;
  if (headerBytes > MAX_HEADER_BYTES) throw new Error(`safetensors: the header would take ${headerBytes} bytes, more than the format's ${MAX_HEADER_BYTES}`);
  const out = new Uint8Array(8 + headerBytes + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes), true);
  out.set(json, 8);
  out.fill(SPACE, 8 + json.length, 8 + headerBytes);
  let at = 8 + headerBytes;
  for (const t of ordered) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

/** The tensors in the order their bytes follow each other in the file: widest dtype first, else as given. */
export function dataOrder(tensors: readonly NamedTensor[]): NamedTensor[] {
  return tensors.map((t, k) => ({ t, k })).sort((a, b) => b.t.data.BYTES_PER_ELEMENT - a.t.data.BYTES_PER_ELEMENT || a.k - b.k).map(({ t }) => t);
}

/** Whether `bytes` start like a safetensors file: a size field, then the header's '{'. */
export function looksLikeSafetensors(bytes: Uint8Array): boolean {
  return bytes.length > 8 && bytes[8] === OPEN_BRACE;
}

/**
 * Reads and checks a safetensors header by the format's rules, allocating nothing for the
 * tensors: the header fits in the file, is a JSON object; every tensor has a known dtype,
 * a shape of non-negative integers and a byte range of exactly shape × dtype bytes; the
 * ranges are contiguous, do not overlap and cover the data buffer exactly.
 */
export function parseSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (bytes.length < 8) throw new ModelFileError(`too short for a safetensors file (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const high = view.getUint32(4, true);
  const size = view.getUint32(0, true) + high * 2 ** 32;
  if (high !== 0 || size > bytes.length - 8) throw new ModelFileError(`truncated or damaged: its header claims ${size} bytes, the file has ${bytes.length - 8} after the size field`);
  if (size > MAX_HEADER_BYTES) throw new ModelFileError(`header of ${size} bytes, more than safetensors allows (${MAX_HEADER_BYTES})`);
  if (bytes[8] !== OPEN_BRACE) throw new ModelFileError('not a safetensors file (no JSON header after the size field)');
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + size)));
  } catch (err) {
    throw new ModelFileError(`damaged header: ${(err as Error).message}`);
  }
  if (!isPlainObject(header)) throw new ModelFileError('damaged header: not a JSON object');
  const dataStart = 8 + size;
  const dataBytes = bytes.length - dataStart;
  let metadata: Record<string, string> = {};
  const tensors = new Map<string, TensorEntry>();
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (!isPlainObject(value) || !Object.values(value).every((v) => typeof v === 'string')) throw new ModelFileError('damaged header: __metadata__ must map strings to strings');
      metadata = value as Record<string, string>;
    } else {
      tensors.set(name, tensorEntry(name, value, dataBytes));
    }
  }
  checkCoverage(tensors, dataBytes);
  return { metadata, tensors, dataStart };
}

function tensorEntry(name: string, value: unknown, dataBytes: number): TensorEntry {
  const bad = (why: string) => new ModelFileError(`damaged header: tensor '${name}' ${why}`);
  if (!isPlainObject(value)) throw bad('is not an object');
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof dtype !== 'string' || !Object.hasOwn(DTYPE_BYTES, dtype)) throw bad(`has dtype ${JSON.stringify(dtype)} (wasmrec writes ${Object.keys(DTYPE_BYTES).join(', ')})`);
  if (!Array.isArray(shape) || !shape.every(isCount)) throw bad('has a shape that is not a list of non-negative integers');
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1]) throw bad(`has data_offsets ${JSON.stringify(offsets)}`);
  if (offsets[1] > dataBytes) throw new ModelFileError(`truncated: tensor '${name}' ends at byte ${offsets[1]} of the data, the file has ${dataBytes}`);
  const size = DTYPE_BYTES[dtype as SafetensorsDtype];
  let elements = 1;
  for (const d of shape as number[]) elements *= d;
  if (elements * size !== offsets[1] - offsets[0]) throw bad(`has shape [${shape}] of ${dtype} but ${offsets[1] - offsets[0]} bytes`);
  return { dtype: dtype as SafetensorsDtype, shape: shape as number[], begin: offsets[0], end: offsets[1] };
}

function checkCoverage(tensors: Map<string, TensorEntry>, dataBytes: number): void {
  const ranges = [...tensors].sort(([, a], [, b]) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const [name, t] of ranges) {
    if (t.begin !== at) throw new ModelFileError(`damaged header: tensor '${name}' starts at byte ${t.begin} of the data, expected ${at} (${t.begin < at ? 'overlap' : 'gap'})`);
    at = t.end;
  }
  if (at !== dataBytes) throw new ModelFileError(`trailing bytes: ${dataBytes - at} after the last tensor (extended or damaged)`);
}

/** A copy of a tensor's values (the file's bytes may sit at any alignment). */
export function readTensor(bytes: Uint8Array, file: SafetensorsFile, t: TensorEntry): StateTensor {
  // Not bytes.slice(): on a Node Buffer that is a view, not a copy.
  const copy = new Uint8Array(t.end - t.begin);
  copy.set(bytes.subarray(file.dataStart + t.begin, file.dataStart + t.end));
  return new CTORS[t.dtype](copy.buffer);
}

function isCount(v: unknown): v is number {
  return Number.isSafeInteger(v) && (v as number) >= 0;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
