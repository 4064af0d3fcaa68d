// What a saved model will be before anything is built: its checked constructor options,
// the tensors (dtype and shape) its config implies, and the backend bytes loading it takes.
// The reader compares the expected tensors with the file's and the bytes with a budget
// before it allocates; the writer takes the shapes it saves from here too.

import { isImplicit, type LossName } from '../training/losses.js';
import { ConfigFields } from './config-fields.js';
import { SCORE_FUSIONS } from '../models/score-fusion.js';
import { MAX_FEATURE_WIDTH } from '../preprocessing/feature-map.js';
import { planLinear, planTwoTower } from './feature-model-plan.js';
import type { ManifestNode } from './model-manifest.js';
import { ModelFileError } from './model-file-error.js';
import { attentionPlan, bstItemTowerPlan, gruBytes, gruTensors, historyDecayOption, historyGapsPlan, planSequenceTwoTower, youtubeExtrasPlan } from './sequence-model-plan.js';
import { attributeBuckets, attributeTableName } from '../models/bst-attributes.js';
import { paramBytes, type ExpectedTensor, type KindPlan, type ModelPlan, type PlanContext } from './plan-types.js';

/**
 * The plan of a saved model (and its members): checks the config, the loss and the
 * feature reference, and lists the tensors the model's state must hold.
 */
export function planModel(node: ManifestNode, ctx: PlanContext, path = 'model'): ModelPlan {
  const plan = planNode(node, ctx, path);
  if (!node.ranking) return plan;
  const ranking = planNode(node.ranking, ctx, `${path}.ranking`);
  if (node.ranking.ranking) throw new ModelFileError(`${path}.ranking: a ranking twin has no twin of its own`);
  if (ranking.kind !== plan.kind) throw new ModelFileError(`${path}.ranking: a '${plan.kind}' model's ranking twin is a '${plan.kind}' too, not a '${ranking.kind}'`);
  if ((plan.loss?.name ?? 'mse') !== 'mse' || (ranking.loss?.name ?? 'mse') === 'mse') throw new ModelFileError(`${path}.ranking: a ranking twin belongs to a rating model (loss mse) and has an implicit loss`);
  return { ...plan, ranking, bytes: plan.bytes + ranking.bytes };
}

function planNode(node: ManifestNode, ctx: PlanContext, path: string): ModelPlan {
  const config = new ConfigFields(node.config, path);
  const loss = node.loss;
  const base = { path, kind: node.kind, globalMean: node.globalMean, features: null as number | null, members: null as ModelPlan['members'], ranking: null, training: node.training };
  const supports = (allowed: readonly LossName[]) => {
    if (loss !== null && !allowed.includes(loss.name)) throw new ModelFileError(`${path}: a '${node.kind}' model cannot have been trained with the '${loss.name}' loss`);
  };
  if (node.kind !== 'ensemble' && node.members) throw new ModelFileError(`${path}: only an ensemble has members`);
  switch (node.kind) {
    case 'global-mean':
    case 'user-mean':
    case 'item-mean':
      supports(['mse']);
      return { ...base, loss, ...planMean(config, ctx), tensors: [...planMean(config, ctx).tensors, supportTensor(ctx)] };
    case 'popularity': {
      const minRating = node.config.minRating;
      if (minRating !== null && minRating !== undefined && !(typeof minRating === 'number' && Number.isFinite(minRating))) throw new ModelFileError(`${path}.config.minRating must be a finite number or null, got ${JSON.stringify(minRating).slice(0, 60)}`);
      const options = { minRating: minRating ?? null };
      return { ...base, loss, options, tensors: [{ key: 'counts', dtype: 'F32', shape: [ctx.nItems], values: 'counts' }, supportTensor(ctx)], bytes: 0 };
    }
    case 'svdpp':
    case 'mf':
      // SVD++ saves its folded user vectors: the same tensors as MF.
      supports(node.kind === 'mf' ? ['mse', 'bce', 'bpr', 'softmax'] : ['mse']);
      return { ...base, loss, ...planMF(config, ctx), tensors: [...planMF(config, ctx).tensors, supportTensor(ctx)] };
    case 'youtube': {
      // Saved as the served vectors (each user's from her latest history; MF's tensors) plus the network.
      supports(['softmax']);
      const mf = planMF(config, ctx);
      const K = mf.options.factors as number;
      const gaps = historyGapsPlan(config);
      const extras = youtubeExtrasPlan(config, node.features === null ? undefined : ctx.features[node.features], path);
      const D = K + gaps.dg + extras.width;
      const net: ExpectedTensor[] = [
        { key: 'historyItems', dtype: 'F32', shape: [ctx.nItems, K], values: 'finite' },
        ...gaps.tensors,
        { key: 'userTowerW', dtype: 'F32', shape: [D, K], values: 'finite' },
        { key: 'userTowerB', dtype: 'F32', shape: [K], values: 'finite' },
        ...extras.tensors,
      ];
      const bytes = mf.bytes + paramBytes(ctx.nItems, K, true) + gaps.bytes + extras.bytes + paramBytes(D, K, false) + paramBytes(1, K, false);
      const options = { ...mf.options, historyLength: config.int('historyLength', 1), timeGaps: gaps.dg > 0, ...historyDecayOption(config), demographics: extras.demographics, exampleAge: extras.exampleAge };
      return { ...base, features: node.features, loss, ...mf, bytes, options, tensors: [...mf.tensors, ...net, supportTensor(ctx)] };
    }
    case 'sequence-two-tower': {
      supports(['softmax']);
      const k = node.features;
      const features = k === null ? undefined : ctx.features[k];
      if (!features) throw new ModelFileError(`${path}.features must name one of the file's ${ctx.features.length} feature sets, got ${k}`);
      if (features.item.n !== ctx.nItems + 1) throw new ModelFileError(`features[${k}].item.n is ${features.item.n}; the model needs ${ctx.nItems + 1} (one row per item id plus the unknown row)`);
      const plan = planSequenceTwoTower(config, ctx, features.item, path, planMF(config, ctx));
      return { ...base, features: k, loss, ...plan, tensors: [...plan.tensors, supportTensor(ctx)] };
    }
    case 'gru4rec': {
      // As youtube: the served vectors (MF's tensors) plus the encoder, for anonymous sessions.
      supports(['softmax']);
      const mf = planMF(config, ctx);
      const K = mf.options.factors as number;
      const net: ExpectedTensor[] = [{ key: 'historyItems', dtype: 'F32', shape: [ctx.nItems, K], values: 'finite' }, ...gruTensors(K)];
      const bytes = mf.bytes + paramBytes(ctx.nItems, K, true) + gruBytes(K);
      const options = { ...mf.options, historyLength: config.int('historyLength', 1), dropout: config.num('dropout', 0, 1) };
      return { ...base, loss, ...mf, bytes, options, tensors: [...mf.tensors, ...net, supportTensor(ctx)] };
    }
    case 'sasrec': {
      // The served vectors (MF's tensors) plus the encoder, named as src/models/sasrec-net.ts names them.
      supports(['softmax']);
      const mf = planMF(config, ctx);
      const K = mf.options.factors as number;
      const L = config.int('historyLength', 1);
      const { blocks, heads, tensors: net, bytes: netBytes } = attentionPlan(config, K, L, path);
      const bytes = mf.bytes + netBytes;
      const options = { ...mf.options, historyLength: L, blocks, heads, dropout: config.num('dropout', 0, 1) };
      return { ...base, loss, ...mf, bytes, options, tensors: [...mf.tensors, ...net, supportTensor(ctx)] };
    }
    case 'bst': {
      // MF's tensors (Q and b_i score candidates), SASRec's encoder with one block, the target
      // attention's key projection, the MLP, and each user's latest events (what she is scored by).
      supports(['bce', 'softmax', 'mse']);
      const mf = planMF(config, ctx);
      const K = mf.options.factors as number;
      const L = config.int('historyLength', 1);
      const mlpLayers = config.ints('mlpLayers', 1);
      const { heads, ...encoder } = attentionPlan(config, K, L, path, 1);
      // With demographics: youtube's embeddings of the users' categorical features (their width widens the MLP's input).
      const user = youtubeExtrasPlan(config, node.features === null ? undefined : ctx.features[node.features], path);
      const dense: [string, number, number][] = [['target_attention/k', K, K]];
      [...mlpLayers, 1].forEach((w, k) => dense.push([`mlp/dense${k}`, k === 0 ? 3 * K + user.width : mlpLayers[k - 1], w]));
      const net: ExpectedTensor[] = dense.flatMap(([name, i, o]) => [{ key: `${name}/W`, dtype: 'F32', shape: [i, o], values: 'finite' }, { key: `${name}/b`, dtype: 'F32', shape: [o], values: 'finite' }] as ExpectedTensor[]);
      const bytes = mf.bytes + encoder.bytes + dense.reduce((s, [, i, o]) => s + paramBytes(i, o, false) + paramBytes(1, o, false), 0);
      const histories: ExpectedTensor = { key: 'histories', dtype: 'I32', shape: [ctx.nUsers, L], values: 'finite' };
      // With event ratings and/or time gaps: their embedding and each user's latest events' attribute ids.
      const eventRatings = config.boolOr('eventRatings', false);
      const timeGaps = config.boolOr('timeGaps', false);
      const buckets = attributeBuckets({ ratings: eventRatings, gaps: timeGaps });
      const ratings: ExpectedTensor[] = buckets ? [{ key: attributeTableName({ ratings: eventRatings, gaps: timeGaps }), dtype: 'F32', shape: [buckets, K], values: 'finite' }, { key: 'historyRatings', dtype: 'I32', shape: [ctx.nUsers, L], values: 'finite' }] : [];
      // With item features: sequence-two-tower's item tower (its default id width) computes Q.
      const itemFeatures = config.boolOr('itemFeatures', false);
      const items = itemFeatures ? bstItemTowerPlan(node.features === null ? undefined : ctx.features[node.features], ctx, K, path) : { tensors: [], bytes: 0 };
      const options = { ...mf.options, historyLength: L, heads, dropout: config.num('dropout', 0, 1), mlpLayers, eventRatings, timeGaps, itemFeatures, demographics: user.demographics };
      const total = bytes + items.bytes + user.bytes + (buckets ? paramBytes(buckets, K, false) : 0);
      return { ...base, ...(itemFeatures || user.demographics ? { features: node.features } : {}), loss, ...mf, bytes: total, options, tensors: [...mf.tensors, ...encoder.tensors, ...net, histories, ...ratings, ...items.tensors, ...user.tensors, supportTensor(ctx)] };
    }
    case 'lightgcn': {
      // Saved as the propagated vectors (MF's tensors, zero biases): serving needs nothing else.
      supports(['bpr']);
      const mf = planMF(config, ctx);
      return { ...base, loss, ...mf, options: { ...mf.options, layers: config.int('layers', 0) }, tensors: [...mf.tensors, supportTensor(ctx)] };
    }
    case 'linear':
    case 'two-tower': {
      const k = node.features;
      const features = k === null ? undefined : ctx.features[k];
      if (!features) throw new ModelFileError(`${path}.features must name one of the file's ${ctx.features.length} feature sets, got ${k}`);
      for (const [side, n] of [['user', ctx.nUsers], ['item', ctx.nItems]] as const) {
        if (features[side].n !== n + 1) throw new ModelFileError(`features[${k}].${side}.n is ${features[side].n}; the model needs ${n + 1} (one row per ${side} id plus the unknown row)`);
      }
      const planned = node.kind === 'linear' ? planLinear(config, ctx, features, loss) : planTwoTower(config, ctx, features, loss);
      return { ...base, ...planned, features: k, loss: planned.loss === undefined ? loss : planned.loss, tensors: [...seenTensors(ctx), ...planned.tensors, supportTensor(ctx)] };
    }
    case 'ensemble': {
      const saved = node.members ?? [];
      if (saved.length === 0) throw new ModelFileError(`${path}.members must list at least one model`);
      if (!saved.some((m) => m.weight > 0)) throw new ModelFileError(`${path}.members: at least one weight must be > 0`);
      const members = saved.map((m, k) => ({ weight: m.weight, plan: planModel(m.model, ctx, `${path}.members[${k}].model`) }));
      const names = members.map((m) => m.plan.loss?.name ?? 'mse');
      // A rating ensemble's members share its loss; an implicit one's have an implicit loss each (their scores are fused).
      // Files saved before ensembles had a fusion ranked by the mean of standardised scores.
      const fits = (n: string) => (loss !== null && isImplicit(loss.name) ? isImplicit(n as LossName) : n === loss?.name);
      if (loss !== null && !names.every(fits)) throw new ModelFileError(`${path}: the ensemble's loss '${loss.name}' does not go with its members' (${names.join(', ')})`);
      return { ...base, loss, options: { fusion: config.oneOfOr('fusion', SCORE_FUSIONS, 'standardised-mean') }, tensors: [supportTensor(ctx)], bytes: members.reduce((s, m) => s + m.plan.bytes, 0), members };
    }
    default:
      throw new ModelFileError(`${path}.kind is '${node.kind}', which this wasmrec does not know (saved by a newer version?)`);
  }
}

function planMean(config: ConfigFields, ctx: PlanContext): KindPlan {
  return {
    options: { minCount: config.int('minCount', 1) },
    // NaN marks an entity below minCount: it predicts the global mean.
    tensors: [
      { key: 'userMean', dtype: 'F64', shape: [ctx.nUsers], values: 'finite-or-nan' },
      { key: 'itemMean', dtype: 'F64', shape: [ctx.nItems], values: 'finite-or-nan' },
    ],
    bytes: 0,
  };
}

function planMF(config: ConfigFields, ctx: PlanContext): KindPlan {
  const K = config.int('factors', 1);
  const options = { factors: K, regFactors: config.num('regFactors', 0), regBias: config.num('regBias', 0), initStd: config.num('initStd', 0) };
  const nu = ctx.nUsers + 1;
  const ni = ctx.nItems + 1;
  // Brand-new users' map from features to [p_u, b_u] (models/mf-cold-users.ts), when fitted.
  const coldWidth = config.has('coldUserMapWidth') ? config.int('coldUserMapWidth', 1, MAX_FEATURE_WIDTH) : 0;
  const cold = coldWidth > 0 ? { coldUserMapWidth: coldWidth, coldUserColumns: config.strings('coldUserColumns') } : {};
  return {
    options: { ...options, ...cold },
    tensors: [
      ...(coldWidth > 0 ? [{ key: 'coldUserMap', dtype: 'F32', shape: [coldWidth, K + 1], values: 'finite' } satisfies ExpectedTensor] : []),
      { key: 'userFactors', dtype: 'F32', shape: [nu, K], values: 'finite' },
      { key: 'itemFactors', dtype: 'F32', shape: [ni, K], values: 'finite' },
      { key: 'userBias', dtype: 'F32', shape: [nu], values: 'finite' },
      { key: 'itemBias', dtype: 'F32', shape: [ni], values: 'finite' },
      ...seenTensors(ctx),
    ],
    bytes: paramBytes(nu, K, true) + paramBytes(ni, K, true) + paramBytes(nu, 1, true) + paramBytes(ni, 1, true),
  };
}

/** Training interactions per item (saved since format 2; optional: files without it rank without the support rules). */
function supportTensor(ctx: PlanContext): ExpectedTensor {
  return { key: 'itemSupport', dtype: 'I32', shape: [ctx.nItems], values: 'counts', optional: true };
}

/** Which users and items had training ratings (MF and the feature models). */
function seenTensors(ctx: PlanContext): ExpectedTensor[] {
  return [
    { key: 'userSeen', dtype: 'U8', shape: [ctx.nUsers], values: 'flags' },
    { key: 'itemSeen', dtype: 'U8', shape: [ctx.nItems], values: 'flags' },
  ];
}
