// The feature pipeline saved in a model file: its JSON checked before FeaturePipeline.fromJSON
// (which trusts it), and the rebuilt pipeline checked to encode new entities exactly as the
// model's features are laid out, with finite values.

import { FeaturePipeline, type FeaturePipelineJSON } from '../preprocessing/pipeline.js';
import { parseFeatureSpec, type FeatureDef } from '../preprocessing/spec.js';
import { statColumns } from '../preprocessing/stats.js';
import { ModelFileError } from './model-file-error.js';
import type { SideShape } from './plan-types.js';
import { isPlainObject } from './safetensors.js';

const get = (o: unknown, key: string): unknown => (isPlainObject(o) && Object.hasOwn(o, key) ? o[key] : undefined);
const fail = (path: string, what: string): never => {
  throw new ModelFileError(`manifest field pipeline.${path} ${what}`);
};
const isList = (v: unknown, item: (x: unknown) => boolean): boolean => Array.isArray(v) && v.every(item);
const isString = (x: unknown) => typeof x === 'string';
const isNumberOrNull = (x: unknown) => x === null || (typeof x === 'number' && Number.isFinite(x));

/**
 * The saved pipeline as a FeaturePipeline, after checking its JSON; `features` are the
 * model's encoded columns, which the pipeline's encoding of a new entity must match.
 */
export function pipelineFromJSON(json: unknown, features: readonly { user: SideShape; item: SideShape }[]): FeaturePipeline {
  if (get(json, 'version') !== 1) fail('version', `must be 1, got ${JSON.stringify(get(json, 'version'))}`);
  let spec;
  try {
    spec = parseFeatureSpec(get(json, 'spec'));
  } catch (err) {
    return fail('spec', `is invalid: ${(err as Error).message}`);
  }
  for (const side of ['user', 'item'] as const) checkSide(get(json, side), spec[side], side);
  const interaction = get(json, 'interaction');
  if (!isList(interaction, isPlainObject) || (interaction as unknown[]).length !== (spec.interaction ?? []).length) fail('interaction', 'must hold one object per interaction feature');
  (interaction as unknown[]).forEach((p, k) => checkScaler(p, 1, `interaction[${k}]`));
  const pipeline = FeaturePipeline.fromJSON(json as FeaturePipelineJSON);
  for (const side of ['user', 'item'] as const) {
    const unknown = pipeline.encodeRows(side, []);
    if (!unknown.continuous.every(Number.isFinite)) fail(side, 'encodes the unknown entity with non-finite values');
    for (const f of features) {
      const own = f[side];
      const same =
        unknown.contNames.join('\u0000') === own.contNames.join('\u0000') &&
        sameColumns(unknown.categorical, own.categorical) &&
        sameColumns(unknown.multi, own.multi);
      if (!same) fail(side, "does not encode the model's feature columns (names or cardinalities differ)");
    }
  }
  return pipeline;
}

function sameColumns(a: readonly { name: string; cardinality: number }[], b: readonly { name: string; cardinality: number }[]): boolean {
  return a.length === b.length && a.every((c, k) => c.name === b[k].name && c.cardinality === b[k].cardinality);
}

function checkSide(s: unknown, defs: FeatureDef[], side: string): void {
  const table = get(s, 'table');
  const ids = get(table, 'ids');
  if (!isList(ids, isString)) fail(`${side}.table.ids`, 'must be a list of strings');
  const rows = (ids as string[]).length;
  const columns = get(table, 'columns');
  if (!isPlainObject(columns)) fail(`${side}.table.columns`, 'must be an object');
  for (const [name, col] of Object.entries(columns as object)) {
    const kind = get(col, 'kind');
    const values = get(col, 'values');
    const item = kind === 'number' ? isNumberOrNull : kind === 'string' ? (x: unknown) => x === null || isString(x) : kind === 'multi' ? (x: unknown) => isList(x, isString) : null;
    if (!item || !isList(values, item) || (values as unknown[]).length !== rows) fail(`${side}.table.columns.${name}`, `must be a number, string or multi column of ${rows} values`);
  }
  const stats = get(s, 'stats');
  const statIds = get(stats, 'ids');
  if (!isList(statIds, isString) || !isList(get(stats, 'values'), (v) => isList(v, isNumberOrNull)) || (get(stats, 'values') as unknown[]).length !== (statIds as unknown[]).length) {
    fail(`${side}.stats`, 'must hold ids and one list of statistics per id');
  }
  if (!isList(get(stats, 'cold'), isNumberOrNull)) fail(`${side}.stats.cold`, 'must be a list of numbers or nulls');
  const params = get(s, 'params');
  if (!isList(params, isPlainObject) || (params as unknown[]).length !== defs.length) fail(`${side}.params`, `must hold one object per feature (${defs.length})`);
  defs.forEach((def, k) => checkParams((params as unknown[])[k], def, `${side}.params[${k}]`));
}

/** What fitting stored for each kind of feature (preprocessing/side.ts, fitSide). */
function checkParams(p: unknown, def: FeatureDef, path: string): void {
  const vocab = () => {
    if (!isList(get(p, 'vocab'), isString)) fail(`${path}.vocab`, 'must be a list of strings');
  };
  switch (def.type) {
    case 'continuous':
      return checkScaler(p, 1, path);
    case 'both':
      checkScaler(p, 1, path);
      return vocab();
    case 'bucket':
      return def.edges ? undefined : vocab();
    case 'categorical':
    case 'multi':
      return vocab();
    case 'vector':
      return def.normalize === 'standard' ? checkScaler(p, def.dim, path) : undefined;
    case 'text':
      // Hashed text fits nothing; a vocabulary (buckets: 0) is its token list.
      return def.buckets === 0 ? vocab() : undefined;
    case 'stats':
      return checkScaler(p, statColumns(def.stats).length, path);
    case 'graph': {
      if (def.aggregate !== 'gcn') return;
      const degrees = get(p, 'degrees');
      if (!isList(degrees, (x) => Number.isSafeInteger(x) && (x as number) >= 0) || (degrees as number[]).length !== (get(p, 'vocab') as unknown[] | undefined)?.length) {
        fail(`${path}.degrees`, 'must be one count (an integer ≥ 0) per id of the vocab');
      }
    }
  }
}

/** `n` means and `n` standard deviations, finite, the deviations > 0 (they divide). */
function checkScaler(p: unknown, n: number, path: string): void {
  const mean = get(p, 'mean');
  const std = get(p, 'std');
  const finite = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
  if (!isList(mean, finite) || (mean as number[]).length < n) fail(`${path}.mean`, `must be ${n} finite number(s)`);
  if (!isList(std, (x) => finite(x) && (x as number) > 0) || (std as number[]).length < n) fail(`${path}.std`, `must be ${n} finite number(s) > 0`);
}
