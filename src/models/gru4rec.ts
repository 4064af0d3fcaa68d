// GRU4Rec (Hidasi et al., ICLR 2016) as a next-item model: a user is the last hidden state of
// a GRU run over the embeddings of her latest L events; trained at every step of windows of L
// events to predict the next one over the whole catalogue (full softmax: Klenitskiy & Vasilev,
// RecSys 2023, found it lifts GRU4Rec close to SASRec). As every SequenceModel, the served
// vectors are written into MF's P after each epoch, so ranking and the saved file are plain MF
// plus the encoder's tensors.

import type { Backend } from '../backends/index.js';
import type { Histories } from '../data/histories.js';
import { Gru } from '../nn/gru.js';
import type { Rng } from '../random.js';
import { Param } from '../training/param.js';
import { Gru4RecRun, lastStates } from './gru4rec-run.js';
import type { SummaryBuilder } from './model-summary.js';
import type { ModelIndexes } from './model-types.js';
import type { ModelState } from './state.js';
import { SequenceModel, type SequenceDefaults, type SequenceModelOptions, type SequenceRun } from './sequence-model.js';

export interface Gru4RecOptions extends Omit<SequenceModelOptions, 'timeGaps' | 'historyDecay'> {
  /** Dropout on the input item embeddings while training (default 0.5). */
  dropout?: number;
}

/**
 * Defaults measured on next-item (events ≥ 3, full ranking, HR@10 / NDCG@10 after 25 epochs)
 * on both MovieLens sets: windows of the last 50 events, width 64, 32 windows a batch, Adam
 * 0.01 with dropout 0.5 on the inputs — ML-100K 0.186 / 0.095, ml-latest-small 0.066 / 0.035.
 * Adam 0.005 with dropout 0.3 gave 0.184 / 0.102 on ML-100K but 0.051 on ml-latest-small
 * (below the id-only two-tower's 0.056), whose 9,742-item softmax needs the larger steps; the
 * same with 16 windows a batch 0.163 and 0.062; 0.01 with dropout 0.3: 0.178 and 0.066.
 */
export const GRU4REC_DEFAULTS = { factors: 64, historyLength: 50, lr: 0.01, epochs: 25, batchSize: 32, dropout: 0.5 } as const;

export class Gru4Rec extends SequenceModel {
  override readonly kind: string = 'gru4rec';
  readonly dropout: number;
  private net: { T: Param; gru: Gru } | null = null;

  constructor(backend: Backend, indexes: ModelIndexes, options: Gru4RecOptions = {}) {
    const { dropout, ...rest } = options;
    super(backend, indexes, rest);
    this.dropout = dropout ?? GRU4REC_DEFAULTS.dropout;
    if (!(this.dropout >= 0 && this.dropout < 1)) throw new Error(`gru4rec: dropout must be in [0, 1), got ${this.dropout}`);
  }

  override exportState(): ModelState {
    const state = super.exportState();
    return { ...state, config: { ...state.config, dropout: this.dropout } };
  }

  protected sequenceDefaults(): SequenceDefaults {
    return GRU4REC_DEFAULTS;
  }

  protected networkParams(): Record<string, Param> | null {
    if (!this.net) return null;
    const g = this.net.gru;
    return { historyItems: this.net.T, gruW: g.W, gruU: g.U, gruBx: g.bx, gruBh: g.bh };
  }

  protected buildNetwork(rng: Rng): void {
    const d = this.factors;
    this.disposeNetwork();
    const T = new Param(this.backend, 'history_items', this.nItems, d, rng, { sparse: true, l2: 0, init: { normal: 0.05 } });
    this.net = { T, gru: new Gru(this.backend, 'gru', d, d, rng) };
  }

  protected createRun(h: Histories, batchSize: number, rng: Rng): SequenceRun {
    const run = new Gru4RecRun(this.backend, h, this.nItems, this.factors, this.historyLength, batchSize, this.dropout, rng);
    const t = this.tables!;
    return {
      nExamples: run.nExamples,
      layout: (r) => run.layout(r),
      step: (col, m) => run.step({ gru: this.net!.gru, T: this.net!.T, Q: t.Q, bi: t.bi }, col, m),
      stride: run.stride,
      beforeStep: (start, m) => run.beforeStep(start, m),
      recordable: true,
      dispose: () => run.dispose(),
    };
  }

  protected encode(lastItems: Int32Array, rows: number, out: Float32Array): void {
    lastStates(this.backend, this.net!, lastItems, rows, this.historyLength, this.factors, out);
  }

  protected disposeNetwork(): void {
    if (this.net) {
      this.net.T.dispose();
      this.net.gru.dispose();
    }
    this.net = null;
  }

  protected override describe(b: SummaryBuilder): string {
    const d = this.factors;
    const L = this.historyLength;
    const hist = b.add({ name: 'history', type: 'Input', branch: 'user', detail: `the last ${L} items`, outputShape: [L] });
    const emb = b.add({ name: 'history_items', type: 'Embedding', branch: 'user', detail: `${this.nItems} rows, dropout ${this.dropout} (training)`, outputShape: [L, d], tensors: [{ name: 'history_items', shape: [this.nItems, d] }], inputs: [hist] });
    const gru = b.add({ name: 'gru', type: 'GRU', branch: 'user', detail: 'last hidden state', outputShape: [d], tensors: [{ name: 'gru_w', shape: [d, 3 * d] }, { name: 'gru_u', shape: [d, 3 * d] }, { name: 'gru_bx', shape: [1, 3 * d] }, { name: 'gru_bh', shape: [1, 3 * d] }], inputs: [emb] });
    const user = b.add({ name: 'user_factors', type: 'Embedding', branch: 'user', detail: 'p_u = the GRU state after her latest event (served)', outputShape: [d], tensors: [{ name: 'user_factors', shape: [this.nUsers + 1, d] }, { name: 'user_bias', shape: [this.nUsers + 1, 1] }], trainable: false, inputs: [gru] });
    const itemId = b.add({ name: 'item_id', type: 'Input', branch: 'item', detail: `${this.nItems} known ids + unknown`, outputShape: [1] });
    const item = b.add({ name: 'item_factors', type: 'Embedding', branch: 'item', detail: 'output embeddings q_i and biases b_i', outputShape: [d], tensors: [{ name: 'item_factors', shape: [this.nItems + 1, d] }, { name: 'item_bias', shape: [this.nItems + 1, 1] }], inputs: [itemId] });
    b.add({ name: 'output', type: 'Dot', branch: 'joint', detail: 'softmax over the items at every step (training)', outputShape: [1], inputs: [user, item] });
    return `logit = b_i + q_iᵀ h_L, h_t = GRU(t_{j_t}, h_{t−1}) over the last ${L} events`;
  }
}
