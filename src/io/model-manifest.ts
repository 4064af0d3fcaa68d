// The manifest of a model file (JSON in its safetensors metadata): what the model is, its
// ids, features, pipeline and extras, with tensors referred to by name. `parseManifest`
// checks the JSON's shape field by field, so a damaged file fails naming the field.

import { checkTrainingSummary, type TrainingSummary } from '../models/training-summary.js';
import { resolveLoss, type LossConfig } from '../training/losses.js';
import { isPlainObject } from './safetensors.js';
import { ModelFileError } from './model-file-error.js';

/** One model of the file: the root, or an ensemble's member. */
export interface ManifestNode {
  kind: string;
  /** Constructor options as saved; the kind's plan checks them (./model-plan.ts). */
  config: Record<string, unknown>;
  globalMean: number;
  /** The loss the model was trained with (a name in files of format 2's first builds), or null when not saved (0.1). */
  loss: Required<LossConfig> | null;
  /** The training ratings' scale (clipping, ranking prior, relevance), or null when not saved. */
  training: TrainingSummary | null;
  /** State tensor key (as in ModelState.tensors) → tensor name in the file. */
  tensors: Map<string, string>;
  /** Index into Manifest.features (feature models), else null. */
  features: number | null;
  members: { weight: number; model: ManifestNode }[] | null;
  /** A rating model's ranking twin (compile({ ranking })): the same kind, trained on the positives. */
  ranking: ManifestNode | null;
}

/** One side's encoded features, tensors by name. */
export interface SideManifest {
  n: number;
  contNames: string[];
  continuous: string;
  categorical: { name: string; cardinality: number; codes: string }[];
  multi: { name: string; cardinality: number; offsets: string; ids: string; of?: 'ids' | 'counterpart'; levels?: number; attributeTokens?: number; recurrentTokens?: number; weights?: string }[];
}

export interface Manifest {
  model: ManifestNode;
  ids: { users: string[]; items: string[] };
  features: { user: SideManifest; item: SideManifest }[];
  trainingItems: { offsets: string; items: string } | null;
  /** FeaturePipeline.toJSON() (checked by ./pipeline-json.ts), or null. */
  pipeline: unknown;
  itemTitles: Record<string, string> | null;
  info: Record<string, unknown>;
}

/** Ensembles of ensembles are allowed this deep. */
const MAX_DEPTH = 4;

function fail(path: string, what: string, got: unknown): never {
  const shown = JSON.stringify(got);
  throw new ModelFileError(`manifest field ${path} must be ${what}, got ${shown === undefined ? 'nothing' : shown.length > 60 ? `${shown.slice(0, 60)}…` : shown}`);
}

function object(v: unknown, path: string): Record<string, unknown> {
  return isPlainObject(v) ? v : fail(path, 'an object', v);
}

function array(v: unknown, path: string): unknown[] {
  return Array.isArray(v) ? v : fail(path, 'a list', v);
}

function string(v: unknown, path: string): string {
  return typeof v === 'string' ? v : fail(path, 'a string', v);
}

function strings(v: unknown, path: string): string[] {
  return array(v, path).map((s, k) => string(s, `${path}[${k}]`));
}

function count(v: unknown, path: string, min = 0): number {
  return Number.isSafeInteger(v) && (v as number) >= min ? (v as number) : fail(path, `an integer ≥ ${min}`, v);
}

function finite(v: unknown, path: string): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fail(path, 'a finite number', v);
}

/** Own property only: a key such as "__proto__" or "constructor" never reads an inherited value. */
function field(o: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

/**
 * Checks the manifest JSON's structure and returns it typed. Sizes, dtypes and values are
 * checked later against the tensors (./model-plan.ts, ./model-checks.ts).
 */
export function parseManifest(json: unknown): Manifest {
  const m = object(json, 'manifest');
  const ids = object(field(m, 'ids'), 'ids');
  const training = field(m, 'trainingItems');
  const titles = field(m, 'itemTitles');
  const info = field(m, 'info');
  if (titles !== null && titles !== undefined) {
    const t = object(titles, 'itemTitles');
    for (const [id, title] of Object.entries(t)) string(title, `itemTitles[${JSON.stringify(id)}]`);
  }
  return {
    model: parseManifestNode(field(m, 'model'), 'model', 0),
    ids: { users: strings(field(ids, 'users'), 'ids.users'), items: strings(field(ids, 'items'), 'ids.items') },
    features: array(field(m, 'features') ?? [], 'features').map((f, k) => {
      const o = object(f, `features[${k}]`);
      return { user: parseSideManifest(field(o, 'user'), `features[${k}].user`), item: parseSideManifest(field(o, 'item'), `features[${k}].item`) };
    }),
    trainingItems: training === null || training === undefined ? null : trainingLists(object(training, 'trainingItems')),
    pipeline: field(m, 'pipeline') ?? null,
    itemTitles: (titles ?? null) as Record<string, string> | null,
    info: info === undefined ? {} : object(info, 'info'),
  };
}

/** The manifest of a user tower file (./user-tower-file.ts): one two-tower's user side. */
export interface UserTowerManifest {
  /** The two-tower it came from: kind, config, μ, loss; tensors of its user side only. */
  model: ManifestNode;
  users: string[];
  features: SideManifest;
  /** FeaturePipeline.toJSON() with the item side left out, or null. */
  pipeline: unknown;
  outputDim: number;
}

/** Checks a user tower's manifest JSON field by field, as `parseManifest` does a model's. */
export function parseUserTowerManifest(json: unknown): UserTowerManifest {
  const m = object(json, 'manifest');
  if (field(m, 'kind') !== 'user-tower') fail('kind', '"user-tower"', field(m, 'kind'));
  const model = parseManifestNode(field(m, 'model'), 'model', MAX_DEPTH);
  if (model.members || model.ranking) fail('model', 'one model without members or ranking twin', '…');
  return {
    model,
    users: strings(field(object(field(m, 'ids'), 'ids'), 'users'), 'ids.users'),
    features: parseSideManifest(field(object(field(m, 'features'), 'features'), 'user'), 'features.user'),
    pipeline: field(m, 'pipeline') ?? null,
    outputDim: count(field(m, 'outputDim'), 'outputDim', 1),
  };
}

function trainingLists(t: Record<string, unknown>): Manifest['trainingItems'] {
  return { offsets: string(field(t, 'offsets'), 'trainingItems.offsets'), items: string(field(t, 'items'), 'trainingItems.items') };
}

/** One model of a manifest (the root, a member or a ranking twin), checked field by field. */
export function parseManifestNode(v: unknown, path: string, depth: number): ManifestNode {
  const o = object(v, path);
  const tensors = new Map<string, string>();
  for (const [key, name] of Object.entries(object(field(o, 'tensors') ?? {}, `${path}.tensors`))) tensors.set(key, string(name, `${path}.tensors.${key}`));
  const loss = field(o, 'loss');
  const features = field(o, 'features');
  const members = field(o, 'members');
  const ranking = field(o, 'ranking');
  if (members !== undefined && depth >= MAX_DEPTH) fail(`${path}.members`, `absent (ensembles nest at most ${MAX_DEPTH} deep)`, '…');
  return {
    kind: string(field(o, 'kind'), `${path}.kind`),
    config: object(field(o, 'config') ?? {}, `${path}.config`),
    globalMean: finite(field(o, 'globalMean'), `${path}.globalMean`),
    loss: loss === undefined || loss === null ? null : lossOf(loss, `${path}.loss`),
    training: summaryOf(field(o, 'training'), `${path}.training`),
    tensors,
    features: features === undefined || features === null ? null : count(features, `${path}.features`),
    ranking: ranking === undefined || ranking === null ? null : parseManifestNode(ranking, `${path}.ranking`, depth + 1),
    members:
      members === undefined
        ? null
        : array(members, `${path}.members`).map((mv, k) => {
            const mo = object(mv, `${path}.members[${k}]`);
            const weight = finite(field(mo, 'weight'), `${path}.members[${k}].weight`);
            if (weight < 0) fail(`${path}.members[${k}].weight`, 'a number ≥ 0', weight);
            return { weight, model: parseManifestNode(field(mo, 'model'), `${path}.members[${k}].model`, depth + 1) };
          }),
  };
}

/** A saved loss: a name or a LossConfig, checked as compile would. */
function lossOf(v: unknown, path: string): Required<LossConfig> {
  if (typeof v !== 'string' && !isPlainObject(v)) fail(path, 'a loss name or a loss config', v);
  try {
    return resolveLoss(v as unknown as LossConfig);
  } catch (err) {
    throw new ModelFileError(`manifest field ${path}: ${(err as Error).message}`);
  }
}

function summaryOf(v: unknown, path: string): TrainingSummary | null {
  if (v !== undefined && v !== null && !isPlainObject(v)) fail(path, 'an object', v);
  try {
    return checkTrainingSummary(v);
  } catch (err) {
    throw new ModelFileError(`manifest field ${path}: ${(err as Error).message}`);
  }
}

/** One side's encoded features: their column names and tensor names. */
export function parseSideManifest(v: unknown, path: string): SideManifest {
  const o = object(v, path);
  return {
    n: count(field(o, 'n'), `${path}.n`, 1),
    contNames: strings(field(o, 'contNames'), `${path}.contNames`),
    continuous: string(field(o, 'continuous'), `${path}.continuous`),
    categorical: array(field(o, 'categorical'), `${path}.categorical`).map((c, k) => {
      const co = object(c, `${path}.categorical[${k}]`);
      const at = `${path}.categorical[${k}]`;
      return { name: string(field(co, 'name'), `${at}.name`), cardinality: count(field(co, 'cardinality'), `${at}.cardinality`, 1), codes: string(field(co, 'codes'), `${at}.codes`) };
    }),
    multi: array(field(o, 'multi'), `${path}.multi`).map((mv, k) => {
      const mo = object(mv, `${path}.multi[${k}]`);
      const at = `${path}.multi[${k}]`;
      return {
        name: string(field(mo, 'name'), `${at}.name`),
        cardinality: count(field(mo, 'cardinality'), `${at}.cardinality`, 1),
        offsets: string(field(mo, 'offsets'), `${at}.offsets`),
        ids: string(field(mo, 'ids'), `${at}.ids`),
        ...graphMark(mo.of, at),
        ...(mo.levels === undefined ? {} : { levels: count(mo.levels, `${at}.levels`, 2) }),
        ...(mo.attributeTokens === undefined ? {} : { attributeTokens: count(mo.attributeTokens, `${at}.attributeTokens`, 1) }),
        ...(mo.recurrentTokens === undefined ? {} : { recurrentTokens: count(mo.recurrentTokens, `${at}.recurrentTokens`, 1) }),
        ...(mo.weights === undefined ? {} : { weights: string(mo.weights, `${at}.weights`) }),
      };
    }),
  };
}

/** What a multi feature's ids are rows of: absent (its own table), 'ids' (a graph feature: the id table) or 'counterpart' (a sequence feature: the other side's index). */
function graphMark(of: unknown, at: string): { of?: 'ids' | 'counterpart' } {
  if (of === undefined) return {};
  if (of !== 'ids' && of !== 'counterpart') throw new ModelFileError(`${at}.of must be "ids" or "counterpart" when present, got ${JSON.stringify(of).slice(0, 40)}`);
  return { of };
}
