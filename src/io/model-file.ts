// Saving a trained model with everything serving needs in one file, and loading it back so
// that it predicts exactly what the saved model did (no Node API: works in browsers too).

import type { Backend } from '../backends/index.js';
import { IdIndex } from '../data/interactions.js';
import { MeanBaseline, type BaselineKind } from '../models/baselines.js';
import { Ensemble } from '../models/ensemble.js';
import { FeatureModel, type SideFeatures } from '../models/feature-model.js';
import { LinearRS, type LinearRSOptions } from '../models/linear.js';
import { MatrixFactorization, type MFOptions } from '../models/mf.js';
import type { ModelIndexes, Recommender } from '../models/recommender.js';
import type { ModelState, StateTensor } from '../models/state.js';
import { resolveLoss, type LossConfig } from '../training/losses.js';
import { TwoTower, type TwoTowerOptions } from '../models/two-tower.js';
import { FeaturePipeline, type FeaturePipelineJSON } from '../preprocessing/pipeline.js';
import type { EncodedSide } from '../preprocessing/encoded.js';
import { ModelFileError, parseContainer, TensorWriter, type ParsedContainer } from './model-container.js';

export { ModelFileError } from './model-container.js';

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

const FORMAT = 'wasmrec-model';

/** The header's form of a model state: tensors by reference, features by index. */
interface StateNode {
  kind: string;
  config: Record<string, unknown>;
  globalMean: number;
  tensors: Record<string, unknown>;
  features?: number;
  members?: { weight: number; node: StateNode }[];
  loss?: unknown;
  training?: unknown;
}

/**
 * The model, its id indexes, each user's training items, its feature pipeline and item
 * titles as one file (see io/model-container for the layout).
 *
 * @example
 * const bytes = serializeModel(model, { itemTitles: itemTitlesOf(dataset) });
 * const copy = await deserializeModel(bytes, backend); // predicts exactly as `model`
 */
export function serializeModel(model: Recommender, extras: ModelExtras = {}): Uint8Array {
  const w = new TensorWriter();
  const features: SideFeatures[] = [];
  const node = (m: Recommender, state: ModelState): StateNode => {
    const tensors: Record<string, unknown> = {};
    for (const [name, t] of Object.entries(state.tensors)) tensors[name] = w.add(t);
    const out: StateNode = { kind: state.kind, config: state.config, globalMean: state.globalMean, tensors, loss: state.loss, training: state.training };
    if (m instanceof FeatureModel) {
      if (!features.includes(m.features)) features.push(m.features);
      out.features = features.indexOf(m.features);
    }
    if (state.members) {
      const members = (m as Ensemble).members;
      out.members = state.members.map((s, k) => ({ weight: s.weight, node: node(members[k].model, s.state) }));
    }
    return out;
  };
  const root = node(model, model.saveState());
  const training = model.trainingItems;
  const pipeline = extras.pipeline === undefined ? model.pipeline : extras.pipeline;
  const header = {
    format: FORMAT,
    model: root,
    indexes: { users: model.indexes.userIndex.ids, items: model.indexes.itemIndex.ids },
    features: features.map((f) => ({ user: sideJSON(f.user, w), item: sideJSON(f.item, w) })),
    trainingItems: training ? { offsets: w.add(training.offsets), items: w.add(training.items) } : null,
    pipeline: pipeline ? pipeline.toJSON() : null,
    itemTitles: extras.itemTitles === undefined ? model.itemTitles : extras.itemTitles,
    info: extras.info ?? {},
  };
  return w.finish(header);
}

/**
 * Rebuilds a saved model on `backend` (any backend: parameters are plain f32).
 *
 * @example
 * const model = await deserializeModel(bytes, await createBackend('wasm'));
 * model.predictIds(['196'], ['242']);
 */
export async function deserializeModel(bytes: Uint8Array, backend: Backend): Promise<Recommender> {
  return (await readModelFile(bytes, backend)).model;
}

/** Like `deserializeModel`, also returning the item titles and info saved with the model. */
export async function readModelFile(bytes: Uint8Array, backend: Backend, source = 'model file'): Promise<LoadedModel> {
  const file = parseContainer(bytes, source);
  const h = file.header as Record<string, any>;
  if (h.format !== FORMAT || !h.model || !h.indexes) throw new ModelFileError(`${source}: the header is not a wasmrec model's`);
  const indexes: ModelIndexes = { userIndex: idIndex(h.indexes.users, 'user', source), itemIndex: idIndex(h.indexes.items, 'item', source) };
  const features: SideFeatures[] = (h.features ?? []).map((f: { user: unknown; item: unknown }, k: number) => ({
    user: sideFromJSON(f.user, file, `features${k}/user`),
    item: sideFromJSON(f.item, file, `features${k}/item`),
  }));
  const root = h.model as StateNode;
  let model: Recommender;
  try {
    model = build(root, backend, indexes, features);
    model.loadState(stateOf(root, file));
  } catch (err) {
    if (err instanceof ModelFileError) throw err;
    throw new ModelFileError(`${source}: ${(err as Error).message}`);
  }
  if (h.trainingItems) {
    model.trainingItems = { offsets: file.tensor(h.trainingItems.offsets, 'trainingItems.offsets') as Int32Array, items: file.tensor(h.trainingItems.items, 'trainingItems.items') as Int32Array };
  }
  model.pipeline = h.pipeline ? FeaturePipeline.fromJSON(h.pipeline as FeaturePipelineJSON) : null;
  model.itemTitles = h.itemTitles ?? null;
  return { model, itemTitles: h.itemTitles ?? null, info: h.info ?? {} };
}

export { itemTitlesOf } from '../data/titles.js';

function idIndex(ids: unknown, side: string, source: string): IdIndex {
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) throw new ModelFileError(`${source}: the ${side} ids are missing`);
  const index = new IdIndex(ids);
  if (index.size !== ids.length) throw new ModelFileError(`${source}: the ${side} ids repeat`);
  return index;
}

/** Constructs an untrained model of the node's kind with its saved options. */
function build(node: StateNode, backend: Backend, indexes: ModelIndexes, features: SideFeatures[]): Recommender {
  const feats = () => {
    const f = features[node.features ?? -1];
    if (!f) throw new ModelFileError(`a saved '${node.kind}' model has no features`);
    return f;
  };
  switch (node.kind) {
    case 'global-mean':
    case 'user-mean':
    case 'item-mean':
      return new MeanBaseline(backend, indexes, node.kind as BaselineKind, node.config);
    case 'mf':
      return new MatrixFactorization(backend, indexes, node.config as MFOptions);
    case 'linear':
      return new LinearRS(backend, indexes, feats(), node.config as LinearRSOptions);
    case 'two-tower': {
      const dims = new Map((node.config.featureDims as [string, number, number][]).map(([name, card, dim]) => [`${name}\u0000${card}`, dim]));
      const featureDim = (name: string, card: number) => dims.get(`${name}\u0000${card}`) ?? 0;
      return new TwoTower(backend, indexes, feats(), { ...(node.config as TwoTowerOptions), featureDim });
    }
    case 'ensemble':
      return new Ensemble(backend, indexes, (node.members ?? []).map((m) => ({ model: build(m.node, backend, indexes, features), weight: m.weight })));
    default:
      throw new ModelFileError(`unknown model kind '${node.kind}' (saved by a newer wasmrec?)`);
  }
}

function stateOf(node: StateNode, file: ParsedContainer): ModelState {
  const tensors: Record<string, StateTensor> = {};
  for (const [name, ref] of Object.entries(node.tensors)) tensors[name] = file.tensor(ref, `${node.kind}/${name}`);
  const state: ModelState = { kind: node.kind, config: node.config, globalMean: node.globalMean, tensors, loss: savedLoss(node), training: node.training as ModelState['training'] };
  if (node.members) state.members = node.members.map((m) => ({ weight: m.weight, state: stateOf(m.node, file) }));
  return state;
}

/**
 * The loss a node was trained with. Files of wasmrec 0.1 did not say: their two-towers with a
 * popularity prior were trained with an implicit loss (the prior needs one), everything else on ratings.
 */
function savedLoss(node: StateNode): Required<LossConfig> {
  if (node.loss !== undefined) return resolveLoss(node.loss as LossConfig);
  return resolveLoss(Number(node.config?.popularityPrior) > 0 ? 'bce' : 'mse');
}

function sideJSON(side: EncodedSide, w: TensorWriter): object {
  return {
    n: side.n,
    contNames: side.contNames,
    continuous: w.add(side.continuous),
    categorical: side.categorical.map((c) => ({ name: c.name, cardinality: c.cardinality, codes: w.add(c.codes) })),
    multi: side.multi.map((m) => ({ name: m.name, cardinality: m.cardinality, offsets: w.add(m.offsets), ids: w.add(m.ids) })),
  };
}

function sideFromJSON(json: unknown, file: ParsedContainer, what: string): EncodedSide {
  const j = json as Record<string, any>;
  if (!j || !Number.isInteger(j.n) || !Array.isArray(j.contNames)) throw new ModelFileError(`model file: ${what} features are damaged`);
  return {
    n: j.n,
    contNames: j.contNames,
    continuous: file.tensor(j.continuous, `${what}/continuous`) as Float32Array,
    categorical: (j.categorical ?? []).map((c: Record<string, unknown>) => ({ name: c.name, cardinality: c.cardinality, codes: file.tensor(c.codes, `${what}/${c.name}`) })),
    multi: (j.multi ?? []).map((m: Record<string, unknown>) => ({
      name: m.name, cardinality: m.cardinality, offsets: file.tensor(m.offsets, `${what}/${m.name}/offsets`), ids: file.tensor(m.ids, `${what}/${m.name}/ids`),
    })),
  };
}
