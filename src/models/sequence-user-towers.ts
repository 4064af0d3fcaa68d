// The user towers the sequence two-tower can put over the item tower's vectors of a user's
// latest events: a ReLU layer over their mean (YouTube's pooling), a GRU (eBay's production
// user tower, trained like gru4rec) or causal self-attention blocks (trained like sasrec).
// Each reads and predicts over the same item table Q, so its gradients from both sides land
// in Q's and go back through the item tower.

import type { Backend } from '../backends/index.js';
import type { Histories } from '../data/histories.js';
import { GAP_BUCKETS } from '../data/time-gaps.js';
import { Gru } from '../nn/gru.js';
import type { Rng } from '../random.js';
import { Param } from '../training/param.js';
import { GRU4REC_DEFAULTS } from './gru4rec.js';
import { Gru4RecRun, lastStates } from './gru4rec-run.js';
import type { SummaryBuilder } from './model-summary.js';
import { blockTensors, SASREC_DEFAULTS } from './sasrec.js';
import { SasrecNet } from './sasrec-net.js';
import { SasrecRun } from './sasrec-run.js';
import type { SequenceRun } from './sequence-model.js';
import { TIME_GAP_DIM } from './youtube.js';
import { decayWeights, userVectors, YouTubeRun } from './youtube-run.js';

export const SEQUENCE_ENCODERS = ['mean', 'gru', 'attention'] as const;
export type SequenceEncoder = (typeof SEQUENCE_ENCODERS)[number];

/** What a user tower is built from. */
export interface UserTowerShape {
  d: number;
  L: number;
  nItems: number;
  timeGaps: boolean;
  /** mean: half-life in events of the pooling's recency weights (0 = plain mean). */
  historyDecay: number;
  /** gru: on the inputs; attention: on the embeddings and in the blocks. */
  dropout: number;
  blocks: number;
  heads: number;
  /** attention: sequences encoded at once (the training batch). */
  capacity: number;
}

/** The item table and biases the towers read and predict over. */
export interface ItemTables {
  Q: Param;
  bi: Param;
}

export interface UserTower {
  /** Trainable tensors by their state key (the model file's names). */
  readonly params: Record<string, Param>;
  /** The training run's examples and step (without the item tower around it). */
  run(h: Histories, batchSize: number, rng: Rng, times: Float64Array | null, t: ItemTables): SequenceRun;
  /** User vectors of histories (rows × L, −1 = padding, latest in slot L−1). */
  encode(t: ItemTables, lastItems: Int32Array, rows: number, out: Float32Array, lastGaps: Int32Array | null): void;
  dispose(): void;
}

/** Each encoder's measured defaults where they differ from the pooled tower's. */
export const ENCODER_DEFAULTS = {
  // Measured as they stand (HR@10 0.2025 on ML-100K, 0.1051 on ml-latest-small): gru4rec's
  // earlier Adam 0.005 and input dropout 0.3, not its present 0.01 and 0.5.
  gru: { historyLength: GRU4REC_DEFAULTS.historyLength, lr: 0.005, epochs: GRU4REC_DEFAULTS.epochs, batchSize: 32, dropout: 0.3 },
  attention: { historyLength: SASREC_DEFAULTS.historyLength, lr: SASREC_DEFAULTS.lr, epochs: SASREC_DEFAULTS.epochs, batchSize: SASREC_DEFAULTS.batchSize, dropout: SASREC_DEFAULTS.dropout },
} as const;

export function buildUserTower(be: Backend, encoder: SequenceEncoder, s: UserTowerShape, rng: Rng): UserTower {
  if (encoder === 'gru') return gruTower(be, s, rng);
  if (encoder === 'attention') return attentionTower(be, s, rng);
  return meanTower(be, s, rng);
}

function meanTower(be: Backend, s: UserTowerShape, rng: Rng): UserTower {
  const { d, L } = s;
  const dg = s.timeGaps ? TIME_GAP_DIM : 0;
  const W = new Param(be, 'user_tower_w', d + dg, d, rng, { init: { normal: Math.sqrt(2 / (d + dg)) } });
  const b = new Param(be, 'user_tower_b', 1, d, rng);
  const G = dg > 0 ? new Param(be, 'history_gaps', GAP_BUCKETS, dg, rng, { sparse: true, l2: 0, init: { normal: 0.05 } }) : null;
  return {
    params: { userTowerW: W, userTowerB: b, ...(G ? { historyGaps: G } : {}) },
    run: (h, batchSize, _rng, times, t) => {
      const run = new YouTubeRun(be, h, s.nItems, d, L, batchSize, { gaps: times ? { times, dg: TIME_GAP_DIM } : null, slotWeights: decayWeights(L, s.historyDecay) });
      return { nExamples: run.nExamples, layout: (r) => run.layout(r), step: (start, m) => run.step({ T: t.Q, G, W, b, Q: t.Q, bi: t.bi }, start, m), recordable: true, dispose: () => run.dispose() };
    },
    encode: (t, lastItems, rows, out, lastGaps) => userVectors(be, { T: t.Q, G, W, b }, lastItems, rows, L, d, out, { lastGaps, slotWeights: decayWeights(L, s.historyDecay) }),
    dispose: () => {
      for (const p of [W, b, G]) p?.dispose();
    },
  };
}

function gruTower(be: Backend, s: UserTowerShape, rng: Rng): UserTower {
  const { d, L } = s;
  const gru = new Gru(be, 'gru', d, d, rng);
  return {
    params: { gruW: gru.W, gruU: gru.U, gruBx: gru.bx, gruBh: gru.bh },
    run: (h, batchSize, r, _times, t) => {
      const run = new Gru4RecRun(be, h, s.nItems, d, L, batchSize, s.dropout, r);
      // Windows are L columns each: the loop passes column offsets and the batch's loss scale is written before the step.
      return {
        nExamples: run.nExamples,
        layout: (x) => run.layout(x),
        step: (col, m) => run.step({ T: t.Q, gru, Q: t.Q, bi: t.bi }, col, m),
        stride: run.stride,
        beforeStep: (start, m) => run.beforeStep(start, m),
        recordable: true,
        dispose: () => run.dispose(),
      };
    },
    encode: (t, lastItems, rows, out) => lastStates(be, { T: t.Q, gru }, lastItems, rows, L, d, out),
    dispose: () => gru.dispose(),
  };
}

function attentionTower(be: Backend, s: UserTowerShape, rng: Rng): UserTower {
  const { d, L } = s;
  const net = new SasrecNet(be, { d, L, blocks: s.blocks, heads: s.heads, dropout: s.dropout }, s.capacity, rng);
  return {
    params: net.params(),
    run: (h, batchSize, _rng, _times, t) => {
      const run = new SasrecRun(be, h, s.nItems, d, L, batchSize);
      return {
        nExamples: run.nExamples,
        layout: (x) => run.layout(x),
        step: (col, m) => run.step(net, t.Q, t.bi, col, m),
        stride: run.stride,
        beforeStep: (start, m) => run.beforeStep(start, m),
        recordable: true,
        dispose: () => run.dispose(),
      };
    },
    encode: (t, lastItems, rows, out) => net.encode(t.Q, lastItems, rows, out),
    dispose: () => net.dispose(),
  };
}

/** Adds a tower's layers to a summary (built or not); returns its output node and its formula. */
export function describeUserTower(encoder: SequenceEncoder, s: UserTowerShape, sb: SummaryBuilder, hist: string, item: string): { node: string; formula: string } {
  const { d, L } = s;
  if (encoder === 'gru') {
    const tensors = [{ name: 'gru_w', shape: [d, 3 * d] }, { name: 'gru_u', shape: [d, 3 * d] }, { name: 'gru_bx', shape: [1, 3 * d] }, { name: 'gru_bh', shape: [1, 3 * d] }] as { name: string; shape: [number, number] }[];
    const node = sb.add({ name: 'gru', type: 'GRU', branch: 'user', detail: `over the item vectors, dropout ${s.dropout} (training); last hidden state`, outputShape: [d], tensors, inputs: [hist, item] });
    return { node, formula: `GRU(q_j, j ∈ last ${L} events)` };
  }
  if (encoder === 'attention') {
    let x = sb.add({ name: 'history_positions', type: 'Embedding', branch: 'user', detail: 'the item vectors + position embedding', outputShape: [L, d], tensors: [{ name: 'positions', shape: [L, d] }], inputs: [hist, item] });
    for (let k = 0; k < s.blocks; k++) {
      x = sb.add({ name: `block${k}`, type: 'Transformer', branch: 'user', detail: `causal self-attention (${s.heads} head${s.heads > 1 ? 's' : ''}) + FFN, post-norm, dropout ${s.dropout}`, outputShape: [L, d], tensors: blockTensors(`block${k}`, d), inputs: [x] });
    }
    return { node: x, formula: `SASRec(q_j + pos, j ∈ last ${L} events)_L, ${s.blocks} block(s)` };
  }
  const dg = s.timeGaps ? TIME_GAP_DIM : 0;
  const pooled = sb.add({ name: 'history_pool', type: 'Pooling', branch: 'user', detail: 'mean of the item vectors', outputShape: [d], inputs: [hist, item] });
  const gaps = dg > 0 ? [sb.add({ name: 'history_gaps', type: 'Embedding', branch: 'user', detail: `${GAP_BUCKETS} log-scale time-gap buckets, mean of the events`, outputShape: [dg], tensors: [{ name: 'history_gaps', shape: [GAP_BUCKETS, dg] }], inputs: [hist] })] : [];
  const node = sb.add({ name: 'user_tower', type: 'Dense', branch: 'user', detail: 'ReLU', outputShape: [d], tensors: [{ name: 'user_tower_w', shape: [d + dg, d] }, { name: 'user_tower_b', shape: [1, d] }], inputs: [pooled, ...gaps] });
  return { node, formula: `relu(W · mean(q_j, j ∈ last ${L} events) + b)` };
}
