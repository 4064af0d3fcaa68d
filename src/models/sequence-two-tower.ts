// The sequence two-tower (eBay's embedding-based retrieval, Wang et al. 2021; the lecture's
// "map side information into vectors and feed it into a two-tower model"): the item tower
// computes every item's vector from its content features (and its id, dropped for a share
// of items each epoch so content alone carries a new item); the user tower pools the item
// tower's vectors of her latest events through a ReLU layer. One item representation feeds
// both towers, so a session of items the user tower never saw in training still encodes.
// Trained like `youtube` (next-item full softmax); served as MF from the computed vectors.

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
import { TIME_GAP_DIM } from './youtube.js';
import { GAP_BUCKETS } from '../data/time-gaps.js';

export interface SequenceTwoTowerOptions extends SequenceModelOptions {
  /** Width of the item id embedding in the item tower (0 = content features only; default 32). */
  itemIdDim?: number;
  /** Share of items whose id is hidden each epoch (default 0.1). */
  itemIdDropout?: number;
  /** L2 per use of the item tower's embedding rows (default 0). */
  regItem?: number;
}

export const SEQUENCE_TWO_TOWER_DEFAULTS = { factors: 64, historyLength: 20, lr: 0.002, epochs: 20, batchSize: 256, itemIdDim: 32, itemIdDropout: 0.1, regItem: 0 } as const;

export class SequenceTwoTower extends SequenceModel {
  override readonly kind: string = 'sequence-two-tower';
  private net: { W: Param; b: Param; G: Param | null; items: ItemTower } | null = null;

  constructor(
    backend: Backend,
    indexes: ModelIndexes,
    readonly features: SideFeatures,
    private readonly towerOptions: SequenceTwoTowerOptions = {},
  ) {
    const { itemIdDim: _a, itemIdDropout: _b, regItem: _c, ...sequence } = towerOptions;
    super(backend, indexes, sequence);
    const p = towerOptions.itemIdDropout ?? SEQUENCE_TWO_TOWER_DEFAULTS.itemIdDropout;
    if (!(p >= 0 && p <= 1)) throw new Error(`sequence-two-tower: itemIdDropout must be in [0, 1], got ${p}`);
  }

  protected sequenceDefaults(): SequenceDefaults {
    return SEQUENCE_TWO_TOWER_DEFAULTS;
  }

  protected networkParams(): Record<string, Param> | null {
    if (!this.net) return null;
    const items = Object.fromEntries(this.net.items.params().map((p) => [p.name, p]));
    return { userTowerW: this.net.W, userTowerB: this.net.b, ...(this.net.G ? { historyGaps: this.net.G } : {}), ...items };
  }

  protected buildNetwork(rng: Rng): void {
    const be = this.backend;
    const d = this.factors;
    const o = this.towerOptions;
    const D = SEQUENCE_TWO_TOWER_DEFAULTS;
    this.disposeNetwork();
    const items = new ItemTower(be, this.features.item, this.nItems, d, rng, { idDim: o.itemIdDim ?? D.itemIdDim, idDropout: o.itemIdDropout ?? D.itemIdDropout, l2: o.regItem ?? D.regItem });
    const dg = this.timeGaps ? TIME_GAP_DIM : 0;
    this.net = {
      W: new Param(be, 'user_tower_w', d + dg, d, rng, { init: { normal: Math.sqrt(2 / (d + dg)) } }),
      b: new Param(be, 'user_tower_b', 1, d, rng),
      G: dg > 0 ? new Param(be, 'history_gaps', GAP_BUCKETS, dg, rng, { sparse: true, l2: 0, init: { normal: 0.05 } }) : null,
      items,
    };
  }

  protected createRun(h: Histories, batchSize: number, _rng: Rng, times: Float64Array | null): SequenceRun {
    const run = new YouTubeRun(this.backend, h, this.nItems, this.factors, this.historyLength, batchSize, times ? { times, dg: TIME_GAP_DIM } : null);
    const t = this.tables!;
    const net = this.net!;
    return {
      nExamples: run.nExamples,
      layout: (rng) => {
        run.layout(rng);
        net.items.layout(rng, t.itemSeen);
      },
      step: (start, m) => {
        // The item table is the tower's output: computed before the step, its gradient taken back after.
        net.items.forward(t.Q);
        const loss = run.step({ T: t.Q, G: net.G, W: net.W, b: net.b, Q: t.Q, bi: t.bi }, start, m);
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
    return this.net && this.tables ? [this.net.W, this.net.b, ...(this.net.G ? [this.net.G] : []), ...this.net.items.params(), this.tables.bi] : [];
  }

  override exportState(): ModelState {
    const state = super.exportState();
    const o = this.towerOptions;
    const D = SEQUENCE_TWO_TOWER_DEFAULTS;
    return { ...state, config: { ...state.config, itemIdDim: o.itemIdDim ?? D.itemIdDim, itemIdDropout: o.itemIdDropout ?? D.itemIdDropout, regItem: o.regItem ?? D.regItem } };
  }

  protected encode(lastItems: Int32Array, rows: number, out: Float32Array, lastGaps: Int32Array | null): void {
    userVectors(this.backend, { T: this.tables!.Q, G: this.net!.G, W: this.net!.W, b: this.net!.b }, lastItems, rows, this.historyLength, this.factors, out, lastGaps);
  }

  protected disposeNetwork(): void {
    if (this.net) {
      this.net.W.dispose();
      this.net.b.dispose();
      this.net.G?.dispose();
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
    const pooled = b.add({ name: 'history_pool', type: 'Pooling', branch: 'user', detail: 'mean of the item vectors', outputShape: [d], inputs: [hist, item] });
    const dg = this.timeGaps ? TIME_GAP_DIM : 0;
    const inputs = dg > 0 ? [pooled, b.add({ name: 'history_gaps', type: 'Embedding', branch: 'user', detail: `${GAP_BUCKETS} log-scale time-gap buckets, mean of the events`, outputShape: [dg], tensors: [{ name: 'history_gaps', shape: [GAP_BUCKETS, dg] }], inputs: [hist] })] : [pooled];
    const userTower = b.add({ name: 'user_tower', type: 'Dense', branch: 'user', detail: 'ReLU', outputShape: [d], tensors: [{ name: 'user_tower_w', shape: [d + dg, d] }, { name: 'user_tower_b', shape: [1, d] }], inputs });
    const user = b.add({ name: 'user_factors', type: 'Embedding', branch: 'user', detail: 'p_u = the tower of her latest history (served)', outputShape: [d], tensors: [{ name: 'user_factors', shape: [this.nUsers + 1, d] }, { name: 'user_bias', shape: [this.nUsers + 1, 1] }], trainable: false, inputs: [userTower] });
    b.add({ name: 'output', type: 'Dot', branch: 'joint', detail: 'softmax over the items (training)', outputShape: [1], inputs: [user, item] });
    return `logit = b_i + q_iᵀ relu(W · mean(q_j, j ∈ last ${L} events) + b), q = item_tower(features, id)`;
  }

}
