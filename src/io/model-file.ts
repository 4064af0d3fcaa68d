// Saving a trained model with everything serving needs in one file (safetensors with a
// wasmrec manifest, docs/model-file.md), and loading it back so that it predicts exactly what
// the saved model did. Loading is safe on untrusted bytes: every size, index and value is
// checked before the backend allocates (no Node API: works in browsers too).

import type { Backend } from '../backends/index.js';
import type { Recommender } from '../models/recommender.js';
import type { FeaturePipeline } from '../preprocessing/pipeline.js';
import { buildPlannedModel } from './model-build.js';
import { openModelDocument } from './model-document.js';
import { ModelFileError } from './model-file-error.js';
import { checkModelFile } from './model-read.js';
import { writeModelFile } from './model-write.js';

export { ModelFileError } from './model-file-error.js';
export { itemTitlesOf } from '../data/titles.js';

/** What a model file keeps besides the model (all optional when saving). */
export interface ModelExtras {
  /** The fitted feature pipeline (default: `model.pipeline`): cold-start encoding after loading. */
  pipeline?: FeaturePipeline | null;
  /** Item titles by raw id, for showing recommendations (see `itemTitlesOf`). */
  itemTitles?: Record<string, string> | null;
  /** Free-form JSON-able notes (data description, split, metrics). */
  info?: Record<string, unknown>;
}

/** A loaded file: the model (with `pipeline` and `trainingItems` restored) and the extras. */
export interface LoadedModel {
  model: Recommender;
  itemTitles: Record<string, string> | null;
  info: Record<string, unknown>;
}

/** How a model file is read. */
export interface ReadModelOptions {
  /**
   * Most backend memory (bytes) the loaded model may take; a file that needs more fails with a
   * ModelFileError before anything is allocated. Default: DEFAULT_MAX_MODEL_BYTES plus 4 × the
   * file's size (a model's parameters take about twice their saved bytes, with gradients).
   */
  maxBytes?: number;
  /** How errors name the file (default 'model file'; loadModel passes the path). */
  source?: string;
}

/** The part of the default memory budget that does not scale with the file: 256 MiB. */
export const DEFAULT_MAX_MODEL_BYTES = 256 * 2 ** 20;

/**
 * The model, its id indexes, each user's training items, its feature pipeline and item
 * titles as one safetensors file (the tensor names are listed in docs/model-file.md).
 * Throws (a plain Error) for a model that cannot be saved: untrained, or with non-finite
 * parameters.
 *
 * @example
 * const bytes = serializeModel(model, { itemTitles: itemTitlesOf(dataset) });
 * const copy = await deserializeModel(bytes, backend); // predicts exactly as `model`
 */
export function serializeModel(model: Recommender, extras: ModelExtras = {}): Uint8Array {
  return writeModelFile(model, {
    pipeline: extras.pipeline === undefined ? model.pipeline : extras.pipeline,
    itemTitles: extras.itemTitles === undefined ? model.itemTitles : extras.itemTitles,
    info: extras.info ?? {},
  });
}

/**
 * Rebuilds a saved model on `backend` (any backend: parameters are plain f32).
 *
 * @example
 * const model = await deserializeModel(bytes, await createBackend('wasm'), { maxBytes: 64 * 2 ** 20 });
 * model.predictIds(['196'], ['242']);
 */
export async function deserializeModel(bytes: Uint8Array, backend: Backend, options: ReadModelOptions = {}): Promise<Recommender> {
  return (await readModelBytes(bytes, backend, options)).model;
}

/**
 * Like `deserializeModel`, also returning the item titles and info saved with the model.
 * Whatever the bytes, it either returns a model whose sizes, indices and values were all
 * checked, or throws a ModelFileError and leaves the backend's memory as it found it.
 *
 * @example
 * const { model, itemTitles } = await readModelBytes(upload, backend, { source: 'upload.wasmrec' });
 */
export async function readModelBytes(bytes: Uint8Array, backend: Backend, options: ReadModelOptions = {}): Promise<LoadedModel> {
  const source = options.source ?? 'model file';
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_MODEL_BYTES + 4 * bytes.length;
  if (!(maxBytes > 0)) throw new RangeError(`readModelBytes: maxBytes must be a positive number, got ${maxBytes}`);
  try {
    const file = checkModelFile(openModelDocument(bytes));
    if (file.plan.bytes > maxBytes) {
      throw new ModelFileError(`loading it would take ${mib(file.plan.bytes)} of backend memory, more than the ${mib(maxBytes)} allowed (the maxBytes option)`);
    }
    const model = buildPlannedModel(file.plan, file.state, backend, file.indexes, file.features);
    model.trainingItems = file.trainingItems;
    model.itemTitles = file.itemTitles;
    model.pipeline = file.pipeline;
    return { model, itemTitles: file.itemTitles, info: file.info };
  } catch (err) {
    // Every check throws a ModelFileError; anything else is a gap in them, still reported as the file's fault.
    if (err instanceof ModelFileError) throw new ModelFileError(`${source}: ${err.message}`);
    throw new ModelFileError(`${source}: cannot be loaded: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }
}

/**
 * @deprecated Use `readModelBytes` (the name says it takes bytes; `loadModelFile` takes a path).
 */
export async function readModelFile(bytes: Uint8Array, backend: Backend, source = 'model file'): Promise<LoadedModel> {
  return readModelBytes(bytes, backend, { source });
}


function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
