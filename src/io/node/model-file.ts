// Model files on disk (Node): whole-or-nothing writes, loading on any backend.

import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createBackend, type Backend } from '../../backends/index.js';
import type { Recommender } from '../../models/recommender.js';
import { readModelBytes, serializeModel, type LoadedModel, type ModelExtras, type ReadModelOptions } from '../model-file.js';
import { fileError } from './fs-errors.js';

/**
 * Writes `bytes` to `path` whole or not at all: into a temporary file in the same folder
 * (so the rename cannot cross file systems), renamed over `path` at the end. A failure
 * leaves any previous file at `path` untouched and removes the temporary file.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.partial-${randomBytes(6).toString('hex')}`);
  try {
    await writeFile(tmp, bytes, { flag: 'wx' });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    // The error names the temporary file; the user knows only `path`.
    throw fileError('cannot write', path, err);
  }
}

/**
 * Saves a trained model (with its pipeline, id indexes, training items and `extras`) to
 * one file, atomically.
 *
 * @example
 * await saveModel('mf.wasmrec', model, { itemTitles: itemTitlesOf(dataset) });
 */
export async function saveModel(path: string, model: Recommender, extras: ModelExtras = {}): Promise<void> {
  await writeFileAtomic(path, serializeModel(model, extras));
}

/**
 * Loads a model file on `backend` (default: a new wasm backend). Safe on files from
 * untrusted sources: see `readModelBytes` and `options.maxBytes`.
 *
 * @example
 * const model = await loadModel('mf.wasmrec');
 * model.recommend(model.indexes.userIndex.get('196'), 10);
 */
export async function loadModel(path: string, backend?: Backend, options: Omit<ReadModelOptions, 'source'> = {}): Promise<Recommender> {
  return (await loadModelFile(path, backend, options)).model;
}

/**
 * Like `loadModel`, also returning the item titles and info saved with the model; errors
 * name the file.
 *
 * @example
 * const { model, itemTitles } = await loadModelFile('tt.wasmrec', backend, { maxBytes: 2 ** 28 });
 */
export async function loadModelFile(path: string, backend?: Backend, options: Omit<ReadModelOptions, 'source'> = {}): Promise<LoadedModel> {
  const bytes = await readFile(path);
  return readModelBytes(bytes, backend ?? (await createBackend('wasm')), { ...options, source: path });
}
