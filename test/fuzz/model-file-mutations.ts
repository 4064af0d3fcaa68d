// Mutations of real model files for the property tests: raw bytes, tensor values, safetensors
// header entries, metadata and manifest fields (numbers to huge/negative/NaN/strings, lists to
// objects, deleted keys, own "__proto__" keys), truncation. All but the raw-byte ones reseal
// the checksum, so that they reach the checks behind it.
import fc from 'fast-check';
import { crc32 } from 'node:zlib';
import { readSpec, tensorOf, writeSpec, type SpecTensor } from '../io/model-file-edit.js';

/** Values a JSON field is replaced by. */
const ODD_JSON: unknown[] = [
  1e300, -1e300, 1e6, 2 ** 31, 2 ** 53 + 2, -1, -0, 0, 0.5, 1, 2, 'NaN', 'Infinity', '', 'x', null, true, false,
  [], {}, [1e9], [-1], [[]], { length: 1e9 }, 'user', '__proto__', 'constructor', 'toString',
];
/** Values a tensor element is set to. */
const ODD_NUMBERS = [NaN, Infinity, -Infinity, -1, 0x7f7fffff, 2 ** 31 - 1, -(2 ** 31), 1e30, -1e30, 2, 255, 0, 1, 3.5];

export type Mutation =
  | { kind: 'bytes'; ops: { at: number; op: 'flip' | 'set' | 'insert' | 'delete'; value: number }[] }
  | { kind: 'truncate'; at: number }
  | { kind: 'append'; bytes: number[] }
  | { kind: 'tensor'; pick: number; at: number; value: number }
  | { kind: 'entry'; pick: number; field: 'dtype' | 'shape' | 'begin' | 'end' | 'rename' | 'swap' | 'delete'; delta: number }
  | { kind: 'metadata'; key: 'format' | 'format_version' | 'manifest' | 'checksum' | 'library'; change: 'delete' | 'odd' | 'cut' }
  | { kind: 'json'; pick: number; change: 'replace' | 'delete' | 'toObject' | 'wrap' | 'proto' | 'duplicate'; value: number };

const nat = fc.nat({ max: 1 << 30 });

/** Every kind of mutation, weighted towards the ones that reach past the checksum. */
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bytes' as const), ops: fc.array(fc.record({ at: nat, op: fc.constantFrom('flip' as const, 'set' as const, 'insert' as const, 'delete' as const), value: fc.nat({ max: 255 }) }), { minLength: 1, maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: nat }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('append' as const), bytes: fc.array(fc.nat({ max: 255 }), { minLength: 1, maxLength: 16 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('tensor' as const), pick: nat, at: nat, value: fc.nat({ max: ODD_NUMBERS.length - 1 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('entry' as const), pick: nat, field: fc.constantFrom('dtype' as const, 'shape' as const, 'begin' as const, 'end' as const, 'rename' as const, 'swap' as const, 'delete' as const), delta: fc.integer({ min: -64, max: 64 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('metadata' as const), key: fc.constantFrom('format' as const, 'format_version' as const, 'manifest' as const, 'checksum' as const, 'library' as const), change: fc.constantFrom('delete' as const, 'odd' as const, 'cut' as const) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('json' as const), pick: nat, change: fc.constantFrom('replace' as const, 'delete' as const, 'toObject' as const, 'wrap' as const, 'proto' as const, 'duplicate' as const), value: fc.nat({ max: ODD_JSON.length - 1 }) }) },
);

type Path = (string | number)[];

/** Paths to every value of a JSON document (long lists sampled: their first and last three items). */
export function jsonPaths(doc: unknown, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(doc)) {
    const keys = doc.length > 6 ? [0, 1, 2, doc.length - 3, doc.length - 2, doc.length - 1] : doc.map((_, k) => k);
    for (const k of keys) jsonPaths(doc[k], [...path, k], out);
  } else if (doc && typeof doc === 'object') {
    for (const [k, v] of Object.entries(doc)) jsonPaths(v, [...path, k], out);
  }
  return out;
}

/** Applies `change` at `path` of a JSON document (returns the new root). */
export function mutateJSON(root: unknown, path: Path, change: Extract<Mutation, { kind: 'json' }>['change'], valueIndex: number): unknown {
  const odd = structuredClone(ODD_JSON[valueIndex]);
  if (path.length === 0) return change === 'replace' ? odd : change === 'wrap' ? [root] : root;
  const parent = path.slice(0, -1).reduce<any>((o, k) => o[k], root);
  const key = path[path.length - 1];
  const value = parent[key];
  switch (change) {
    case 'replace':
      parent[key] = odd;
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      break;
    case 'toObject':
      parent[key] = Array.isArray(value) ? { ...value } : value && typeof value === 'object' ? Object.values(value) : String(value);
      break;
    case 'wrap':
      parent[key] = [value];
      break;
    case 'proto':
      // An own "__proto__" key, as JSON.parse makes it.
      if (value && typeof value === 'object' && !Array.isArray(value)) Object.defineProperty(value, '__proto__', { value: odd, enumerable: true, writable: true, configurable: true });
      else parent[key] = odd;
      break;
    case 'duplicate':
      if (Array.isArray(value)) value.push(structuredClone(value[0]));
      else parent[key] = typeof value === 'number' ? value * 2 + 1 : value;
      break;
  }
  return root;
}

/** A format-2 file mutated by `m` (deterministic in m). */
export function mutateSafetensors(original: Uint8Array, m: Mutation, paths: Path[]): Uint8Array {
  const raw = mutateRaw(original, m);
  if (raw) return raw;
  const file = readSpec(original);
  const meta = file.header.__metadata__;
  const names = Object.keys(file.header).filter((k) => k !== '__metadata__');
  if (m.kind === 'tensor') {
    const t = tensorOf(file, names[m.pick % names.length]);
    if (t.length > 0) t[m.at % t.length] = ODD_NUMBERS[m.value];
  } else if (m.kind === 'entry') {
    const name = names[m.pick % names.length];
    const e = file.header[name] as SpecTensor;
    const other = file.header[names[(m.pick + 1) % names.length]] as SpecTensor;
    if (m.field === 'dtype') e.dtype = (['F64', 'F32', 'I32', 'U8'] as const)[Math.abs(m.delta) % 4];
    else if (m.field === 'shape') e.shape = m.delta % 3 === 0 ? [...e.shape, 1] : e.shape.map((d, k) => (k === 0 ? Math.max(0, d + m.delta) : d));
    else if (m.field === 'begin') e.data_offsets[0] += m.delta;
    else if (m.field === 'end') e.data_offsets[1] += m.delta;
    else if (m.field === 'swap') [e.data_offsets, other.data_offsets] = [other.data_offsets, e.data_offsets];
    else if (m.field === 'rename') {
      file.header[`${name}~`] = e;
      delete file.header[name];
    } else delete file.header[name];
  } else if (m.kind === 'metadata') {
    if (m.change === 'delete') delete meta[m.key];
    else if (m.change === 'odd') meta[m.key] = m.key === 'format_version' ? '7' : 'x';
    else meta[m.key] = meta[m.key]?.slice(0, Math.floor((meta[m.key]?.length ?? 0) / 2));
    return writeSpec(file, m.key !== 'checksum');
  } else if (m.kind === 'json') {
    const manifest = JSON.parse(meta.manifest);
    const path = paths[m.pick % paths.length];
    meta.manifest = JSON.stringify(mutateJSON(manifest, path, m.change, m.value)) ?? 'null';
  }
  return writeSpec(file);
}

/** A wasmrec 0.1 file mutated by `m`: header JSON fields (tensor references included), tensor values or raw bytes; CRC recomputed except for raw bytes. */
export function mutateLegacy(original: Uint8Array, m: Mutation, paths: Path[]): Uint8Array {
  const raw = mutateRaw(original, m);
  if (raw) return raw;
  const view = new DataView(original.buffer, original.byteOffset, original.byteLength);
  const headerLength = view.getUint32(12, true);
  let header = JSON.parse(new TextDecoder().decode(original.subarray(20, 20 + headerLength)));
  const data = original.slice(Math.ceil((20 + headerLength) / 8) * 8);
  if (m.kind === 'json') header = mutateJSON(header, paths[m.pick % paths.length], m.change, m.value);
  else if (m.kind === 'tensor' && data.length >= 4) new DataView(data.buffer).setFloat32((m.at % (data.length >> 2)) * 4, ODD_NUMBERS[m.value], true);
  const json = new TextEncoder().encode(JSON.stringify(header) ?? 'null');
  const start = Math.ceil((20 + json.length) / 8) * 8;
  const out = new Uint8Array(start + data.length);
  out.set(original.subarray(0, 12));
  new DataView(out.buffer).setUint32(12, json.length, true);
  out.set(json, 20);
  out.set(data, start);
  new DataView(out.buffer).setUint32(16, crc32(out.subarray(20)), true);
  return out;
}

function mutateRaw(original: Uint8Array, m: Mutation): Uint8Array | null {
  if (m.kind === 'truncate') return original.slice(0, m.at % original.length);
  if (m.kind === 'append') return Uint8Array.from([...original, ...m.bytes]);
  if (m.kind !== 'bytes') return null;
  let bytes = Array.from(original);
  for (const { at, op, value } of m.ops) {
    const k = at % Math.max(1, bytes.length);
    if (op === 'flip') bytes[k] ^= 1 << (value & 7);
    else if (op === 'set') bytes[k] = value;
    else if (op === 'insert') bytes = [...bytes.slice(0, k), value, ...bytes.slice(k)];
    else bytes.splice(k, 1);
  }
  return Uint8Array.from(bytes);
}
