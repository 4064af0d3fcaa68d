// SASRec (Kang & McAuley, "Self-Attentive Sequential Recommendation", ICDM 2018): a user is
// her latest L events through causal self-attention blocks; trained at every position of
// every window on the next item with the full softmax (Klenitskiy & Vasilev, RecSys 2023:
// ahead of SASRec's sampled BCE), input and output item embeddings tied (MF's Q). Served
// like every sequence model: the last position's output becomes MF's user vector.

import type { Backend } from '../backends/index.js';
import type { Histories } from '../data/histories.js';
import type { Interactions } from '../data/interactions.js';
import type { Rng } from '../random.js';
import type { Param } from '../training/param.js';
import type { SummaryBuilder } from './model-summary.js';
import type { ModelIndexes } from './model-types.js';
import { SasrecNet } from './sasrec-net.js';
import { SasrecRun } from './sasrec-run.js';
import { SequenceModel, type SequenceDefaults, type SequenceModelOptions, type SequenceRun } from './sequence-model.js';

export interface SasrecOptions extends Omit<SequenceModelOptions, 'timeGaps' | 'historyDecay'> {
  /** Transformer blocks (default 2). */
  blocks?: number;
  /** Attention heads; must divide the width (default 1). */
  heads?: number;
  /** Dropout on the embeddings and each block's two branches (default 0.2). */
  dropout?: number;
}

/**
 * Defaults measured on ML-100K next-item (events ≥ 3, full ranking, HR@10): windows of 50,
 * width 64, 2 blocks, 1 head, dropout 0.2, Adam 0.002, 30 epochs.
 */
export const SASREC_DEFAULTS = { factors: 64, historyLength: 50, lr: 0.002, epochs: 30, batchSize: 64, blocks: 2, heads: 1, dropout: 0.2 } as const;

/** Sequences encoded at once when serving without a training batch size (after load). */
const ENCODE_CAPACITY = 64;

export class SASRec extends SequenceModel {
  override readonly kind: string = 'sasrec';
  readonly blocks: number;
  readonly heads: number;
  readonly dropout: number;
  private net: SasrecNet | null = null;
  private capacity = ENCODE_CAPACITY;

  constructor(backend: Backend, indexes: ModelIndexes, options: SasrecOptions = {}) {
    const { blocks, heads, dropout, ...rest } = options;
    super(backend, indexes, rest);
    this.blocks = blocks ?? SASREC_DEFAULTS.blocks;
    this.heads = heads ?? SASREC_DEFAULTS.heads;
    this.dropout = dropout ?? SASREC_DEFAULTS.dropout;
    if (!(Number.isInteger(this.blocks) && this.blocks >= 1)) throw new Error(`sasrec: blocks must be an integer ≥ 1, got ${this.blocks}`);
    if (!(Number.isInteger(this.heads) && this.heads >= 1 && this.factors % this.heads === 0)) throw new Error(`sasrec: heads must be an integer ≥ 1 dividing factors (${this.factors}), got ${this.heads}`);
    if (!(this.dropout >= 0 && this.dropout < 1)) throw new Error(`sasrec: dropout must be in [0, 1), got ${this.dropout}`);
  }

  protected sequenceDefaults(): SequenceDefaults {
    return SASREC_DEFAULTS;
  }

  protected networkParams(): Record<string, Param> | null {
    return this.net ? this.net.params() : null;
  }

  protected override beginTraining(train: Interactions, rng: Rng, batchSize: number, continuing: boolean): void {
    this.capacity = batchSize;
    super.beginTraining(train, rng, batchSize, continuing);
  }

  protected buildNetwork(rng: Rng): void {
    this.disposeNetwork();
    const shape = { d: this.factors, L: this.historyLength, blocks: this.blocks, heads: this.heads, dropout: this.dropout };
    this.net = new SasrecNet(this.backend, shape, this.capacity, rng);
  }

  protected createRun(h: Histories, batchSize: number): SequenceRun {
    const run = new SasrecRun(this.backend, h, this.nItems, this.factors, this.historyLength, batchSize);
    const t = this.tables!;
    return {
      nExamples: run.nExamples,
      layout: (rng) => run.layout(rng),
      step: (col, m) => run.step(this.net!, t.Q, t.bi, col, m),
      stride: run.stride,
      beforeStep: (start, m) => run.beforeStep(start, m),
      recordable: true,
      dispose: () => run.dispose(),
    };
  }

  protected encode(lastItems: Int32Array, rows: number, out: Float32Array): void {
    this.net!.encode(this.tables!.Q, lastItems, rows, out);
  }

  protected disposeNetwork(): void {
    this.net?.dispose();
    this.net = null;
  }

  override exportState() {
    const state = super.exportState();
    return { ...state, config: { ...state.config, blocks: this.blocks, heads: this.heads, dropout: this.dropout } };
  }

  protected override describe(b: SummaryBuilder): string {
    const d = this.factors;
    const L = this.historyLength;
    const hist = b.add({ name: 'history', type: 'Input', branch: 'user', detail: `the last ${L} items, −1 = padding`, outputShape: [L] });
    const emb = b.add({ name: 'item_factors_in', type: 'Embedding', branch: 'user', detail: 'q_i (tied to the output) + position embedding', outputShape: [L, d], tensors: [{ name: 'positions', shape: [L, d] }], inputs: [hist] });
    let x = emb;
    for (let k = 0; k < this.blocks; k++) {
      x = b.add({ name: `block${k}`, type: 'Transformer', branch: 'user', detail: `causal self-attention (${this.heads} head${this.heads > 1 ? 's' : ''}) + FFN, post-norm, dropout ${this.dropout}`, outputShape: [L, d], tensors: blockTensors(`block${k}`, d), inputs: [x] });
    }
    const user = b.add({ name: 'user_factors', type: 'Embedding', branch: 'user', detail: 'p_u = the last position of her latest history (served)', outputShape: [d], tensors: [{ name: 'user_factors', shape: [this.nUsers + 1, d] }, { name: 'user_bias', shape: [this.nUsers + 1, 1] }], trainable: false, inputs: [x] });
    const itemId = b.add({ name: 'item_id', type: 'Input', branch: 'item', detail: `${this.nItems} known ids + unknown`, outputShape: [1] });
    const item = b.add({ name: 'item_factors', type: 'Embedding', branch: 'item', detail: 'item embeddings q_i (input and output) and biases b_i', outputShape: [d], tensors: [{ name: 'item_factors', shape: [this.nItems + 1, d] }, { name: 'item_bias', shape: [this.nItems + 1, 1] }], inputs: [itemId] });
    b.add({ name: 'output', type: 'Dot', branch: 'joint', detail: 'softmax over the items at every position (training)', outputShape: [1], inputs: [user, item] });
    return `logit_t = b_i + q_iᵀ SASRec(q_{s_1..t} + pos)_t, ${this.blocks} block(s)`;
  }
}

/** A transformer block's tensors as src/nn/transformer-block.ts names them. */
export function blockTensors(name: string, d: number): { name: string; shape: [number, number] }[] {
  const dense = (p: string): { name: string; shape: [number, number] }[] => [{ name: `${name}/${p}/W`, shape: [d, d] }, { name: `${name}/${p}/b`, shape: [1, d] }];
  const norm = (p: string): { name: string; shape: [number, number] }[] => [{ name: `${name}/${p}/gain`, shape: [1, d] }, { name: `${name}/${p}/bias`, shape: [1, d] }];
  return [...['q', 'k', 'v', 'o'].flatMap((p) => dense(`attention/${p}`)), ...norm('ln1'), ...dense('ffn1'), ...dense('ffn2'), ...norm('ln2')];
}
