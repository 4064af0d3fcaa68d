// Test helpers: read a model file by the safetensors spec alone (no code of src/io), edit its
// header, manifest or tensor values, and write it back with a valid checksum (node:zlib's
// CRC-32), so that an edit reaches the checks behind the checksum.
import { crc32 } from 'node:zlib';

export type Dtype = 'F64' | 'F32' | 'I32' | 'U8';
export interface SpecTensor {
  dtype: Dtype;
  shape: number[];
  data_offsets: [number, number];
}
export interface SpecFile {
  header: Record<string, unknown> & { __metadata__: Record<string, string> };
  data: Uint8Array;
}

const SIZES: Record<Dtype, number> = { F64: 8, F32: 4, I32: 4, U8: 1 };
const CTORS = { F64: Float64Array, F32: Float32Array, I32: Int32Array, U8: Uint8Array } as const;

/**
 * Parses by the spec and checks its rules as safetensors' own reader does: header size within
 * the file, JSON object, dtype/shape/data_offsets per tensor, sizes matching, offsets
 * contiguous from 0 and covering the data buffer. Throws a plain Error naming the rule.
 */
export function readSpec(bytes: Uint8Array): SpecFile {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (8 + n > bytes.length) throw new Error('spec: header size beyond the file');
  if (n > 100_000_000) throw new Error('spec: header too large');
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  if (!text.startsWith('{')) throw new Error('spec: header must start with {');
  const header = JSON.parse(text);
  const data = bytes.slice(8 + n);
  const entries = Object.entries(header).filter(([k]) => k !== '__metadata__') as [string, SpecTensor][];
  for (const [name, t] of entries) {
    if (!(t.dtype in SIZES)) throw new Error(`spec: ${name} dtype`);
    const elements = t.shape.reduce((a, b) => a * b, 1);
    if (elements * SIZES[t.dtype] !== t.data_offsets[1] - t.data_offsets[0]) throw new Error(`spec: ${name} size`);
  }
  entries.sort(([, a], [, b]) => a.data_offsets[0] - b.data_offsets[0] || a.data_offsets[1] - b.data_offsets[1]);
  let at = 0;
  for (const [name, t] of entries) {
    if (t.data_offsets[0] !== at) throw new Error(`spec: ${name} not contiguous`);
    at = t.data_offsets[1];
  }
  if (at !== data.length) throw new Error('spec: data not covered');
  const meta = header.__metadata__;
  if (meta && !Object.values(meta).every((v) => typeof v === 'string')) throw new Error('spec: metadata values must be strings');
  return { header, data };
}

/** The tensor's values as a view on `file.data` (writes edit the file). */
export function tensorOf(file: SpecFile, name: string): Float64Array | Float32Array | Int32Array | Uint8Array {
  const t = file.header[name] as SpecTensor;
  if (!t) throw new Error(`no tensor ${name}`);
  const [begin, end] = t.data_offsets;
  return new CTORS[t.dtype](file.data.buffer as ArrayBuffer, file.data.byteOffset + begin, (end - begin) / SIZES[t.dtype]);
}

/** wasmrec's checksum: CRC-32 of the manifest's UTF-8 bytes, then of the data buffer. */
export function checksumOf(manifest: string, data: Uint8Array): string {
  return `crc32:${crc32(data, crc32(Buffer.from(manifest, 'utf8'))).toString(16).padStart(8, '0')}`;
}

/** Writes the file back (header padded with spaces to 8-byte alignment); `reseal` recomputes the checksum. */
export function writeSpec(file: SpecFile, reseal = true): Uint8Array {
  const meta = file.header.__metadata__;
  if (reseal && meta && typeof meta.manifest === 'string') meta.checksum = checksumOf(meta.manifest, file.data);
  const json = Buffer.from(JSON.stringify(file.header), 'utf8');
  const n = Math.ceil((8 + json.length) / 8) * 8 - 8;
  const out = new Uint8Array(8 + n + file.data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + n);
  out.set(file.data, 8 + n);
  return out;
}

/** Edits the manifest (parsed) and/or tensors of a model file, then reseals it. */
export function editModel(bytes: Uint8Array, edit: (manifest: any, tensor: (name: string) => ReturnType<typeof tensorOf>, file: SpecFile) => void): Uint8Array {
  const file = readSpec(bytes);
  const manifest = JSON.parse(file.header.__metadata__.manifest);
  edit(manifest, (name) => tensorOf(file, name), file);
  file.header.__metadata__.manifest = JSON.stringify(manifest);
  return writeSpec(file);
}
