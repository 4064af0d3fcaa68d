// Two-tower weights read by ./two-tower-weights.ts → an ordinary wasmrec TwoTower (dot head)
// and the FeaturePipeline that encodes new users and items as the convention says, so the
// imported model saves, recommends, cold-starts from raw features and exports like one
// trained here. No Node API.

import type { Backend } from '../backends/index.js';
import { IdIndex } from '../data/interactions.js';
import type { ModelState, StateTensor } from '../models/state.js';
import { TwoTower } from '../models/two-tower.js';
import { FeaturePipeline, type FeaturePipelineJSON } from '../preprocessing/pipeline.js';
import type { FeatureDef } from '../preprocessing/spec.js';
import type { FittedParams } from '../preprocessing/side.js';
import type { ColumnJSON } from '../preprocessing/table.js';
import { resolveLoss } from '../training/losses.js';
import { ModelFileError } from './model-file-error.js';
import type { TwoTowerWeights, WeightSide } from './two-tower-weights.js';

/** What a FeaturePipeline without rating statistics stores for the (absent) cold entity's. */
const NO_STATS = { ids: [], values: [], cold: [null, 0, null, null, null] };

/**
 * The imported model (trained: predicts, recommends, saves) with its pipeline attached.
 * Every listed id is "seen": it uses its own id row; other ids use the unknown row.
 *
 * @example
 * const model = twoTowerFromWeights(await createBackend('js'), readTwoTowerWeights(bytes));
 * model.recommendForFeatures({ age: 31, gender: 'F' }, 10);
 */
export function twoTowerFromWeights(backend: Backend, w: TwoTowerWeights): TwoTower {
  const idDim = Math.max(w.user.idDim, w.item.idDim);
  const dims = new Map<string, number>();
  for (const s of [w.user, w.item]) {
    for (const f of s.features) {
      if (f.type === 'numeric') continue;
      // wasmrec keys a feature's width by (name, cardinality): one width per such pair.
      const key = `${f.name}\u0000${f.vocab.length + 1}`;
      const width = s.featureTables.get(f.name)!.width;
      if ((dims.get(key) ?? width) !== width) throw new ModelFileError(`the feature '${f.name}' has embeddings of width ${dims.get(key)} and ${width} on the two sides with the same vocabulary size; wasmrec needs one width (rename one)`);
      dims.set(key, width);
    }
  }
  const pipeline = FeaturePipeline.fromJSON(pipelineJSON(w));
  const userIndex = new IdIndex(w.user.ids);
  const itemIndex = new IdIndex(w.item.ids);
  const features = { user: pipeline.encode('user', userIndex), item: pipeline.encode('item', itemIndex) };
  const options = {
    idDim,
    featureDim: (name: string, cardinality: number) => dims.get(`${name}\u0000${cardinality}`) ?? 0,
    towerLayers: w.user.dense.map((d) => d.outDim),
    head: 'dot' as const,
    activation: w.activation,
    dropout: 0,
    idDropout: 0,
    coldColumns: [],
    popularityPrior: 0,
  };
  const model = new TwoTower(backend, { userIndex, itemIndex }, features, options);
  try {
    model.loadState(state(w, idDim));
  } catch (err) {
    model.dispose();
    throw err;
  }
  model.pipeline = pipeline;
  return model;
}

/** The state TwoTower.importState reads: parameters in the order of its params(). */
function state(w: TwoTowerWeights, idDim: number): ModelState {
  const tensors: Record<string, StateTensor> = {
    userSeen: new Uint8Array(w.user.ids.length).fill(1),
    itemSeen: new Uint8Array(w.item.ids.length).fill(1),
  };
  const params: [string, Float32Array][] = [];
  for (const [name, s] of [['user', w.user], ['item', w.item]] as const) {
    const n = s.ids.length + 1;
    // A narrower (or absent) id embedding is padded with zero columns, and the first layer
    // with zero weights for them: the same outputs, in wasmrec's one id width.
    if (idDim > 0) params.push([`${name}/id`, padColumns(s.idEmbedding ?? new Float32Array(0), n, s.idDim, idDim)]);
    const grouped = [...s.features.filter((f) => f.type === 'categorical'), ...s.features.filter((f) => f.type === 'multi')];
    for (const f of grouped) params.push([`${name}/${f.name}`, s.featureTables.get(f.name)!.values]);
    s.dense.forEach((d, k) => {
      const W = k === 0 ? insertZeroRows(groupInputs(s, d.W, d.outDim), d.outDim, s.idDim, idDim - s.idDim) : d.W;
      params.push([`${name}_tower/dense${k}/W`, W], [`${name}_tower/dense${k}/b`, d.b]);
    });
  }
  params.push(['user_bias', w.user.bias], ['item_bias', w.item.bias]);
  params.forEach(([name, values], k) => (tensors[`param${k}:${name}`] = values));
  // An implicit loss makes the model rank by its logits (no "predicted rating"), as trained.
  return { kind: 'two-tower', config: {}, globalMean: w.globalMean, tensors, ...(w.loss === 'mse' ? {} : { loss: resolveLoss(w.loss) }) };
}

/**
 * The first layer's input rows, from the file's order (id, then the features as listed) to
 * wasmrec's input layout (id, categorical, multi, numeric; each kind in listed order).
 */
function groupInputs(s: WeightSide, W: Float32Array, out: number): Float32Array {
  const blocks: { kind: number; from: number; width: number }[] = [];
  let at = s.idDim;
  for (const f of s.features) {
    const width = f.type === 'numeric' ? 1 : s.featureTables.get(f.name)!.width;
    blocks.push({ kind: ['categorical', 'multi', 'numeric'].indexOf(f.type), from: at, width });
    at += width;
  }
  const res = W.slice();
  let to = s.idDim;
  for (const kind of [0, 1, 2]) {
    for (const b of blocks.filter((x) => x.kind === kind)) {
      res.set(W.subarray(b.from * out, (b.from + b.width) * out), to * out);
      to += b.width;
    }
  }
  return res;
}

/** rows × from → rows × to, the extra columns zero. */
function padColumns(values: Float32Array, rows: number, from: number, to: number): Float32Array {
  if (from === to) return values;
  const out = new Float32Array(rows * to);
  for (let r = 0; r < rows; r++) out.set(values.subarray(r * from, (r + 1) * from), r * to);
  return out;
}

/** An [in, out] weight with `count` zero input rows inserted before input row `at`. */
function insertZeroRows(W: Float32Array, out: number, at: number, count: number): Float32Array {
  if (count === 0) return W;
  const res = new Float32Array(W.length + count * out);
  res.set(W.subarray(0, at * out));
  res.set(W.subarray(at * out), (at + count) * out);
  return res;
}

/** The pipeline of the convention: categorical/multi by the file's vocabularies, numeric standardised by its mean and std. */
function pipelineJSON(w: TwoTowerWeights): FeaturePipelineJSON {
  const side = (s: WeightSide) => {
    const defs: FeatureDef[] = [];
    const params: FittedParams[] = [];
    const columns: Record<string, ColumnJSON> = {};
    for (const f of s.features) {
      const values = s.table[f.name] ?? s.ids.map(() => null);
      if (f.type === 'numeric') {
        defs.push({ type: 'continuous', column: f.name });
        params.push({ mean: [f.mean], std: [f.std] });
        columns[f.name] = { kind: 'number', values: values as (number | null)[] };
      } else {
        defs.push({ type: f.type, column: f.name });
        params.push({ vocab: f.vocab });
        columns[f.name] = f.type === 'multi' ? { kind: 'multi', values: values.map((v) => (v ?? []) as string[]) } : { kind: 'string', values: values.map((v) => (v === null ? null : String(v))) };
      }
    }
    return { defs, json: { table: { ids: s.ids, columns }, params, stats: NO_STATS } };
  };
  const user = side(w.user);
  const item = side(w.item);
  return { version: 1, spec: { user: user.defs, item: item.defs }, user: user.json, item: item.json, interaction: [] };
}
