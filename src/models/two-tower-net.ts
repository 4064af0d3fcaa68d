// The parts of a two-tower network: per side an input layer (id, feature embeddings,
// continuous columns) and a tower of Dense layers; the biases; the MLP head over the towers'
// concatenation; the popularity prior; the in-batch softmax's buffers. Built here, wired by
// ./two-tower.ts.

import type { Backend, F32Buf, I32Buf } from '../backends/index.js';
import { Concatenate } from '../nn/concat.js';
import { FeatureInput, type SideBatches, type SideTables } from '../nn/features.js';
import type { EncodedSide } from '../preprocessing/encoded.js';
import { Tower } from '../nn/tower.js';
import type { Rng } from '../random.js';
import type { LossName } from '../training/losses.js';
import { Param } from '../training/param.js';
import type { SideFeatures } from './feature-model-options.js';
import { InBatchSoftmax } from './in-batch-softmax.js';
import { popularityPriorParam } from './popularity-prior.js';
import type { TwoTowerConfig } from './two-tower-options.js';

/** One side: its input layer and tower. */
export interface TowerSide {
  input: FeatureInput;
  tower: Tower;
  /** The tower's output pointer of the current batch. */
  out: number;
}

/** What building one side reads from the two-tower's config. */
export type TowerSideConfig = Pick<TwoTowerConfig, 'sideFeatures' | 'idDim' | 'featureDim' | 'regId' | 'regFeatures' | 'regHistory' | 'featureInit' | 'towerLayers' | 'activation' | 'dropout' | 'regDense'>;

export interface TwoTowerNet {
  user: TowerSide;
  item: TowerSide;
  bu: Param;
  bi: Param;
  /** popularityPrior × log(1 + positives) per item id row (0 for the unknown row); never updated. */
  prior: Param | null;
  head: Tower | null;
  headIn: Concatenate | null;
  /** 0..maxBatch-1: lets gather/scatterAdd copy a contiguous block into a strided one. */
  identity: I32Buf;
  score: F32Buf;
  /** The in-batch softmax's buffers when compiled with loss 'softmax'. */
  softmax: InBatchSoftmax | null;
  one: F32Buf;
}

/**
 * The network for `config`, its initial values drawn from `rng` (in a fixed order, so that a
 * seed gives the same model). `priorCounts`: the items' training positives, or null when a
 * saved prior will be written over it.
 */
export function buildTwoTowerNet(
  be: Backend,
  c: TwoTowerConfig,
  features: SideFeatures,
  sizes: { nUsers: number; nItems: number; maxBatch: number },
  loss: LossName,
  priorCounts: Float32Array | null,
  rng: Rng,
): TwoTowerNet {
  const { nUsers, nItems, maxBatch } = sizes;
  const side = (name: 'user' | 'item'): TowerSide => buildTowerSide(be, c, features[name], name, name === 'user' ? nUsers : nItems, maxBatch, rng);
  const user = side('user');
  const item = side('item');
  if (c.head !== 'mlp' && user.tower.outDim !== item.tower.outDim) {
    throw new Error(`two-tower: the dot head needs towers of equal output width (user ${user.tower.outDim}, item ${item.tower.outDim})`);
  }
  const bu = new Param(be, 'user_bias', nUsers + 1, 1, rng, { sparse: true, l2: c.regBias });
  const bi = new Param(be, 'item_bias', nItems + 1, 1, rng, { sparse: true, l2: c.regBias });
  let head: Tower | null = null;
  let headIn: Concatenate | null = null;
  if (c.head !== 'dot') {
    headIn = new Concatenate(be, maxBatch, [['user', user.tower.outDim], ['item', item.tower.outDim]]);
    head = new Tower(be, 'head', headIn.width, maxBatch, rng, { layers: [...c.headLayers, 1], activation: c.activation, dropout: c.dropout, l2: c.regDense });
  }
  const prior = c.popularityPrior > 0 ? popularityPriorParam(be, loss, c.popularityPrior, nItems, priorCounts, rng) : null;
  const identity = be.allocI32(maxBatch, Int32Array.from({ length: maxBatch }, (_, r) => r));
  const softmax = loss === 'softmax' ? new InBatchSoftmax(be, maxBatch) : null;
  return { user, item, bu, bi, prior, head, headIn, identity, score: be.allocF32(maxBatch), one: be.allocF32(1, [1]), softmax };
}

/**
 * One side's input layer and tower, its initial values drawn from `rng`: what the two-tower
 * builds for each side, and what a served user tower (../io/user-tower-file.ts) rebuilds alone.
 */
export function buildTowerSide(be: Backend, c: TowerSideConfig, enc: EncodedSide, name: 'user' | 'item', nIds: number, maxBatch: number, rng: Rng): TowerSide {
  const noFeatures = { ...enc, contNames: [], continuous: new Float32Array(0), categorical: [], multi: [] };
  const input = new FeatureInput(be, name, c.sideFeatures ? enc : noFeatures, nIds, maxBatch, rng, {
    idDim: c.idDim,
    featureDim: c.featureDim,
    idEmbedding: { l2: c.regId },
    featureEmbedding: { l2: c.regFeatures },
    historyEmbedding: { l2: c.regHistory },
    init: c.featureInit,
  });
  if (input.width === 0) throw new Error(`two-tower: the ${name} tower has no input (idDim = 0 and no side features)`);
  const tower = new Tower(be, `${name}_tower`, input.width, maxBatch, rng, { layers: c.towerLayers, activation: c.activation, dropout: c.dropout, l2: c.regDense });
  return { input, tower, out: 0 };
}

/**
 * The tower outputs (n × outDim) of the n examples of `b` at inference, maxBatch at a time:
 * one side's forward pass, shared by TwoTower and the served user tower.
 */
export function sideOutputs(be: Backend, s: TowerSide, b: SideBatches, tables: SideTables, n: number, maxBatch: number): Float32Array {
  const d = s.tower.outDim;
  const out = new Float32Array(n * d);
  for (let start = 0; start < n; start += maxBatch) {
    const m = Math.min(maxBatch, n - start);
    s.input.forward(tables, b, start, m);
    const y = s.tower.forward(s.input.concat.x.ptr, m, false) >> 2;
    // The heap view is taken after the forward pass: it may have grown the memory.
    out.set(be.heap.f32.subarray(y, y + m * d), start * d);
  }
  return out;
}

/** Frees every part of the network. */
export function disposeTwoTowerNet(be: Backend, n: TwoTowerNet): void {
  for (const s of [n.user, n.item]) {
    s.input.dispose();
    s.tower.dispose();
  }
  n.bu.dispose();
  n.bi.dispose();
  n.prior?.dispose();
  n.head?.dispose();
  n.headIn?.dispose();
  n.softmax?.dispose();
  for (const b of [n.identity, n.score, n.one]) be.free(b);
}
