// Tower outputs of a two-tower net trained elsewhere (PyTorch, TorchRec, Keras / TF
// Recommenders), as one safetensors file by a documented convention
// (docs/model-file.md, "Importing tower outputs"; examples/export-two-tower.py writes it):
// `user_vectors` [U, K] and `item_vectors` [I, K], optionally `user_bias` [U] and
// `item_bias` [I], F32 or F64; metadata `user_ids` and `item_ids` (JSON lists of strings),
// optionally `global_mean`. No Node API.

import type { FactorTables } from './factor-model.js';
import { ModelFileError } from './model-file-error.js';
import { parseSafetensors, readTensor, type SafetensorsFile } from './safetensors.js';

/**
 * The factor tables of a tower-outputs file, checked: shapes agree with the id lists, ids
 * are unique strings, values finite (mfFromFactors checks those). Errors name the tensor or key.
 *
 * @example
 * const model = mfFromFactors(backend, readTowerVectors(bytes));
 */
export function readTowerVectors(bytes: Uint8Array): FactorTables {
  const file = parseSafetensors(bytes);
  const ids = (key: string): string[] => {
    const text = file.metadata[key];
    if (text === undefined) throw new ModelFileError(`metadata '${key}' is missing (a JSON list of the ids, in row order)`);
    let list: unknown;
    try {
      list = JSON.parse(text);
    } catch {
      throw new ModelFileError(`metadata '${key}' is not JSON`);
    }
    if (!Array.isArray(list) || !list.every((id) => typeof id === 'string' && id !== '')) throw new ModelFileError(`metadata '${key}' must be a list of non-empty strings`);
    if (new Set(list).size !== list.length) throw new ModelFileError(`metadata '${key}' repeats an id`);
    return list;
  };
  const userIds = ids('user_ids');
  const itemIds = ids('item_ids');
  const users = floats(bytes, file, 'user_vectors', [userIds.length, null], true)!;
  const K = users.shape[1];
  const items = floats(bytes, file, 'item_vectors', [itemIds.length, K], true)!;
  const userBias = floats(bytes, file, 'user_bias', [userIds.length], false);
  const itemBias = floats(bytes, file, 'item_bias', [itemIds.length], false);
  const known = new Set(['user_vectors', 'item_vectors', 'user_bias', 'item_bias']);
  for (const name of file.tensors.keys()) if (!known.has(name)) throw new ModelFileError(`tensor '${name}' is not part of the convention (user_vectors, item_vectors, user_bias, item_bias)`);
  const mean = file.metadata.global_mean;
  const globalMean = mean === undefined ? 0 : Number(mean);
  if (!Number.isFinite(globalMean)) throw new ModelFileError(`metadata 'global_mean' is ${JSON.stringify(mean)}, not a number`);
  return { userIds, itemIds, userFactors: users.values, itemFactors: items.values, factors: K, globalMean, userBias: userBias?.values, itemBias: itemBias?.values };
}

function floats(bytes: Uint8Array, file: SafetensorsFile, name: string, shape: (number | null)[], required: boolean): { values: Float32Array; shape: number[] } | null {
  const t = file.tensors.get(name);
  if (!t) {
    if (required) throw new ModelFileError(`tensor '${name}' is missing`);
    return null;
  }
  const fits = t.shape.length === shape.length && shape.every((d, k) => d === null || d === t.shape[k]);
  if ((t.dtype !== 'F32' && t.dtype !== 'F64') || !fits || (shape.length === 2 && t.shape[1] < 1)) {
    throw new ModelFileError(`tensor '${name}' is ${t.dtype} [${t.shape}]; expected F32 or F64 [${shape.map((d) => d ?? 'K')}]`);
  }
  return { values: Float32Array.from(readTensor(bytes, file, t) as Float32Array | Float64Array), shape: t.shape };
}
