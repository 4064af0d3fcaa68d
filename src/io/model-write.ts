// Writing a model file (format 2): the model's state, features and training items as named
// safetensors tensors, everything else in the manifest. The shapes come from the same plan
// the reader checks against, so a file that saves is a file that loads.

import { Ensemble } from '../models/ensemble.js';
import { FeatureModel, type SideFeatures } from '../models/feature-model.js';
import { SequenceTwoTower } from '../models/sequence-two-tower.js';
import { YouTubeDNN } from '../models/youtube.js';
import { BST } from '../models/bst.js';
import type { Recommender } from '../models/recommender.js';
import type { ModelState, StateTensor } from '../models/state.js';
import type { EncodedSide } from '../preprocessing/encoded.js';
import type { FeaturePipeline } from '../preprocessing/pipeline.js';
import { encodeModelDocument } from './model-document.js';
import type { ManifestNode } from './model-manifest.js';
import { planModel } from './model-plan.js';
import type { PlanContext } from './plan-types.js';
import { dtypeOf, type NamedTensor } from './safetensors.js';
import { checkValues } from './tensor-checks.js';

export interface WriteExtras {
  pipeline: FeaturePipeline | null;
  itemTitles: Record<string, string> | null;
  info: Record<string, unknown>;
}

/** A state key as a tensor name: `param3:user_tower/dense0/W` → `user_tower/dense0/W`, `userFactors` → `user_factors`. */
export function tensorName(key: string): string {
  const param = /^param\d+:(.+)$/.exec(key);
  return param ? param[1] : key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Collects the file's tensors under unique names (a repeated name gets `#2`, `#3`, ...). */
export class TensorList {
  readonly tensors: NamedTensor[] = [];
  private readonly names = new Set<string>();

  add(name: string, data: StateTensor, shape: number[]): string {
    let unique = name;
    for (let k = 2; this.names.has(unique); k++) unique = `${name}#${k}`;
    this.names.add(unique);
    this.tensors.push({ name: unique, data, shape });
    return unique;
  }
}

/** The bytes of a model file; throws a plain Error when the model cannot be saved (untrained, diverged). */
export function writeModelFile(model: Recommender, extras: WriteExtras): Uint8Array {
  const state = model.saveState();
  const list = new TensorList();
  const featureSets: SideFeatures[] = [];
  collectFeatures(model, featureSets);
  const ctx: PlanContext = { nUsers: model.nUsers, nItems: model.nItems, features: featureSets };
  const root = nodeJSON(model, state, 'model', ctx, featureSets, list);
  const features = featureSets.map((f, k) => ({ user: sideJSON(f.user, `features/${k}/user`, list), item: sideJSON(f.item, `features/${k}/item`, list) }));
  const training = model.trainingItems;
  const manifest = {
    model: root,
    ids: { users: model.indexes.userIndex.ids, items: model.indexes.itemIndex.ids },
    features,
    trainingItems: training
      ? { offsets: list.add('training_items/offsets', training.offsets, [training.offsets.length]), items: list.add('training_items/items', training.items, [training.items.length]) }
      : null,
    pipeline: extras.pipeline ? extras.pipeline.toJSON() : null,
    itemTitles: extras.itemTitles,
    info: extras.info,
  };
  return encodeModelDocument(manifest, list.tensors, state.kind);
}

/** The side features a model reads (feature models and the sequence two-tower), or null. */
function featuresOf(m: Recommender): SideFeatures | null {
  if (m instanceof YouTubeDNN) return m.features;
  if (m instanceof BST) return m.itemFeatures || m.demographics ? m.features : null;
  return m instanceof FeatureModel || m instanceof SequenceTwoTower ? m.features : null;
}

function collectFeatures(m: Recommender, out: SideFeatures[]): void {
  const f = featuresOf(m);
  if (f && !out.includes(f)) out.push(f);
  if (m instanceof Ensemble) for (const member of m.members) collectFeatures(member.model, out);
}

function nodeJSON(m: Recommender, state: ModelState, path: string, ctx: PlanContext, featureSets: SideFeatures[], list: TensorList): object {
  const fail = (why: string): never => {
    throw new Error(`serializeModel: cannot save the ${state.kind} at ${path}: ${why}`);
  };
  if (!Number.isFinite(state.globalMean)) fail(`its global mean is ${state.globalMean}`);
  const own = featuresOf(m);
  const features = own ? featureSets.indexOf(own) : null;
  const node: ManifestNode = { kind: state.kind, config: state.config, globalMean: state.globalMean, loss: state.loss ?? null, training: state.training ?? null, tensors: new Map(), features, members: null, ranking: null };
  const out: Record<string, unknown> = { kind: state.kind, config: state.config, globalMean: state.globalMean };
  if (state.loss) out.loss = state.loss;
  if (state.training) out.training = state.training;
  if (features !== null) out.features = features;
  if (state.ranking) {
    // The twin is the same kind over the same features: its tensors go under <path>/ranking.
    out.ranking = nodeJSON(m, state.ranking, `${path}.ranking`, ctx, featureSets, list);
  }
  if (state.members) {
    const members = (m as Ensemble).members;
    out.members = state.members.map((s, k) => ({ weight: s.weight, model: nodeJSON(members[k].model, s.state, `${path}.members[${k}].model`, ctx, featureSets, list) }));
    node.members = (out.members as { weight: number }[]).map((mm, k) => ({ weight: mm.weight, model: manifestOf(members[k].model, state.members![k].state, featureSets) }));
  }
  let plan;
  try {
    plan = planModel(node, ctx, path);
  } catch (err) {
    return fail((err as Error).message);
  }
  const prefix = path.replace(/\.members\[(\d+)\]\.model/g, '/members/$1').replace(/\.ranking/g, '/ranking');
  const tensors: Record<string, string> = {};
  for (const t of plan.tensors) {
    const data = state.tensors[t.key];
    if (!data && t.optional) continue;
    if (!data || dtypeOf(data) !== t.dtype || data.length !== t.shape.reduce((a, b) => a * b, 1)) fail(`its state tensor '${t.key}' does not have the ${t.dtype} [${t.shape}] its config implies`);
    try {
      checkValues(data, t.values, `'${t.key}'`);
    } catch (err) {
      fail(`${(err as Error).message} (has training diverged?)`);
    }
    tensors[t.key] = list.add(`${prefix}/${tensorName(t.key)}`, data, t.shape);
  }
  const extra = Object.keys(state.tensors).find((key) => !Object.hasOwn(tensors, key));
  if (extra !== undefined) fail(`its state has a tensor '${extra}' that its config does not imply`);
  out.tensors = tensors;
  return out;
}

/** The manifest node a state gives (for planning an ensemble's members; tensor names are not needed). */
function manifestOf(m: Recommender, state: ModelState, featureSets: SideFeatures[]): ManifestNode {
  const members = state.members?.map((s, k) => ({ weight: s.weight, model: manifestOf((m as Ensemble).members[k].model, s.state, featureSets) })) ?? null;
  return { kind: state.kind, config: state.config, globalMean: state.globalMean, loss: state.loss ?? null, training: state.training ?? null, tensors: new Map(), features: featuresOf(m) ? featureSets.indexOf(featuresOf(m)!) : null, members, ranking: null };
}

export function sideJSON(side: EncodedSide, prefix: string, list: TensorList): object {
  return {
    n: side.n,
    contNames: side.contNames,
    continuous: list.add(`${prefix}/continuous`, side.continuous, [side.n, side.contNames.length]),
    categorical: side.categorical.map((c) => ({ name: c.name, cardinality: c.cardinality, codes: list.add(`${prefix}/${c.name}/codes`, c.codes, [side.n]) })),
    multi: side.multi.map((mf) => ({
      name: mf.name,
      cardinality: mf.cardinality,
      offsets: list.add(`${prefix}/${mf.name}/offsets`, mf.offsets, [mf.offsets.length]),
      ids: list.add(`${prefix}/${mf.name}/ids`, mf.ids, [mf.ids.length]),
      ...(mf.of ? { of: mf.of } : {}),
      ...(mf.levels ? { levels: mf.levels } : {}),
      ...(mf.attributeTokens ? { attributeTokens: mf.attributeTokens } : {}),
      ...(mf.recurrentTokens ? { recurrentTokens: mf.recurrentTokens } : {}),
      ...(mf.weights ? { weights: list.add(`${prefix}/${mf.name}/weights`, mf.weights, [mf.weights.length]) } : {}),
    })),
  };
}
