// The binary container of a model file: magic, version, a JSON header and 8-byte aligned raw
// tensors, with a CRC-32 so that a truncated or damaged file fails with a clear error.
//
// Layout (little-endian):
//   0  8 bytes  magic "WASMREC\x01"
//   8  u32      container version (CONTAINER_VERSION)
//  12  u32      header length in bytes (UTF-8 JSON)
//  16  u32      CRC-32 of every byte after offset 20
//  20  header JSON, zero-padded to a multiple of 8
//      tensor data: each tensor at an 8-byte aligned offset from the start of the data

import type { StateTensor } from '../models/state.js';

export const MODEL_FILE_MAGIC = Uint8Array.of(0x57, 0x41, 0x53, 0x4d, 0x52, 0x45, 0x43, 0x01); // "WASMREC\x01"
export const CONTAINER_VERSION = 1;
const PREFIX_BYTES = 20;
const ALIGN = 8;

export type TensorDtype = 'f32' | 'f64' | 'i32' | 'u8';

/** Where a tensor lives in the data section. */
export interface TensorRef {
  dtype: TensorDtype;
  /** Byte offset from the start of the data section. */
  offset: number;
  /** Number of elements. */
  length: number;
}

/** A model file that cannot be read: not one, truncated, damaged or from a newer wasmrec. */
export class ModelFileError extends Error {
  override readonly name = 'ModelFileError';
}

const CTORS = { f32: Float32Array, f64: Float64Array, i32: Int32Array, u8: Uint8Array } as const;

function dtypeOf(t: StateTensor): TensorDtype {
  if (t instanceof Float32Array) return 'f32';
  if (t instanceof Float64Array) return 'f64';
  if (t instanceof Int32Array) return 'i32';
  return 'u8';
}

function assertLittleEndian(): void {
  // Tensors are written as the host lays them out; every engine wasmrec targets is little-endian.
  if (new Uint8Array(Uint16Array.of(1).buffer)[0] !== 1) throw new ModelFileError('model files need a little-endian host');
}

/** Collects tensors for one file; `add` returns the reference to put in the header. */
export class TensorWriter {
  private readonly parts: Uint8Array[] = [];
  private bytes = 0;

  add(t: StateTensor): TensorRef {
    const offset = this.bytes;
    const raw = new Uint8Array(t.buffer, t.byteOffset, t.byteLength);
    const padded = Math.ceil(raw.length / ALIGN) * ALIGN;
    this.parts.push(raw);
    if (padded > raw.length) this.parts.push(new Uint8Array(padded - raw.length));
    this.bytes += padded;
    return { dtype: dtypeOf(t), offset, length: t.length };
  }

  /** The whole file: prefix, `header` as JSON (plus `dataBytes`, the data section's size), then the tensors. */
  finish(header: object): Uint8Array {
    assertLittleEndian();
    const json = new TextEncoder().encode(JSON.stringify({ ...header, dataBytes: this.bytes }));
    const headerPadded = Math.ceil((PREFIX_BYTES + json.length) / ALIGN) * ALIGN - PREFIX_BYTES;
    const out = new Uint8Array(PREFIX_BYTES + headerPadded + this.bytes);
    out.set(MODEL_FILE_MAGIC, 0);
    const view = new DataView(out.buffer);
    view.setUint32(8, CONTAINER_VERSION, true);
    view.setUint32(12, json.length, true);
    out.set(json, PREFIX_BYTES);
    let at = PREFIX_BYTES + headerPadded;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    view.setUint32(16, crc32(out, PREFIX_BYTES), true);
    return out;
  }
}

/** A parsed file: its header and a reader of the tensors it references. */
export interface ParsedContainer {
  header: Record<string, unknown>;
  tensor(ref: unknown, what: string): StateTensor;
}

/** Checks magic, version, lengths and checksum, and parses the header. */
export function parseContainer(bytes: Uint8Array, source = 'model file'): ParsedContainer {
  assertLittleEndian();
  if (bytes.length < PREFIX_BYTES || !MODEL_FILE_MAGIC.every((b, k) => bytes[k] === b)) {
    throw new ModelFileError(`${source} is not a wasmrec model file (it does not start with the WASMREC signature)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== CONTAINER_VERSION) throw new ModelFileError(`${source} has model file version ${version}; this wasmrec reads version ${CONTAINER_VERSION}`);
  const headerLength = view.getUint32(12, true);
  const dataStart = Math.ceil((PREFIX_BYTES + headerLength) / ALIGN) * ALIGN;
  if (dataStart > bytes.length) throw new ModelFileError(`${source} is truncated: its header needs ${dataStart} bytes, the file has ${bytes.length}`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength)));
  } catch (err) {
    throw new ModelFileError(`${source} has a damaged header: ${(err as Error).message}`);
  }
  const dataBytes = Number(header?.dataBytes);
  if (dataStart + dataBytes !== bytes.length) {
    const how = dataStart + dataBytes > bytes.length ? 'is truncated' : 'has trailing bytes';
    throw new ModelFileError(`${source} ${how}: expected ${dataStart + dataBytes} bytes, found ${bytes.length}`);
  }
  if (crc32(bytes, PREFIX_BYTES) !== view.getUint32(16, true)) throw new ModelFileError(`${source} is damaged: checksum mismatch`);
  const tensor = (ref: unknown, what: string): StateTensor => {
    const r = ref as TensorRef;
    const ctor = r && CTORS[r.dtype];
    const size = ctor ? ctor.BYTES_PER_ELEMENT : 0;
    if (!ctor || !Number.isInteger(r.offset) || !Number.isInteger(r.length) || r.offset < 0 || r.length < 0 || r.offset % size !== 0 || r.offset + r.length * size > dataBytes) {
      throw new ModelFileError(`${source}: tensor '${what}' has an invalid reference ${JSON.stringify(ref)}`);
    }
    // A copy: the caller's bytes may sit at any alignment (Node pools small Buffers), and a
    // Buffer's slice() is a view, so copy explicitly.
    const start = dataStart + r.offset;
    const copy = new Uint8Array(r.length * size);
    copy.set(bytes.subarray(start, start + copy.length));
    return new ctor(copy.buffer);
  };
  return { header, tensor };
}

let crcTable: Uint32Array | null = null;

/** CRC-32 (IEEE 802.3, as in zip and PNG) of bytes[from..]. */
export function crc32(bytes: Uint8Array, from = 0): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = from; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
