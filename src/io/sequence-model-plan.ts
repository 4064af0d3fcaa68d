// The expected tensors and options of the sequence models' networks (youtube's extras, the
// GRU and attention encoders, the sequence two-tower, bst's item tower), for ./model-plan.ts.
import { ConfigFields } from './config-fields.js';
import { ModelFileError } from './model-file-error.js';
import { itemTowerShapes } from '../models/item-tower.js';
import { demographicShapes } from '../models/youtube-user-input.js';
import { TIME_GAP_DIM } from '../models/youtube.js';
import { SEQUENCE_ENCODERS, SEQUENCE_TWO_TOWER_DEFAULTS } from '../models/sequence-two-tower.js';
import { GAP_BUCKETS } from '../data/time-gaps.js';
import { paramBytes, paramShape, type ExpectedTensor, type KindPlan, type PlanContext } from './plan-types.js';

/** The pooling's recency half-life (saved when on; absent, as in files before it: 0, the plain mean — not the kind's default). */
export function historyDecayOption(config: ConfigFields): { historyDecay: number } {
  return { historyDecay: config.numOr('historyDecay', 0, 0) };
}

/** A sequence model's time-gap table (saved since time gaps existed; absent = none). */
export function historyGapsPlan(config: ConfigFields): { dg: number; tensors: ExpectedTensor[]; bytes: number } {
  if (!config.boolOr('timeGaps', false)) return { dg: 0, tensors: [], bytes: 0 };
  return { dg: TIME_GAP_DIM, tensors: [{ key: 'historyGaps', dtype: 'F32', shape: [GAP_BUCKETS, TIME_GAP_DIM], values: 'finite' }], bytes: paramBytes(GAP_BUCKETS, TIME_GAP_DIM, true) };
}

/** SASRec's encoder (src/models/sasrec-net.ts) of width K over L positions, as saved. */
export function attentionPlan(config: ConfigFields, K: number, L: number, path: string, fixedBlocks?: number): { blocks: number; heads: number; tensors: ExpectedTensor[]; bytes: number } {
  // bst has one block by construction (no `blocks` in its config).
  const blocks = fixedBlocks ?? config.int('blocks', 1, 64);
  const heads = config.int('heads', 1, K);
  if (K % heads !== 0) throw new ModelFileError(`${path}.config.heads must divide factors (${K}), got ${heads}`);
  const tensors: ExpectedTensor[] = [{ key: 'positions', dtype: 'F32', shape: [L, K], values: 'finite' }];
  let bytes = paramBytes(L, K, false);
  for (let b = 0; b < blocks; b++) {
    for (const layer of ['attention/q', 'attention/k', 'attention/v', 'attention/o', 'ffn1', 'ffn2']) {
      tensors.push({ key: `block${b}/${layer}/W`, dtype: 'F32', shape: [K, K], values: 'finite' }, { key: `block${b}/${layer}/b`, dtype: 'F32', shape: [K], values: 'finite' });
      bytes += paramBytes(K, K, false) + paramBytes(1, K, false);
    }
    for (const norm of ['ln1', 'ln2']) {
      tensors.push({ key: `block${b}/${norm}/gain`, dtype: 'F32', shape: [K], values: 'finite' }, { key: `block${b}/${norm}/bias`, dtype: 'F32', shape: [K], values: 'finite' });
      bytes += 2 * paramBytes(1, K, false);
    }
  }
  return { blocks, heads, tensors, bytes };
}

/** A GRU of width K (src/nn/gru.ts), as saved. */
export function gruTensors(K: number): ExpectedTensor[] {
  return [
    { key: 'gruW', dtype: 'F32', shape: [K, 3 * K], values: 'finite' },
    { key: 'gruU', dtype: 'F32', shape: [K, 3 * K], values: 'finite' },
    { key: 'gruBx', dtype: 'F32', shape: [3 * K], values: 'finite' },
    { key: 'gruBh', dtype: 'F32', shape: [3 * K], values: 'finite' },
  ];
}

export function gruBytes(K: number): number {
  return 2 * paramBytes(K, 3 * K, false) + 2 * paramBytes(1, 3 * K, false);
}

/** The youtube model's demographic embeddings (from the users' categorical features of its feature set) and example age column. */
export function youtubeExtrasPlan(config: ConfigFields, features: PlanContext['features'][number] | undefined, path: string): { width: number; tensors: ExpectedTensor[]; bytes: number; demographics: boolean; exampleAge: boolean } {
  const demographics = config.boolOr('demographics', false);
  const exampleAge = config.boolOr('exampleAge', false);
  const out = { width: exampleAge ? 1 : 0, tensors: [] as ExpectedTensor[], bytes: 0, demographics, exampleAge };
  if (!demographics) return out;
  if (!features) throw new ModelFileError(`${path}: a youtube or bst model with demographics must name its feature set`);
  for (const [key, rows, dim] of demographicShapes(features.user)) {
    out.tensors.push({ key, dtype: 'F32', shape: [rows, dim], values: 'finite' });
    out.bytes += paramBytes(rows, dim, true);
    out.width += dim;
  }
  return out;
}

/** MF's served tables, the user tower's layer (or GRU) and the item tower (its embeddings of the item features, one linear layer). */
export function planSequenceTwoTower(config: ConfigFields, ctx: PlanContext, item: PlanContext['features'][number]['item'], path: string, mf: KindPlan): KindPlan {
  const K = mf.options.factors as number;
  const idDim = config.int('itemIdDim', 0);
  const tensors: ExpectedTensor[] = [];
  let bytes = mf.bytes;
  const param = (key: string, rows: number, dim: number, sparse: boolean) => {
    tensors.push({ key, dtype: 'F32', shape: paramShape(rows, dim), values: 'finite' });
    bytes += paramBytes(rows, dim, sparse);
  };
  const encoder = config.oneOfOr('encoder', SEQUENCE_ENCODERS, 'mean');
  const gaps = historyGapsPlan(config);
  let towerOptions: Record<string, number> = {};
  if (encoder === 'gru') {
    tensors.push(...gruTensors(K));
    bytes += gruBytes(K);
    towerOptions = { dropout: config.num('dropout', 0, 1) };
  } else if (encoder === 'attention') {
    const att = attentionPlan(config, K, config.int('historyLength', 1), path);
    tensors.push(...att.tensors);
    bytes += att.bytes;
    towerOptions = { dropout: config.num('dropout', 0, 1), blocks: att.blocks, heads: att.heads };
  } else {
    param('userTowerW', K + gaps.dg, K, false);
    param('userTowerB', 1, K, false);
  }
  tensors.push(...gaps.tensors);
  bytes += gaps.bytes;
  let shapes: [string, number, number][];
  try {
    shapes = itemTowerShapes(item, ctx.nItems, idDim, K);
  } catch (err) {
    throw new ModelFileError(`the sequence two-tower's ${(err as Error).message}`);
  }
  for (const [key, rows, dim] of shapes) param(key, rows, dim, !key.startsWith('item_tower/dense'));
  const options = { ...mf.options, historyLength: config.int('historyLength', 1), timeGaps: gaps.dg > 0, ...historyDecayOption(config), itemIdDim: idDim, itemIdDropout: config.num('itemIdDropout', 0, 1.000001), regItem: config.num('regItem', 0), encoder, ...towerOptions };
  return { ...mf, options, bytes, tensors: [...mf.tensors, ...tensors] };
}

/** bst's item tower (sequence-two-tower's with its default id width) over the file's item features. */
export function bstItemTowerPlan(features: PlanContext['features'][number] | undefined, ctx: PlanContext, K: number, path: string): { tensors: ExpectedTensor[]; bytes: number } {
  if (!features) throw new ModelFileError(`${path}: a bst model with item features must name its feature set`);
  let shapes: [string, number, number][];
  try {
    shapes = itemTowerShapes(features.item, ctx.nItems, SEQUENCE_TWO_TOWER_DEFAULTS.itemIdDim, K);
  } catch (err) {
    throw new ModelFileError(`bst's ${(err as Error).message}`);
  }
  const tensors: ExpectedTensor[] = shapes.map(([key, rows, dim]) => ({ key, dtype: 'F32', shape: paramShape(rows, dim), values: 'finite' }));
  return { tensors, bytes: shapes.reduce((b, [key, rows, dim]) => b + paramBytes(rows, dim, !key.startsWith('item_tower/dense')), 0) };
}

