// Reading the model files of wasmrec 0.1 (format 1): magic "WASMREC\x01", container version,
// header length, CRC-32 of everything after offset 20, a JSON header with tensors given as
// { dtype, offset, length } references, then 8-byte aligned tensor data. The header is
// turned into a format-2 manifest (references become tensor names) and read as one.

import type { ModelDocument } from './document.js';
import { crc32 } from './crc32.js';
import { ModelFileError } from './model-file-error.js';
import { isPlainObject, readTensor, type SafetensorsDtype, type TensorEntry } from './safetensors.js';

const MAGIC = [0x57, 0x41, 0x53, 0x4d, 0x52, 0x45, 0x43, 0x01]; // "WASMREC\x01"
const PREFIX_BYTES = 20;
const DTYPES = new Map<unknown, [SafetensorsDtype, number]>([['f32', ['F32', 4]], ['f64', ['F64', 8]], ['i32', ['I32', 4]], ['u8', ['U8', 1]]]);

/** Whether the bytes start with the 0.1 container's signature. */
export function isLegacyContainer(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && MAGIC.every((b, k) => bytes[k] === b);
}

const get = (o: Record<string, unknown>, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);

/** Checks a 0.1 file's layout and checksum, and presents it as a format-2 document. */
export function openLegacyContainer(bytes: Uint8Array): ModelDocument {
  if (bytes.length < PREFIX_BYTES) throw new ModelFileError(`truncated: ${bytes.length} bytes, a wasmrec 0.1 file has at least ${PREFIX_BYTES}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== 1) throw new ModelFileError(`has container version ${version}; wasmrec 0.1 files have version 1`);
  const headerLength = view.getUint32(12, true);
  const dataStart = Math.ceil((PREFIX_BYTES + headerLength) / 8) * 8;
  if (dataStart > bytes.length) throw new ModelFileError(`truncated: its header needs ${dataStart} bytes, the file has ${bytes.length}`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength)));
  } catch (err) {
    throw new ModelFileError(`damaged header: ${(err as Error).message}`);
  }
  if (!isPlainObject(header) || get(header, 'format') !== 'wasmrec-model') throw new ModelFileError('damaged header: not a wasmrec model header');
  const dataBytes = get(header, 'dataBytes');
  if (!Number.isSafeInteger(dataBytes) || dataStart + (dataBytes as number) !== bytes.length) {
    throw new ModelFileError(`truncated or extended: the header says ${JSON.stringify(dataBytes)} data bytes, the file has ${bytes.length - dataStart}`);
  }
  if (crc32(bytes.subarray(PREFIX_BYTES)) !== view.getUint32(16, true)) throw new ModelFileError('damaged: checksum mismatch');
  const tensors = new Map<string, TensorEntry>();
  const ref = (r: unknown, path: string): string => {
    const o = isPlainObject(r) ? r : {};
    const [dtype, size] = DTYPES.get(get(o, 'dtype')) ?? [];
    const offset = get(o, 'offset') as number;
    const length = get(o, 'length') as number;
    if (!dtype || !Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset % size! !== 0 || offset + length * size! > (dataBytes as number)) {
      throw new ModelFileError(`damaged header: ${path} has an invalid tensor reference ${JSON.stringify(r)?.slice(0, 80)}`);
    }
    const name = `v1:${path}`;
    tensors.set(name, { dtype, shape: [length], begin: offset, end: offset + length * size! });
    return name;
  };
  const manifest = legacyManifest(header, ref);
  const file = { metadata: {}, tensors, dataStart };
  return { formatVersion: 1, manifest, tensors, read: (entry) => readTensor(bytes, file, entry) };
}

type Ref = (r: unknown, path: string) => string;

/** The 0.1 header with references replaced by names; anything malformed is passed on for parseManifest to name. */
function legacyManifest(h: Record<string, unknown>, ref: Ref): Record<string, unknown> {
  const indexes = get(h, 'indexes');
  const features = get(h, 'features');
  const training = get(h, 'trainingItems');
  return {
    model: legacyNode(get(h, 'model'), 'model', ref, 0),
    ids: isPlainObject(indexes) ? { users: get(indexes, 'users'), items: get(indexes, 'items') } : indexes,
    features: Array.isArray(features)
      ? features.map((f, k) => (isPlainObject(f) ? { user: legacySide(get(f, 'user'), `features${k}.user`, ref), item: legacySide(get(f, 'item'), `features${k}.item`, ref) } : f))
      : features,
    trainingItems: isPlainObject(training) ? { offsets: ref(get(training, 'offsets'), 'trainingItems.offsets'), items: ref(get(training, 'items'), 'trainingItems.items') } : training,
    pipeline: get(h, 'pipeline'),
    itemTitles: get(h, 'itemTitles'),
    info: get(h, 'info'),
  };
}

function legacyNode(n: unknown, path: string, ref: Ref, depth: number): unknown {
  if (!isPlainObject(n) || depth > 8) return n;
  const tensors = get(n, 'tensors');
  const members = get(n, 'members');
  return {
    kind: get(n, 'kind'),
    config: get(n, 'config'),
    globalMean: get(n, 'globalMean'),
    tensors: isPlainObject(tensors) ? Object.fromEntries(Object.entries(tensors).map(([key, r]) => [key, ref(r, `${path}.${key}`)])) : tensors,
    features: get(n, 'features'),
    members: Array.isArray(members)
      ? members.map((m, k) => (isPlainObject(m) ? { weight: get(m, 'weight'), model: legacyNode(get(m, 'node'), `${path}.members${k}`, ref, depth + 1) } : m))
      : members,
  };
}

function legacySide(s: unknown, path: string, ref: Ref): unknown {
  if (!isPlainObject(s)) return s;
  const cats = get(s, 'categorical');
  const multi = get(s, 'multi');
  const each = (list: unknown, fn: (o: Record<string, unknown>, k: number) => unknown) => (Array.isArray(list) ? list.map((o, k) => (isPlainObject(o) ? fn(o, k) : o)) : list);
  return {
    n: get(s, 'n'),
    contNames: get(s, 'contNames'),
    continuous: ref(get(s, 'continuous'), `${path}.continuous`),
    categorical: each(cats, (c, k) => ({ name: get(c, 'name'), cardinality: get(c, 'cardinality'), codes: ref(get(c, 'codes'), `${path}.categorical${k}`) })),
    multi: each(multi, (m, k) => ({ name: get(m, 'name'), cardinality: get(m, 'cardinality'), offsets: ref(get(m, 'offsets'), `${path}.multi${k}.offsets`), ids: ref(get(m, 'ids'), `${path}.multi${k}.ids`) })),
  };
}
