// A model file opened but not yet interpreted: its format, manifest JSON and tensor table,
// with the checksum verified. Format 2 is safetensors with wasmrec's manifest in
// `__metadata__` (docs/model-file.md); format 1 is the container of wasmrec 0.1.

import { crc32 } from './crc32.js';
import type { ModelDocument } from './document.js';
import { isLegacyContainer, openLegacyContainer } from './model-file-v1.js';
import { ModelFileError } from './model-file-error.js';
import { dataOrder, encodeSafetensors, looksLikeSafetensors, parseSafetensors, readTensor, type NamedTensor, type SafetensorsFile } from './safetensors.js';
import { WASMREC_VERSION } from '../version.js';

export const MODEL_FORMAT = 'wasmrec-model';
/** The `library` field of the metadata: which wasmrec wrote the file. */
export const LIBRARY = `wasmrec ${WASMREC_VERSION}`;
/** The `format` of a user tower file (./user-tower-file.ts). */
export const USER_TOWER_FORMAT = 'wasmrec-user-tower';
/** The format `serializeModel` writes; 1 was wasmrec 0.1's own container. */
export const MODEL_FORMAT_VERSION = 2;

export type { ModelDocument } from './document.js';

/**
 * Opens a model file of either format: checks its layout and checksum and parses the
 * manifest. Allocates nothing but the manifest.
 */
export function openModelDocument(bytes: Uint8Array): ModelDocument {
  if (isLegacyContainer(bytes)) return openLegacyContainer(bytes);
  if (!looksLikeSafetensors(bytes)) throw new ModelFileError('not a wasmrec model file (neither a safetensors file nor the container of wasmrec 0.1)');
  const file = parseSafetensors(bytes);
  const meta = file.metadata;
  if (meta.format === USER_TOWER_FORMAT) throw new ModelFileError('a user tower (wasmrec export --what user-tower), not a model: load it with loadUserTower');
  if (meta.format !== MODEL_FORMAT) throw new ModelFileError(`a safetensors file but not a wasmrec model (its __metadata__ has format ${JSON.stringify(meta.format ?? null)}, expected "${MODEL_FORMAT}")`);
  const version = Number(meta.format_version);
  if (Number.isInteger(version) && version > MODEL_FORMAT_VERSION) {
    throw new ModelFileError(`written by a newer wasmrec (${meta.library ?? 'unknown version'}, model format ${version}); this wasmrec ${WASMREC_VERSION} reads formats 1 and ${MODEL_FORMAT_VERSION}`);
  }
  if (version !== MODEL_FORMAT_VERSION) throw new ModelFileError(`damaged metadata: format_version is ${JSON.stringify(meta.format_version ?? null)}`);
  const manifest = checkedManifest(bytes, file);
  return { formatVersion: 2, manifest, tensors: file.tensors, read: (entry) => readTensor(bytes, file, entry) };
}

/**
 * Writes a format-2 file: the tensors in safetensors layout, the manifest and a CRC-32 of
 * the manifest's UTF-8 bytes followed by the data buffer in `__metadata__`.
 */
export function encodeModelDocument(manifest: object, tensors: readonly NamedTensor[], rootKind: string): Uint8Array {
  return encodeManifestFile(manifest, tensors, { format: MODEL_FORMAT, format_version: String(MODEL_FORMAT_VERSION), library: LIBRARY, model_kind: rootKind });
}

/**
 * A safetensors file whose `__metadata__` holds `fields` (format, version, library), the manifest
 * JSON and a CRC-32 of the manifest's UTF-8 bytes followed by the data buffer: the layout of
 * model files and of the files derived from them (a user tower).
 */
export function encodeManifestFile(manifest: object, tensors: readonly NamedTensor[], fields: Record<string, string>): Uint8Array {
  const text = JSON.stringify(manifest);
  let sum = crc32(new TextEncoder().encode(text));
  for (const t of dataOrder(tensors)) sum = crc32(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), sum);
  return encodeSafetensors(tensors, { ...fields, manifest: text, checksum: checksumText(sum) });
}

/** The manifest JSON of a file `encodeManifestFile` wrote, after its checksum is verified. */
export function checkedManifest(bytes: Uint8Array, file: SafetensorsFile): unknown {
  const meta = file.metadata;
  if (typeof meta.manifest !== 'string' || typeof meta.checksum !== 'string') throw new ModelFileError('damaged metadata: no manifest or checksum');
  const manifestBytes = new TextEncoder().encode(meta.manifest);
  const sum = crc32(bytes.subarray(file.dataStart), crc32(manifestBytes));
  if (meta.checksum !== checksumText(sum)) throw new ModelFileError(`damaged: checksum mismatch (the file says ${meta.checksum.slice(0, 20)}, its contents give ${checksumText(sum)})`);
  try {
    return JSON.parse(meta.manifest);
  } catch (err) {
    throw new ModelFileError(`damaged manifest: ${(err as Error).message}`);
  }
}

function checksumText(sum: number): string {
  return `crc32:${sum.toString(16).padStart(8, '0')}`;
}
