// The user tower of a two-tower model (dot head) as its own small safetensors file, for
// request-time serving: item vectors go into a nearest-neighbour index, and each request runs
// only this tower. Same layout as a model file (docs/model-file.md, "The user tower alone"),
// with the user side's tensors only; read as untrusted bytes. No Node API.

import type { Backend } from '../backends/index.js';
import { createReferenceBackend } from '../backends/reference/index.js';
import { IdIndex } from '../data/interactions.js';
import type { Recommender } from '../models/recommender.js';
import { TwoTower } from '../models/two-tower.js';
import { twoTowerConfig, type TwoTowerOptions } from '../models/two-tower-options.js';
import { UserTower, type UserTowerParts } from '../models/user-tower.js';
import { checkedManifest, encodeManifestFile, LIBRARY, MODEL_FORMAT, USER_TOWER_FORMAT } from './model-document.js';
import { ModelFileError } from './model-file-error.js';
import { isLegacyContainer } from './model-file-v1.js';
import { parseUserTowerManifest } from './model-manifest.js';
import { readSide, TensorClaims } from './model-read.js';
import { sideJSON, TensorList, tensorName } from './model-write.js';
import { pipelineFromJSON } from './pipeline-json.js';
import { looksLikeSafetensors, parseSafetensors, readTensor } from './safetensors.js';
import { checkValues } from './tensor-checks.js';
import { checkDotHead, NO_FEATURES, planUserTower, userFeatureDims, userSidePipeline } from './user-tower-plan.js';

export { UserTower } from '../models/user-tower.js';

/** The user tower file format this wasmrec writes and reads. */
export const USER_TOWER_FORMAT_VERSION = 1;

/** How a user tower file is loaded. */
export interface LoadUserTowerOptions {
  /** Where the tower runs (default: a new plain-TypeScript backend; one user per request needs no SIMD). */
  backend?: Backend;
  /** How errors name the file (default 'user tower file'). */
  source?: string;
}

/**
 * The user tower of a trained two-tower model with the dot head, as the bytes of a
 * safetensors file: the user side's embeddings, tower layers, biases and encoded features,
 * the user ids and the feature pipeline's user half. No item table goes in. Throws for
 * other kinds and heads, naming why.
 *
 * @example
 * const bytes = serializeUserTower(model); // 150 kB for a MovieLens 100K two-tower whose model file has 891 kB
 * const tower = loadUserTower(bytes);
 */
export function serializeUserTower(model: Recommender): Uint8Array {
  if (!(model instanceof TwoTower)) {
    throw new Error(`serializeUserTower: a '${model.kind}' model has no user tower to serve alone (two-tower models with the 'dot' head do); export its user vectors instead (servingVectors, wasmrec export --what user-vectors)`);
  }
  try {
    checkDotHead(model.config.head);
  } catch (err) {
    throw new Error(`serializeUserTower: ${(err as Error).message}`);
  }
  const state = model.saveState();
  const users = model.features.user;
  const nUsers = model.nUsers;
  const list = new TensorList();
  const features = sideJSON(users, 'features/0/user', list);
  const node = { kind: state.kind, config: { ...state.config, featureDims: userFeatureDims(state.config, users) }, globalMean: state.globalMean, loss: state.loss ?? null, training: null, tensors: new Map(), features: 0, members: null, ranking: null };
  const tensors: Record<string, string> = {};
  for (const t of planUserTower(node, users, nUsers).tensors) {
    const data = t.key === 'userBias' ? Object.entries(state.tensors).find(([key]) => key.endsWith(':user_bias'))?.[1] : state.tensors[t.key];
    if (!data || data.length !== t.shape.reduce((a, b) => a * b, 1)) throw new Error(`serializeUserTower: the model's state tensor '${t.key}' does not have the shape [${t.shape}] its config implies`);
    try {
      checkValues(data, t.values, `'${t.key}'`);
    } catch (err) {
      throw new Error(`serializeUserTower: ${(err as Error).message} (has training diverged?)`);
    }
    tensors[t.key] = list.add(t.key === 'userBias' ? 'model/user_bias' : `model/${tensorName(t.key)}`, data, t.shape);
  }
  const manifest = {
    kind: 'user-tower',
    model: { kind: node.kind, config: node.config, globalMean: node.globalMean, ...(node.loss ? { loss: node.loss } : {}), tensors },
    ids: { users: model.indexes.userIndex.ids },
    features: { user: features },
    pipeline: model.pipeline ? userSidePipeline(model.pipeline) : null,
    outputDim: model.dotServingVectors('user', Int32Array.of(-1)).dim,
  };
  return encodeManifestFile(manifest, list.tensors, { format: USER_TOWER_FORMAT, format_version: String(USER_TOWER_FORMAT_VERSION), library: LIBRARY, kind: 'user-tower', model_kind: state.kind });
}

/**
 * A user tower from the bytes `serializeUserTower` (or `wasmrec export --what user-tower`)
 * wrote. Whatever the bytes, it either returns a tower whose sizes, indices and values were
 * all checked, or throws a ModelFileError naming what is wrong.
 *
 * @example
 * const tower = loadUserTower(new Uint8Array(await (await fetch('/tower.safetensors')).arrayBuffer()));
 * const u = tower.encode({ age: 31, gender: 'F', occupation: 'writer', zip: '94110' });
 * const v = tower.encodeUser('196'); // a known user: her id embedding and saved features
 */
export function loadUserTower(bytes: Uint8Array, options: LoadUserTowerOptions = {}): UserTower {
  const source = options.source ?? 'user tower file';
  let tower: UserTower | null = null;
  try {
    const { parts, outputDim } = readUserTowerParts(bytes);
    tower = new UserTower(options.backend ?? createReferenceBackend(), parts);
    if (tower.dim !== outputDim) throw new ModelFileError(`manifest field outputDim is ${outputDim}; the tower's layers give ${tower.dim}`);
    return tower;
  } catch (err) {
    tower?.dispose();
    if (err instanceof ModelFileError) throw new ModelFileError(`${source}: ${err.message}`);
    throw new ModelFileError(`${source}: cannot be loaded: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }
}

/** Everything the file holds, checked, as JavaScript copies (nothing on a backend yet). */
function readUserTowerParts(bytes: Uint8Array): { parts: UserTowerParts; outputDim: number } {
  if (isLegacyContainer(bytes)) throw new ModelFileError('a model file of wasmrec 0.1, not a user tower: re-save it, then export its user tower with `wasmrec export --what user-tower`');
  if (!looksLikeSafetensors(bytes)) throw new ModelFileError('not a user tower file (not a safetensors file)');
  const file = parseSafetensors(bytes);
  const meta = file.metadata;
  if (meta.format === MODEL_FORMAT) throw new ModelFileError('a wasmrec model file, not a user tower: write one with `wasmrec export --what user-tower` or serializeUserTower(model)');
  if (meta.format !== USER_TOWER_FORMAT) throw new ModelFileError(`a safetensors file but not a wasmrec user tower (its __metadata__ has format ${JSON.stringify(meta.format ?? null)}, expected "${USER_TOWER_FORMAT}")`);
  const version = Number(meta.format_version);
  if (Number.isInteger(version) && version > USER_TOWER_FORMAT_VERSION) throw new ModelFileError(`written by a newer wasmrec (${meta.library ?? 'unknown version'}, user tower format ${version}); this one reads format ${USER_TOWER_FORMAT_VERSION}`);
  if (version !== USER_TOWER_FORMAT_VERSION) throw new ModelFileError(`damaged metadata: format_version is ${JSON.stringify(meta.format_version ?? null)}`);
  const m = parseUserTowerManifest(checkedManifest(bytes, file));
  const claims = new TensorClaims({ formatVersion: 2, manifest: m, tensors: file.tensors, read: (entry) => readTensor(bytes, file, entry) });
  const userIndex = new IdIndex(m.users);
  if (userIndex.size !== m.users.length) throw new ModelFileError('manifest field ids.users repeats an id');
  const nUsers = userIndex.size;
  const plan = planUserTower(m.model, m.features, nUsers);
  const features = readSide(m.features, claims, 'features.user');
  for (const key of m.model.tensors.keys()) if (!plan.tensors.some((t) => t.key === key)) throw new ModelFileError(`model.tensors has '${key}', which the user tower of this two-tower does not have`);
  const values = new Map(plan.tensors.map((t) => {
    const name = m.model.tensors.get(t.key);
    if (name === undefined) throw new ModelFileError(`model.tensors lacks '${t.key}', which the user tower of this two-tower has`);
    return [t.key, claims.take(name, t.dtype, t.shape, `model ${t.key}`, t.values)];
  }));
  claims.checkAllClaimed();
  const params = plan.tensors.filter((t) => t.key.startsWith('param')).map((t) => values.get(t.key) as Float32Array);
  // The saved width of each (feature, cardinality), as model-build.ts rebuilds a two-tower.
  const { featureDims, ...options } = plan.options as unknown as TwoTowerOptions & { featureDims: [string, number, number][] };
  const dims = new Map(featureDims.map(([name, card, dim]) => [`${name}\u0000${card}`, dim]));
  const config = twoTowerConfig({ ...options, featureDim: (name, card) => dims.get(`${name}\u0000${card}`) ?? 0 });
  const pipeline = m.pipeline === null ? null : pipelineFromJSON(m.pipeline, [{ user: features, item: NO_FEATURES }]);
  const parts: UserTowerParts = {
    config, userIndex, features, params, pipeline,
    userBias: values.get('userBias') as Float32Array,
    userSeen: values.get('userSeen') as Uint8Array,
    globalMean: m.model.globalMean,
  };
  return { parts, outputDim: m.outputDim };
}
