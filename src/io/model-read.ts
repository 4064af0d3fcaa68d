// Everything a model file holds, read and checked without touching a backend: ids, encoded
// features, each model's plan and state tensors, training items and the pipeline. What
// comes out can be built (./model-build.ts) without any further check failing.

import { IdIndex } from '../data/interactions.js';
import type { SideFeatures } from '../models/feature-model.js';
import type { ModelIndexes } from '../models/recommender.js';
import type { UserItems } from '../models/serving.js';
import type { ModelState, StateTensor } from '../models/state.js';
import type { EncodedSide } from '../preprocessing/encoded.js';
import type { FeaturePipeline } from '../preprocessing/pipeline.js';
import { MAX_RECURRENT_TOKENS } from '../preprocessing/spec.js';
import type { ModelDocument } from './document.js';
import { ModelFileError } from './model-file-error.js';
import { parseManifest, type ManifestNode, type SideManifest } from './model-manifest.js';
import { planModel } from './model-plan.js';
import { pipelineFromJSON } from './pipeline-json.js';
import type { ModelPlan, ValueRule } from './plan-types.js';
import type { SafetensorsDtype } from './safetensors.js';
import { checkIndices, checkOffsets, checkValues } from './tensor-checks.js';

export interface CheckedModelFile {
  indexes: ModelIndexes;
  features: SideFeatures[];
  plan: ModelPlan;
  state: ModelState;
  trainingItems: UserItems | null;
  pipeline: FeaturePipeline | null;
  itemTitles: Record<string, string> | null;
  info: Record<string, unknown>;
}

/**
 * Tensors of the document handed out by name, each at most once and with the dtype and
 * shape asked for (format 1 kept only lengths: there the element count is compared).
 */
export class TensorClaims {
  private readonly claimed = new Set<string>();

  constructor(private readonly doc: ModelDocument) {}

  take(name: string, dtype: SafetensorsDtype, shape: (number | null)[], what: string, rule: ValueRule | null = null): StateTensor {
    const entry = this.doc.tensors.get(name);
    if (!entry) throw new ModelFileError(`${what} refers to tensor '${name}', which the file does not have`);
    if (this.claimed.has(name)) throw new ModelFileError(`${what} refers to tensor '${name}', which is used elsewhere too`);
    this.claimed.add(name);
    let fits: boolean;
    if (this.doc.formatVersion === 1) {
      // 0.1 saved lengths only.
      const length = shape.includes(null) ? null : shape.reduce<number>((a, d) => a * d!, 1);
      fits = entry.shape.length === 1 && (length === null || entry.shape[0] === length);
    } else {
      fits = entry.shape.length === shape.length && shape.every((d, k) => d === null || d === entry.shape[k]);
    }
    if (entry.dtype !== dtype || !fits) {
      throw new ModelFileError(`tensor '${name}' (${what}) is ${entry.dtype} [${entry.shape}]; the model needs ${dtype} [${shape.map((d) => d ?? '*')}]`);
    }
    const t = this.doc.read(entry);
    if (rule) checkValues(t, rule, `'${name}' (${what})`);
    return t;
  }

  /** Every tensor of the file was asked for: nothing foreign rides along. */
  checkAllClaimed(): void {
    for (const name of this.doc.tensors.keys()) if (!this.claimed.has(name)) throw new ModelFileError(`tensor '${name}' is not part of the model (manifest and tensors disagree)`);
  }
}

/** Reads and checks all of a document; allocates only JavaScript copies of its tensors. */
export function checkModelFile(doc: ModelDocument): CheckedModelFile {
  const m = parseManifest(doc.manifest);
  const claims = new TensorClaims(doc);
  const indexes = { userIndex: idIndex(m.ids.users, 'users'), itemIndex: idIndex(m.ids.items, 'items') };
  const nUsers = indexes.userIndex.size;
  const nItems = indexes.itemIndex.size;
  const features = m.features.map((f, k) => ({ user: readSide(f.user, claims, `features[${k}].user`), item: readSide(f.item, claims, `features[${k}].item`) }));
  const plan = planModel(m.model, { nUsers, nItems, features });
  const state = readState(m.model, plan, claims);
  let trainingItems: UserItems | null = null;
  if (m.trainingItems) {
    const offsets = claims.take(m.trainingItems.offsets, 'I32', [nUsers + 1], 'trainingItems.offsets') as Int32Array;
    const items = claims.take(m.trainingItems.items, 'I32', [null], 'trainingItems.items') as Int32Array;
    checkOffsets(offsets, items.length, 'trainingItems.offsets');
    checkIndices(items, nItems, 'trainingItems.items');
    trainingItems = { offsets, items };
  }
  claims.checkAllClaimed();
  const pipeline = m.pipeline === null ? null : pipelineFromJSON(m.pipeline, features);
  return { indexes, features, plan, state, trainingItems, pipeline, itemTitles: m.itemTitles, info: m.info };
}

function idIndex(ids: string[], side: string): IdIndex {
  const index = new IdIndex(ids);
  if (index.size !== ids.length) throw new ModelFileError(`manifest field ids.${side} repeats an id`);
  return index;
}

export function readSide(s: SideManifest, claims: TensorClaims, path: string): EncodedSide {
  const continuous = claims.take(s.continuous, 'F32', [s.n, s.contNames.length], `${path}.continuous`, 'finite') as Float32Array;
  return {
    n: s.n,
    contNames: s.contNames,
    continuous,
    categorical: s.categorical.map((c, k) => {
      const codes = claims.take(c.codes, 'I32', [s.n], `${path}.categorical[${k}].codes`) as Int32Array;
      checkIndices(codes, c.cardinality, `'${c.codes}' (codes of ${c.name}, cardinality ${c.cardinality})`);
      return { name: c.name, cardinality: c.cardinality, codes };
    }),
    multi: s.multi.map((mf, k) => {
      const at = `${path}.multi[${k}]`;
      const offsets = claims.take(mf.offsets, 'I32', [s.n + 1], `${at}.offsets`) as Int32Array;
      const ids = claims.take(mf.ids, 'I32', [null], `${at}.ids`) as Int32Array;
      checkOffsets(offsets, ids.length, `'${mf.offsets}' (offsets of ${mf.name})`);
      checkIndices(ids, mf.cardinality, `'${mf.ids}' (ids of ${mf.name}, cardinality ${mf.cardinality})`);
      if (mf.attributeTokens !== undefined && mf.attributeTokens >= mf.cardinality) throw new ModelFileError(`${at}.attributeTokens must be below the cardinality ${mf.cardinality}, got ${mf.attributeTokens}`);
      if (mf.recurrentTokens !== undefined && (mf.of !== undefined || mf.recurrentTokens > MAX_RECURRENT_TOKENS)) throw new ModelFileError(`${at}.recurrentTokens marks a text read by a GRU: at most ${MAX_RECURRENT_TOKENS}, on a feature with a table of its own, got ${mf.recurrentTokens}${mf.of ? ` on an '${mf.of}' feature` : ''}`);
      const weights = mf.weights === undefined ? undefined : (claims.take(mf.weights, 'F32', [ids.length], `${at}.weights`, 'finite') as Float32Array);
      if (weights && mf.of !== 'ids') throw new ModelFileError(`${at}.weights are GCN weights of a graph feature (of 'ids'); '${mf.name}' is not one`);
      return { name: mf.name, cardinality: mf.cardinality, offsets, ids, ...(mf.of ? { of: mf.of } : {}), ...(mf.levels ? { levels: mf.levels } : {}), ...(mf.attributeTokens ? { attributeTokens: mf.attributeTokens } : {}), ...(mf.recurrentTokens ? { recurrentTokens: mf.recurrentTokens } : {}), ...(weights ? { weights } : {}) };
    }),
  };
}

/** The state a model's importState takes: exactly the plan's tensors, read and checked. */
function readState(node: ManifestNode, plan: ModelPlan, claims: TensorClaims): ModelState {
  const tensors: Record<string, StateTensor> = Object.create(null);
  for (const key of node.tensors.keys()) {
    if (!plan.tensors.some((t) => t.key === key)) throw new ModelFileError(`${plan.path}.tensors has '${key}', which a '${plan.kind}' model with this config does not have`);
  }
  for (const t of plan.tensors) {
    const name = node.tensors.get(t.key);
    if (name === undefined && t.optional) continue;
    if (name === undefined) throw new ModelFileError(`${plan.path}.tensors lacks '${t.key}', which a '${plan.kind}' model with this config has`);
    tensors[t.key] = claims.take(name, t.dtype, t.shape, `${plan.path} ${t.key}`, t.values);
  }
  const state: ModelState = { kind: plan.kind, config: plan.options, globalMean: plan.globalMean, tensors };
  if (plan.loss) state.loss = plan.loss;
  if (plan.training) state.training = plan.training;
  if (plan.ranking) state.ranking = readState(node.ranking!, plan.ranking, claims);
  if (plan.members) state.members = plan.members.map((m, k) => ({ weight: m.weight, state: readState(node.members![k].model, m.plan, claims) }));
  return state;
}
