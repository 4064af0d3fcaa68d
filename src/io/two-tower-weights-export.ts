// A wasmrec two-tower (dot head) written by the weights convention of docs/model-file.md
// ("Importing two-tower weights"): what PyTorch or Keras would load into towers of the same
// shape, and what `wasmrec import two-tower-weights` reads back into the same scores. No Node API.

import type { TwoTower } from '../models/two-tower.js';
import type { CategoricalFeature, ContinuousFeature, FeatureDef, MultiFeature } from '../preprocessing/spec.js';
import { featureName } from '../preprocessing/spec.js';
import type { FittedParams } from '../preprocessing/side.js';
import { encodeSafetensors, type NamedTensor } from './safetensors.js';

/**
 * The safetensors bytes of `model`'s weights by the convention. Ids the model saw no training
 * rating for get a copy of the unknown id's rows, as wasmrec scores them that way. Throws for
 * what the convention cannot say: another head, a popularity prior, features other than
 * categorical, multi (no multi-hot) and continuous ones read from a column as is.
 *
 * @example
 * writeFileSync('weights.safetensors', twoTowerWeightsFile(model));
 */
export function twoTowerWeightsFile(model: TwoTower): Uint8Array {
  const c = model.config;
  if (c.head !== 'dot') throw new Error(`two-tower weights: the convention has the dot head; this model has the '${c.head}' head`);
  if (c.popularityPrior > 0) throw new Error('two-tower weights: the convention has no popularity prior (train with popularityPrior: 0)');
  const pipeline = model.pipeline;
  if (!pipeline && c.sideFeatures) throw new Error('two-tower weights: the model has no feature pipeline to take vocabularies from');
  const state = model.saveState();
  const spec = pipeline?.toJSON();
  // Parameters in the order of TwoTower.params(), as exportState names them.
  const params = Object.entries(state.tensors).filter(([name]) => name.startsWith('param')) as [string, Float32Array][];
  let next = 0;
  const take = () => params[next++][1];
  const tensors: NamedTensor[] = [];
  const loss = state.loss?.name ?? 'mse';
  const metadata: Record<string, string> = { activation: c.activation, global_mean: String(state.globalMean), ...(loss === 'mse' ? {} : { loss }) };
  for (const side of ['user', 'item'] as const) {
    const ids = side === 'user' ? model.indexes.userIndex.ids : model.indexes.itemIndex.ids;
    const seen = state.tensors[`${side}Seen`] as Uint8Array;
    const n = ids.length;
    metadata[`${side}_ids`] = JSON.stringify(ids);
    if (c.idDim > 0) tensors.push({ name: `${side}.id_embedding`, data: unseenAsUnknown(take(), seen, c.idDim), shape: [n + 1, c.idDim] });
    const defs = c.sideFeatures && spec ? spec.spec[side] : [];
    const fitted = spec ? spec[side].params : [];
    const listed = [...kinds(defs, 'categorical'), ...kinds(defs, 'multi'), ...kinds(defs, 'continuous')];
    if (listed.length !== defs.length) {
      const other = defs.find((d) => !(listed as FeatureDef[]).includes(d))!;
      throw new Error(`two-tower weights: the ${side} feature '${featureName(other)}' is a ${other.type} feature; the convention has categorical, multi and numeric (continuous) ones`);
    }
    const features: unknown[] = [];
    const table: Record<string, unknown[]> = {};
    for (const def of listed) {
      const name = featureName(def);
      const p: FittedParams = fitted[defs.indexOf(def)];
      if ('date' in def && def.date) throw new Error(`two-tower weights: the ${side} feature '${name}' reads a date part; the convention reads values as they are`);
      if ((def.type === 'categorical' && def.prefix !== undefined) || (def.type === 'multi' && def.multiHot)) throw new Error(`two-tower weights: the ${side} feature '${name}' uses ${def.type === 'multi' ? 'multiHot' : 'prefix'}, which the convention has not`);
      const raw = ids.map((id) => pipeline!.rawRow(side, id)?.[def.column] ?? null);
      if (def.type === 'continuous') {
        features.push({ name, type: 'numeric', mean: p.mean![0], std: p.std![0] });
        table[name] = raw.map((v) => (v === null || !Number.isFinite(Number(v)) ? null : Number(v)));
        continue;
      }
      features.push({ name, type: def.type, vocab: Object.fromEntries(p.vocab!.map((v, k) => [v, k + 1])) });
      table[name] = def.type === 'multi' ? raw.map((v) => (Array.isArray(v) ? v : v === null ? [] : [String(v)])) : raw.map((v) => (v === null ? null : String(v)));
      const values = take();
      const rows = p.vocab!.length + 1;
      tensors.push({ name: `${side}.feature.${name}.embedding`, data: values, shape: [rows, values.length / rows] });
    }
    if (features.length > 0) {
      metadata[`${side}_features`] = JSON.stringify(features);
      metadata[`${side}_table`] = JSON.stringify(table);
    }
    c.towerLayers.forEach((out, k) => {
      const W = take();
      const inDim = W.length / out;
      tensors.push({ name: `${side}.dense.${k}.weight`, data: transpose(W, inDim, out), shape: [out, inDim] });
      tensors.push({ name: `${side}.dense.${k}.bias`, data: take(), shape: [out] });
    });
  }
  for (const side of ['user', 'item'] as const) {
    const seen = state.tensors[`${side}Seen`] as Uint8Array;
    tensors.push({ name: `${side}.bias`, data: unseenAsUnknown(take(), seen, 1), shape: [seen.length + 1] });
  }
  return encodeSafetensors(tensors, metadata);
}

type ConventionFeature = CategoricalFeature | MultiFeature | ContinuousFeature;
const kinds = (defs: FeatureDef[], type: ConventionFeature['type']) => defs.filter((d): d is ConventionFeature => d.type === type);

/** A copy of an (n + 1)-row table whose rows of unseen ids hold the unknown (last) row. */
function unseenAsUnknown(table: Float32Array, seen: Uint8Array, width: number): Float32Array {
  const out = table.slice();
  const unknown = table.subarray(seen.length * width, (seen.length + 1) * width);
  for (let r = 0; r < seen.length; r++) if (seen[r] !== 1) out.set(unknown, r * width);
  return out;
}

/** wasmrec's Dense [in, out] → nn.Linear's [out, in]. */
function transpose(W: Float32Array, inDim: number, out: number): Float32Array {
  const t = new Float32Array(W.length);
  for (let i = 0; i < inDim; i++) for (let o = 0; o < out; o++) t[o * inDim + i] = W[i * out + o];
  return t;
}
