// The sequence two-tower (eBay's embedding-based retrieval, Wang et al. 2021; the lecture's
// "map side information into vectors and feed it into a two-tower model"): the item tower
// computes every item's vector from its content features (and its id, dropped for a share
// of items each epoch so content alone carries a new item); the user tower pools the item
// tower's vectors of her latest events through a ReLU layer (`encoder: 'mean'`) or runs a GRU
// over them (`encoder: 'gru'`: eBay's production user tower is a recurrent net over recent
// events; trained like gru4rec, at every step of windows). One item representation feeds both
// towers, so a session of items the user tower never saw in training still encodes. Trained
// with the next-item full softmax; served as MF from the computed vectors.

import type { Backend } from '../backends/index.js';
import type { Histories } from '../data/histories.js';
import type { Interactions } from '../data/interactions.js';
import type { Rng } from '../random.js';
import { Param } from '../training/param.js';
import { ItemTower, itemTowerShapes } from './item-tower.js';
import type { SummaryBuilder } from './model-summary.js';
import type { ModelState } from './state.js';
import type { SideFeatures } from './feature-model-options.js';
import type { ModelIndexes } from './model-types.js';
import { SequenceModel, type SequenceDefaults, type SequenceModelOptions, type SequenceRun } from './sequence-model.js';
import { userVectors, YouTubeRun } from './youtube-run.js';
import { Gru } from '../nn/gru.js';
import { GRU4REC_DEFAULTS } from './gru4rec.js';
import { Gru4RecRun, lastStates } from './gru4rec-run.js';
import { TIME_GAP_DIM } from './youtube.js';
import { GAP_BUCKETS } from '../data/time-gaps.js';

export interface SequenceTwoTowerOptions extends SequenceModelOptions {
  /** Width of the item id embedding in the item tower (0 = content features only; default 32). */
  itemIdDim?: number;
  /** Share of items whose id is hidden each epoch (default 0.1). */
  itemIdDropout?: number;
  /** L2 per use of the item tower's embedding rows (default 0). */
  regItem?: number;
  /** The user tower: a ReLU layer over the mean of the history's vectors (default) or a GRU over them. */
  encoder?: SequenceEncoder;
  /** encoder 'gru': dropout on the history's item vectors while training (default gru4rec's 0.3). */
  dropout?: number;
}

export const SEQUENCE_ENCODERS = ['mean', 'gru'] as const;
export type SequenceEncoder = (typeof SEQUENCE_ENCODERS)[number];

export const SEQUENCE_TWO_TOWER_DEFAULTS = { factors: 64, historyLength: 20, lr: 0.002, epochs: 20, batchSize: 256, itemIdDim: 32, itemIdDropout: 0.1, regItem: 0 } as const;
/** With the GRU user tower: gru4rec's windows, rate and batch of windows. */
export const SEQUENCE_TWO_TOWER_GRU_DEFAULTS = { ...SEQUENCE_TWO_TOWER_DEFAULTS, historyLength: GRU4REC_DEFAULTS.historyLength, lr: GRU4REC_DEFAULTS.lr, epochs: GRU4REC_DEFAULTS.epochs, batchSize: GRU4REC_DEFAULTS.batchSize } as const;

/** The pooled tower's parameters or the GRU's. */
type UserTower = { kind: 'mean'; W: Param; b: Param; G: Param | null } | { kind: 'gru'; gru: Gru };

export class SequenceTwoTower extends SequenceModel {
  override readonly kind: string = 'sequence-two-tower';
  private net: { user: UserTower; items: ItemTower } | null = null;
  readonly encoder: SequenceEncoder;
  readonly dropout: number;

  constructor(
    backend: Backend,
    indexes: ModelIndexes,
    readonly features: SideFeatures,
    private readonly towerOptions: SequenceTwoTowerOptions = {},
  ) {
    const { itemIdDim: _a, itemIdDropout: _b, regItem: _c, encoder = 'mean', dropout, ...sequence } = towerOptions;
    if (!SEQUENCE_ENCODERS.includes(encoder)) throw new Error(`sequence-two-tower: encoder must be one of ${SEQUENCE_ENCODERS.join(', ')}, got '${encoder}'`);
    if (encoder === 'gru' && sequence.timeGaps) throw new Error("sequence-two-tower: time gaps are pooled beside the items; the 'gru' encoder does not take them");
    // The base constructor reads the defaults before this class's fields exist: give it the encoder's.
    super(backend, indexes, { ...sequence, historyLength: sequence.historyLength ?? defaultsOf(encoder).historyLength });
    this.encoder = encoder;
    this.dropout = dropout ?? GRU4REC_DEFAULTS.dropout;
    const p = towerOptions.itemIdDropout ?? SEQUENCE_TWO_TOWER_DEFAULTS.itemIdDropout;
    if (!(p >= 0 && p <= 1)) throw new Error(`sequence-two-tower: itemIdDropout must be in [0, 1], got ${p}`);
    if (!(this.dropout >= 0 && this.dropout < 1)) throw new Error(`sequence-two-tower: dropout must be in [0, 1), got ${this.dropout}`);
  }

  protected sequenceDefaults(): SequenceDefaults {
    // Undefined during the base constructor, which only reads the factors (the same for both).
    return defaultsOf(this.encoder ?? 'mean');
  }

  protected networkParams(): Record<string, Param> | null {
    if (!this.net) return null;
    const items = Object.fromEntries(this.net.items.params().map((p) => [p.name, p]));
    const u = this.net.user;
    if (u.kind === 'gru') return { gruW: u.gru.W, gruU: u.gru.U, gruBx: u.gru.bx, gruBh: u.gru.bh, ...items };
    return { userTowerW: u.W, userTowerB: u.b, ...(u.G ? { historyGaps: u.G } : {}), ...items };
  }

  protected buildNetwork(rng: Rng): void {
    const be = this.backend;
    const d = this.factors;
    const o = this.towerOptions;
    const D = SEQUENCE_TWO_TOWER_DEFAULTS;
    this.disposeNetwork();
    const items = new ItemTower(be, this.features.item, this.nItems, d, rng, { idDim: o.itemIdDim ?? D.itemIdDim, idDropout: o.itemIdDropout ?? D.itemIdDropout, l2: o.regItem ?? D.regItem });
    const dg = this.timeGaps ? TIME_GAP_DIM : 0;
    const user: UserTower = this.encoder === 'gru'
      ? { kind: 'gru', gru: new Gru(be, 'gru', d, d, rng) }
      : {
          kind: 'mean',
          W: new Param(be, 'user_tower_w', d + dg, d, rng, { init: { normal: Math.sqrt(2 / (d + dg)) } }),
          b: new Param(be, 'user_tower_b', 1, d, rng),
          G: dg > 0 ? new Param(be, 'history_gaps', GAP_BUCKETS, dg, rng, { sparse: true, l2: 0, init: { normal: 0.05 } }) : null,
        };
    this.net = { user, items };
  }

  protected createRun(h: Histories, batchSize: number, rng: Rng, times: Float64Array | null): SequenceRun {
    const t = this.tables!;
    const net = this.net!;
    const u = net.user;
    if (u.kind === 'gru') {
      // The GRU reads the tower's vectors (T = Q) and predicts over them: both gradients land in Q's.
      const run = new Gru4RecRun(this.backend, h, this.nItems, this.factors, this.historyLength, batchSize, this.dropout, rng);
      return {
        nExamples: run.nExamples,
        layout: (r) => {
          run.layout(r);
          net.items.layout(r, t.itemSeen);
        },
        step: (start, m) => {
          net.items.forward(t.Q);
          const loss = run.step({ T: t.Q, gru: u.gru, Q: t.Q, bi: t.bi }, start, m);
          net.items.backward(t.Q);
          return loss;
        },
        dispose: () => run.dispose(),
      };
    }
    const run = new YouTubeRun(this.backend, h, this.nItems, this.factors, this.historyLength, batchSize, times ? { times, dg: TIME_GAP_DIM } : null);
    return {
      nExamples: run.nExamples,
      layout: (rng) => {
        run.layout(rng);
        net.items.layout(rng, t.itemSeen);
      },
      step: (start, m) => {
        // The item table is the tower's output: computed before the step, its gradient taken back after.
        net.items.forward(t.Q);
        const loss = run.step({ T: t.Q, G: u.G, W: u.W, b: u.b, Q: t.Q, bi: t.bi }, start, m);
        net.items.backward(t.Q);
        return loss;
      },
      recordable: true,
      dispose: () => run.dispose(),
    };
  }

  /** The served item vectors are the tower's with every known id (no dropout). */
  override serveFrom(events: Interactions): void {
    if (this.net && this.tables) {
      this.net.items.layout(null, this.tables.itemSeen);
      this.net.items.forward(this.tables.Q);
    }
    super.serveFrom(events);
  }

  protected override trainableParams(): Param[] {
    // Not Q: its values are computed; its gradient goes to the item tower.
    if (!this.net || !this.tables) return [];
    const u = this.net.user;
    const user = u.kind === 'gru' ? u.gru.params : [u.W, u.b, ...(u.G ? [u.G] : [])];
    return [...user, ...this.net.items.params(), this.tables.bi];
  }

  override exportState(): ModelState {
    const state = super.exportState();
    const o = this.towerOptions;
    const D = SEQUENCE_TWO_TOWER_DEFAULTS;
    return { ...state, config: { ...state.config, itemIdDim: o.itemIdDim ?? D.itemIdDim, itemIdDropout: o.itemIdDropout ?? D.itemIdDropout, regItem: o.regItem ?? D.regItem, encoder: this.encoder, ...(this.encoder === 'gru' ? { dropout: this.dropout } : {}) } };
  }

  protected encode(lastItems: Int32Array, rows: number, out: Float32Array, lastGaps: Int32Array | null): void {
    const u = this.net!.user;
    if (u.kind === 'gru') lastStates(this.backend, { T: this.tables!.Q, gru: u.gru }, lastItems, rows, this.historyLength, this.factors, out);
    else userVectors(this.backend, { T: this.tables!.Q, G: u.G, W: u.W, b: u.b }, lastItems, rows, this.historyLength, this.factors, out, lastGaps);
  }

  protected disposeNetwork(): void {
    if (this.net) {
      const u = this.net.user;
      if (u.kind === 'gru') u.gru.dispose();
      else for (const p of [u.W, u.b, u.G]) p?.dispose();
      this.net.items.dispose();
    }
    this.net = null;
  }

  protected override describe(b: SummaryBuilder): string {
    const d = this.factors;
    const L = this.historyLength;
    const f = this.features.item;
    const idDim = this.towerOptions.itemIdDim ?? SEQUENCE_TWO_TOWER_DEFAULTS.itemIdDim;
    const shapes = itemTowerShapes(f, this.nItems, idDim, d).map(([name, rows, dim]) => ({ name, shape: [rows, dim] as [number, number] }));
    const itemIn = b.add({ name: 'item_features', type: 'Input', branch: 'item', detail: `${f.categorical.length + f.multi.length} embedded, ${f.contNames.length} numeric${idDim > 0 ? ', id' : ''}`, outputShape: [1] });
    const tower = b.add({ name: 'item_tower', type: 'Dense', branch: 'item', detail: 'linear: every item vector q_i from its features', outputShape: [d], tensors: shapes, inputs: [itemIn] });
    const item = b.add({ name: 'item_factors', type: 'Embedding', branch: 'item', detail: 'q_i (the tower\'s, served) and biases b_i', outputShape: [d], tensors: [{ name: 'item_factors', shape: [this.nItems + 1, d] }, { name: 'item_bias', shape: [this.nItems + 1, 1] }], inputs: [tower] });
    const hist = b.add({ name: 'history', type: 'Input', branch: 'user', detail: `the last ${L} items (training)`, outputShape: [L] });
    const userTower = this.encoder === 'gru'
      ? b.add({ name: 'gru', type: 'GRU', branch: 'user', detail: `over the item vectors, dropout ${this.dropout} (training); last hidden state`, outputShape: [d], tensors: [{ name: 'gru_w', shape: [d, 3 * d] }, { name: 'gru_u', shape: [d, 3 * d] }, { name: 'gru_bx', shape: [1, 3 * d] }, { name: 'gru_bh', shape: [1, 3 * d] }], inputs: [hist, item] })
      : this.describePooledTower(b, hist, item);
    const user = b.add({ name: 'user_factors', type: 'Embedding', branch: 'user', detail: 'p_u = the tower of her latest history (served)', outputShape: [d], tensors: [{ name: 'user_factors', shape: [this.nUsers + 1, d] }, { name: 'user_bias', shape: [this.nUsers + 1, 1] }], trainable: false, inputs: [userTower] });
    b.add({ name: 'output', type: 'Dot', branch: 'joint', detail: 'softmax over the items (training)', outputShape: [1], inputs: [user, item] });
    const userVector = this.encoder === 'gru' ? `GRU(q_j, j ∈ last ${L} events)` : `relu(W · mean(q_j, j ∈ last ${L} events) + b)`;
    return `logit = b_i + q_iᵀ ${userVector}, q = item_tower(features, id)`;
  }

  private describePooledTower(b: SummaryBuilder, hist: string, item: string): string {
    const d = this.factors;
    const pooled = b.add({ name: 'history_pool', type: 'Pooling', branch: 'user', detail: 'mean of the item vectors', outputShape: [d], inputs: [hist, item] });
    const dg = this.timeGaps ? TIME_GAP_DIM : 0;
    const inputs = dg > 0 ? [pooled, b.add({ name: 'history_gaps', type: 'Embedding', branch: 'user', detail: `${GAP_BUCKETS} log-scale time-gap buckets, mean of the events`, outputShape: [dg], tensors: [{ name: 'history_gaps', shape: [GAP_BUCKETS, dg] }], inputs: [hist] })] : [pooled];
    return b.add({ name: 'user_tower', type: 'Dense', branch: 'user', detail: 'ReLU', outputShape: [d], tensors: [{ name: 'user_tower_w', shape: [d + dg, d] }, { name: 'user_tower_b', shape: [1, d] }], inputs });
  }

}

function defaultsOf(encoder: SequenceEncoder): SequenceDefaults {
  return encoder === 'gru' ? SEQUENCE_TWO_TOWER_GRU_DEFAULTS : SEQUENCE_TWO_TOWER_DEFAULTS;
}
