// Load plans of the feature models (LinearRS, two-tower): their parameters in the order of
// their `params()` (saved as `param<k>:<name>`), with the shapes the config gives them, and
// every buffer their build allocates (mirrors models/linear.ts, models/two-tower.ts and
// nn/: a test compares these bytes with the heap after loading each kind).

import { recurrentTextBufferFloats } from '../nn/recurrent-text.js';
import { resolveLoss, type LossConfig, type LossName } from '../training/losses.js';
import type { ConfigFields } from './config-fields.js';
import { ModelFileError } from './model-file-error.js';
import { heapBytes, paramBytes, paramShape, type ExpectedTensor, type KindPlan, type PlanContext, type SideShape } from './plan-types.js';

type Sides = { user: SideShape; item: SideShape };
/** A parameter as built: name, rows × dim, row-sparse or dense. */
type ParamSpec = [name: string, rows: number, dim: number, sparse: boolean];

const ACTIVATIONS = ['relu', 'sigmoid', 'tanh', 'linear'] as const;
const HEADS = ['dot', 'mlp', 'both'] as const;

/** Options every feature model saves, and the bytes of what FeatureModel.importState allocates itself. */
function featureOptions(config: ConfigFields, features: Sides) {
  const maxBatch = config.int('maxBatch', 1);
  const coldColumns = config.strings('coldColumns');
  const options = {
    maxBatch,
    idDropout: config.num('idDropout', 0, 1),
    userIdDropout: config.num('userIdDropout', 0, 1),
    itemIdDropout: config.num('itemIdDropout', 0, 1),
    coldColumns,
  };
  const tables = (side: SideShape) => {
    const w = side.contNames.length;
    const cold = w > 0 && side.contNames.some((name) => coldColumns.includes(name));
    // Every recurrent text's padded token rows (nn/recurrent-text.ts, paddedTokens).
    const tokens = side.multi.reduce((sum, mf) => sum + (mf.recurrentTokens ? heapBytes(4 * side.n * mf.recurrentTokens) : 0), 0);
    return heapBytes(4 * Math.max(1, (cold ? 2 : 1) * side.n * w)) + side.categorical.length * heapBytes(4 * side.n) + tokens;
  };
  return { options, maxBatch, bytes: tables(features.user) + tables(features.item) + 2 * heapBytes(4 * maxBatch) };
}

function expected(params: ParamSpec[]): { tensors: ExpectedTensor[]; bytes: number } {
  return {
    // A dense layer's weights stay a matrix even with one output; other tables of width 1 are vectors.
    tensors: params.map(([name, rows, dim], k) => ({ key: `param${k}:${name}`, dtype: 'F32', shape: name.endsWith('/W') ? [rows, dim] : paramShape(rows, dim), values: 'finite' })),
    bytes: params.reduce((sum, [, rows, dim, sparse]) => sum + paramBytes(rows, dim, sparse), 0),
  };
}

/** LinearRS: MF terms, biases, and per side a weight per continuous column and a scalar per code. */
export function planLinear(config: ConfigFields, ctx: PlanContext, features: Sides, loss: Required<LossConfig> | null): KindPlan {
  if (loss !== null && loss.name === 'softmax') throw new ModelFileError(`a 'linear' model cannot have been trained with the '${loss.name}' loss`);
  const common = featureOptions(config, features);
  const factors = config.int('factors', 0);
  const options = { ...common.options, factors, regFactors: config.num('regFactors', 0), regBias: config.num('regBias', 0), regFeatures: config.num('regFeatures', 0), initStd: config.num('initStd', 0) };
  const K = Math.max(1, factors);
  const mf: ParamSpec[] = [['user_factors', ctx.nUsers + 1, K, true], ['item_factors', ctx.nItems + 1, K, true]];
  const params: ParamSpec[] = [...(factors > 0 ? mf : []), ['user_bias', ctx.nUsers + 1, 1, true], ['item_bias', ctx.nItems + 1, 1, true]];
  const mb = common.maxBatch;
  let buffers = 0;
  for (const side of ['user', 'item'] as const) {
    const f = features[side];
    const nCont = f.contNames.length;
    params.push([`${side}_weights`, Math.max(1, nCont), 1, false]);
    for (const c of [...f.categorical, ...f.multi]) params.push([`${side}/${c.name}`, c.cardinality, 1, true]);
    const width = f.categorical.length + f.multi.length;
    buffers += 2 * heapBytes(4 * Math.max(1, mb * width)) + heapBytes(4 * Math.max(1, mb * nCont)) + heapBytes(4 * Math.max(1, width));
  }
  const { tensors, bytes } = expected(params);
  // P and Q are built (one zero column) even with factors = 0, though not saved.
  const unsaved = factors > 0 ? 0 : mf.reduce((s, [, rows, dim]) => s + paramBytes(rows, dim, true), 0);
  return { options, tensors, bytes: common.bytes + bytes + unsaved + buffers };
}

/** Two-tower: per side an input layer (id, feature embeddings, continuous) and a tower; biases; an MLP head; a prior. */
export function planTwoTower(config: ConfigFields, ctx: PlanContext, features: Sides, loss: Required<LossConfig> | null): KindPlan {
  const common = featureOptions(config, features);
  const mb = common.maxBatch;
  const c = {
    idDim: config.int('idDim', 0),
    towerLayers: config.ints('towerLayers', 1),
    headLayers: config.ints('headLayers', 1),
    head: config.oneOf('head', HEADS),
    activation: config.oneOf('activation', ACTIVATIONS),
    dropout: config.num('dropout', 0, 1),
    sideFeatures: config.bool('sideFeatures'),
    regId: config.num('regId', 0),
    regFeatures: config.num('regFeatures', 0),
    // Files from before per-history L2 trained histories with regFeatures.
    regHistory: config.numOr('regHistory', 0, config.num('regFeatures', 0)),
    regDense: config.num('regDense', 0),
    regBias: config.num('regBias', 0),
    popularityPrior: config.num('popularityPrior', 0),
  };
  const featureDims = config.rows('featureDims', '[name, cardinality, width] rows', (row) =>
    Array.isArray(row) && row.length === 3 && typeof row[0] === 'string' && Number.isSafeInteger(row[1]) && row[1] >= 1 && Number.isSafeInteger(row[2]) && row[2] >= 0 ? (row as [string, number, number]) : null,
  );
  const dims = new Map(featureDims.map(([name, card, dim]) => [`${name}\u0000${card}`, dim]));
  // The saved models of 0.1 did not record their loss; a prior implies an implicit one.
  const resolved: LossName = loss?.name ?? (c.popularityPrior > 0 ? 'bce' : 'mse');
  const supported: LossName[] = c.head === 'dot' ? ['mse', 'bce', 'bpr', 'softmax'] : ['mse', 'bce', 'bpr'];
  if (!supported.includes(resolved)) throw new ModelFileError(`a two-tower model with the '${c.head}' head cannot have been trained with the '${resolved}' loss`);
  if (c.popularityPrior > 0 && resolved === 'mse') throw new ModelFileError('a two-tower model with a popularity prior needs an implicit loss (bce, bpr, softmax), the file says mse');

  const params: ParamSpec[] = [];
  let buffers = 0;
  const tower = (name: string, inDim: number, layers: number[]): number => {
    let width = inDim;
    layers.forEach((out, i) => {
      params.push([`${name}/dense${i}/W`, width, out, false], [`${name}/dense${i}/b`, 1, out, false]);
      const dropout = i < layers.length - 1 && c.dropout > 0 ? 3 * heapBytes(4 * mb * out) : 0;
      buffers += 2 * heapBytes(4 * mb * out) + dropout;
      width = out;
    });
    return width;
  };
  const side = (s: 'user' | 'item'): number => {
    const f = features[s];
    const nIds = s === 'user' ? ctx.nUsers : ctx.nItems;
    let width = c.idDim;
    if (c.idDim > 0) params.push([`${s}/id`, nIds + 1, c.idDim, true]);
    if (c.sideFeatures) {
      for (const e of [...f.categorical, ...f.multi]) {
        if ('of' in e && e.of === 'ids' && c.idDim > 0) {
          // A graph feature pools the id table: no table of its own.
          if (e.cardinality !== nIds + 1) throw new ModelFileError(`the ${s} graph feature '${e.name}' needs the ${s} id embedding over ${nIds} ids`);
          width += c.idDim;
          continue;
        }
        const dim = dims.get(`${e.name}\u0000${e.cardinality}`) ?? 0;
        params.push([`${s}/${e.name}`, e.cardinality, dim, true]);
        width += dim;
        const text = e as SideShape['multi'][number];
        if (text.recurrentTokens && text.of === undefined) {
          // The text's GRU (nn/recurrent-text.ts): W, U and the two biases, then its buffers.
          const gru = `${s}/${e.name}/gru`;
          params.push([`${gru}_w`, dim, 3 * dim, false], [`${gru}_u`, dim, 3 * dim, false], [`${gru}_bx`, 1, 3 * dim, false], [`${gru}_bh`, 1, 3 * dim, false]);
          buffers += recurrentTextBufferFloats(mb, text.recurrentTokens, dim).reduce((sum, n) => sum + heapBytes(4 * n), 0);
        }
      }
      width += f.contNames.length;
    }
    if (width === 0) throw new ModelFileError(`the two-tower's ${s} tower has no input (idDim 0 and no side features)`);
    buffers += 2 * heapBytes(4 * Math.max(1, mb * width));
    return tower(`${s}_tower`, width, c.towerLayers);
  };
  const du = side('user');
  const dv = side('item');
  if (c.head !== 'mlp' && du !== dv) throw new ModelFileError(`the two-tower's '${c.head}' head needs towers of equal output width (user ${du}, item ${dv})`);
  params.push(['user_bias', ctx.nUsers + 1, 1, true], ['item_bias', ctx.nItems + 1, 1, true]);
  if (c.head !== 'dot') {
    buffers += 2 * heapBytes(4 * Math.max(1, mb * (du + dv)));
    tower('head', du + dv, [...c.headLayers, 1]);
  }
  if (c.popularityPrior > 0) params.push(['item_popularity_prior', ctx.nItems + 1, 1, true]);
  // identity, score and one; the in-batch softmax's maxBatch² logits.
  buffers += 2 * heapBytes(4 * mb) + heapBytes(4);
  if (resolved === 'softmax') buffers += heapBytes(4 * mb * mb) + heapBytes(4 * mb);
  const { tensors, bytes } = expected(params);
  return { options: { ...common.options, ...c, featureDims }, loss: loss ?? (resolved === 'mse' ? null : resolveLoss(resolved)), tensors, bytes: common.bytes + bytes + buffers };
}
