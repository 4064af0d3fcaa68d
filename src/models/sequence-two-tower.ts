// The sequence two-tower (eBay's embedding-based retrieval, Wang et al. 2021; the lecture's
// "map side information into vectors and feed it into a two-tower model"): the item tower
// computes every item's vector from its content features (and its id, dropped for a share
// of items each epoch so content alone carries a new item); the user tower reads the item
// tower's vectors of her latest events (./sequence-user-towers.ts: their mean through a ReLU
// layer, a GRU, or causal self-attention blocks). One item representation feeds both towers,
// so a session of items the user tower never saw in training still encodes. Trained with the
// next-item full softmax; served as MF from the computed vectors.

import type { Backend } from '../backends/index.js';
import type { Histories } from '../data/histories.js';
import type { Interactions } from '../data/interactions.js';
import type { Rng } from '../random.js';
import type { Param } from '../training/param.js';
import { ItemTower, itemTowerShapes } from './item-tower.js';
import type { SummaryBuilder } from './model-summary.js';
import type { ModelState } from './state.js';
import type { SideFeatures } from './feature-model-options.js';
import type { ModelIndexes } from './model-types.js';
import { SequenceModel, type SequenceDefaults, type SequenceModelOptions, type SequenceRun } from './sequence-model.js';
import { buildUserTower, describeUserTower, ENCODER_DEFAULTS, SEQUENCE_ENCODERS, type SequenceEncoder, type UserTower, type UserTowerShape } from './sequence-user-towers.js';
import { SASREC_DEFAULTS } from './sasrec.js';

export { SEQUENCE_ENCODERS, type SequenceEncoder } from './sequence-user-towers.js';

export interface SequenceTwoTowerOptions extends SequenceModelOptions {
  /** Width of the item id embedding in the item tower (0 = content features only; default 32). */
  itemIdDim?: number;
  /** Share of items whose id is hidden each epoch (default 0.1). */
  itemIdDropout?: number;
  /** L2 per use of the item tower's embedding rows (default 0). */
  regItem?: number;
  /** The user tower: 'mean' (a ReLU layer over the mean of the history's vectors, the default), 'gru' or 'attention'. */
  encoder?: SequenceEncoder;
  /** gru: dropout on the history's item vectors (default gru4rec's 0.3); attention: in the blocks (sasrec's 0.2). */
  dropout?: number;
  /** attention: transformer blocks (default sasrec's 2). */
  blocks?: number;
  /** attention: heads, dividing the width (default 1). */
  heads?: number;
}

export const SEQUENCE_TWO_TOWER_DEFAULTS = { factors: 64, historyLength: 20, lr: 0.002, epochs: 20, batchSize: 256, itemIdDim: 32, itemIdDropout: 0.1, regItem: 0 } as const;

/** Sequences the attention tower encodes at once when serving without a training batch (after load). */
const ENCODE_CAPACITY = 64;

export class SequenceTwoTower extends SequenceModel {
  override readonly kind: string = 'sequence-two-tower';
  private net: { user: UserTower; items: ItemTower } | null = null;
  readonly encoder: SequenceEncoder;
  readonly dropout: number;
  readonly blocks: number;
  readonly heads: number;
  private capacity = ENCODE_CAPACITY;

  constructor(
    backend: Backend,
    indexes: ModelIndexes,
    readonly features: SideFeatures,
    private readonly towerOptions: SequenceTwoTowerOptions = {},
  ) {
    const { itemIdDim: _a, itemIdDropout: _b, regItem: _c, encoder = 'mean', dropout, blocks, heads, ...sequence } = towerOptions;
    if (!SEQUENCE_ENCODERS.includes(encoder)) throw new Error(`sequence-two-tower: encoder must be one of ${SEQUENCE_ENCODERS.join(', ')}, got '${encoder}'`);
    if (encoder !== 'mean' && sequence.historyDecay) throw new Error(`sequence-two-tower: historyDecay weights the mean pooling; the '${encoder}' encoder does not pool`);
    if (encoder !== 'mean' && sequence.timeGaps) throw new Error(`sequence-two-tower: time gaps are pooled beside the items; the '${encoder}' encoder does not take them`);
    for (const [flag, v] of [['dropout', dropout], ['blocks', blocks], ['heads', heads]] as const) {
      const takes = flag === 'dropout' ? encoder !== 'mean' : encoder === 'attention';
      if (v !== undefined && !takes) throw new Error(`sequence-two-tower: ${flag} applies to the ${flag === 'dropout' ? "'gru' and 'attention' encoders" : "'attention' encoder"}, not '${encoder}'`);
    }
    // The base constructor reads the defaults before this class's fields exist: give it the encoder's.
    super(backend, indexes, { ...sequence, historyLength: sequence.historyLength ?? defaultsOf(encoder).historyLength });
    this.encoder = encoder;
    this.dropout = dropout ?? (encoder === 'mean' ? 0 : ENCODER_DEFAULTS[encoder].dropout);
    this.blocks = blocks ?? SASREC_DEFAULTS.blocks;
    this.heads = heads ?? SASREC_DEFAULTS.heads;
    const p = towerOptions.itemIdDropout ?? SEQUENCE_TWO_TOWER_DEFAULTS.itemIdDropout;
    if (!(p >= 0 && p <= 1)) throw new Error(`sequence-two-tower: itemIdDropout must be in [0, 1], got ${p}`);
    if (!(this.dropout >= 0 && this.dropout < 1)) throw new Error(`sequence-two-tower: dropout must be in [0, 1), got ${this.dropout}`);
    if (!(Number.isInteger(this.blocks) && this.blocks >= 1)) throw new Error(`sequence-two-tower: blocks must be an integer ≥ 1, got ${this.blocks}`);
    if (!(Number.isInteger(this.heads) && this.heads >= 1 && this.factors % this.heads === 0)) throw new Error(`sequence-two-tower: heads must be an integer ≥ 1 dividing factors (${this.factors}), got ${this.heads}`);
  }

  protected sequenceDefaults(): SequenceDefaults {
    // Undefined during the base constructor, which only reads the factors (the same for all).
    return defaultsOf(this.encoder ?? 'mean');
  }

  protected networkParams(): Record<string, Param> | null {
    if (!this.net) return null;
    const items = Object.fromEntries(this.net.items.params().map((p) => [p.name, p]));
    return { ...this.net.user.params, ...items };
  }

  protected override beginTraining(train: Interactions, rng: Rng, batchSize: number, continuing: boolean): void {
    this.capacity = batchSize;
    super.beginTraining(train, rng, batchSize, continuing);
  }

  protected buildNetwork(rng: Rng): void {
    const d = this.factors;
    const o = this.towerOptions;
    const D = SEQUENCE_TWO_TOWER_DEFAULTS;
    this.disposeNetwork();
    const items = new ItemTower(this.backend, this.features.item, this.nItems, d, rng, { idDim: o.itemIdDim ?? D.itemIdDim, idDropout: o.itemIdDropout ?? D.itemIdDropout, l2: o.regItem ?? D.regItem });
    this.net = { user: buildUserTower(this.backend, this.encoder, this.towerShape(), rng), items };
  }

  private towerShape(): UserTowerShape {
    return { d: this.factors, L: this.historyLength, nItems: this.nItems, timeGaps: this.timeGaps, historyDecay: this.historyDecay, dropout: this.dropout, blocks: this.blocks, heads: this.heads, capacity: this.capacity };
  }

  protected createRun(h: Histories, batchSize: number, rng: Rng, times: Float64Array | null): SequenceRun {
    const t = this.tables!;
    const net = this.net!;
    const run = net.user.run(h, batchSize, rng, times, t);
    return {
      nExamples: run.nExamples,
      layout: (r) => {
        run.layout(r);
        net.items.layout(r, t.itemSeen);
      },
      step: (start, m) => {
        // The item table is the tower's output: computed before the step, its gradient taken back after.
        net.items.forward(t.Q);
        const loss = run.step(start, m);
        net.items.backward(t.Q);
        return loss;
      },
      stride: run.stride,
      beforeStep: run.beforeStep ? (start, m) => run.beforeStep!(start, m) : undefined,
      recordable: run.recordable,
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
    return this.net && this.tables ? [...Object.values(this.net.user.params), ...this.net.items.params(), this.tables.bi] : [];
  }

  override exportState(): ModelState {
    const state = super.exportState();
    const o = this.towerOptions;
    const D = SEQUENCE_TWO_TOWER_DEFAULTS;
    const encoder = { encoder: this.encoder, ...(this.encoder !== 'mean' ? { dropout: this.dropout } : {}), ...(this.encoder === 'attention' ? { blocks: this.blocks, heads: this.heads } : {}) };
    return { ...state, config: { ...state.config, itemIdDim: o.itemIdDim ?? D.itemIdDim, itemIdDropout: o.itemIdDropout ?? D.itemIdDropout, regItem: o.regItem ?? D.regItem, ...encoder } };
  }

  protected encode(lastItems: Int32Array, rows: number, out: Float32Array, lastGaps: Int32Array | null): void {
    this.net!.user.encode(this.tables!, lastItems, rows, out, lastGaps);
  }

  protected disposeNetwork(): void {
    this.net?.user.dispose();
    this.net?.items.dispose();
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
    const { node, formula } = describeUserTower(this.encoder, this.towerShape(), b, hist, item);
    const user = b.add({ name: 'user_factors', type: 'Embedding', branch: 'user', detail: 'p_u = the tower of her latest history (served)', outputShape: [d], tensors: [{ name: 'user_factors', shape: [this.nUsers + 1, d] }, { name: 'user_bias', shape: [this.nUsers + 1, 1] }], trainable: false, inputs: [node] });
    b.add({ name: 'output', type: 'Dot', branch: 'joint', detail: this.encoder === 'mean' ? 'softmax over the items (training)' : 'softmax over the items at every step (training)', outputShape: [1], inputs: [user, item] });
    return `logit = b_i + q_iᵀ ${formula}, q = item_tower(features, id)`;
  }
}

function defaultsOf(encoder: SequenceEncoder): SequenceDefaults {
  return encoder === 'mean' ? SEQUENCE_TWO_TOWER_DEFAULTS : { ...SEQUENCE_TWO_TOWER_DEFAULTS, ...ENCODER_DEFAULTS[encoder] };
}
