// BST (Chen et al., "Behavior Sequence Transformer for E-commerce Recommendation in Alibaba",
// DLP-KDD 2019, arXiv:1905.06874) with DIN's target attention (Zhou et al., KDD 2018) as the
// pooling: the history (item embeddings + learned positions) through one transformer block,
// each candidate attending over the block's outputs, and an MLP over [attended history,
// candidate, their product] → one logit (+ a·q + b_i: the direct term lifted ML-100K HR@10
// 0.150 → 0.168 at 10 epochs); trained on sampled negatives (bce, or a
// sampled softmax over the same candidates).
//
// Departures from the paper, for serving cost (full ranking scores every item for every user):
// - The paper puts the target item inside the self-attention as the (L+1)-th token, so every
//   (user, candidate) pair runs the whole block: on ML-100K full ranking that is 943 × 1682
//   block passes over 51 tokens (≈ 5 TFLOP). Here the block runs once per user and the
//   candidate enters through target attention, O(L·d + MLP) per pair (≈ 1.6 M pairs × 40 kFLOP: seconds).
// - The block is causal (SASRec's mask): one pass over a window of L events then trains every
//   position at once, each candidate attending over the positions before it; a bidirectional
//   block would need one pass per training event (≈ 39× the block passes per epoch: ML-100K's
//   80,634 training events come in 2,075 windows) because earlier positions would see the target.
//   At serving the candidate attends over every position of the user's latest L events.
// - No item features or time-gap embeddings yet: ids and positions only.

import type { Backend } from '../backends/index.js';
import { buildHistories, type Histories } from '../data/histories.js';
import type { Interactions } from '../data/interactions.js';
import type { Rng } from '../random.js';
import type { LossConfig, LossName } from '../training/losses.js';
import type { Param } from '../training/param.js';
import { BstNet } from './bst-net.js';
import { BstRun } from './bst-run.js';
import type { SummaryBuilder } from './model-summary.js';
import type { CompileOptions, ModelIndexes } from './model-types.js';
import { toRecommendations, type Recommendation } from './recommendations.js';
import { blockTensors } from './sasrec.js';
import { lastItems, SequenceModel, type SequenceDefaults, type SequenceModelOptions, type SequenceRun } from './sequence-model.js';
import { stateTensor, type ModelState } from './state.js';
import { topK } from './topk.js';

export interface BstOptions extends Omit<SequenceModelOptions, 'timeGaps' | 'historyDecay'> {
  /** Attention heads of the block; must divide the width (default 1). */
  heads?: number;
  /** Dropout on the embeddings and the block's two branches (default 0.2). */
  dropout?: number;
  /** Hidden widths of the MLP over [attended, candidate, product] (default [64]). */
  mlpLayers?: number[];
}

/**
 * Defaults measured on ML-100K next-item (events ≥ 3, full ranking, HR@10 0.2015 at 30
 * epochs with 8 negatives, 0.181 with 4; README model zoo). Negatives per positive are the
 * loss's (`negatives`, default below).
 */
export const BST_DEFAULTS = { factors: 64, historyLength: 50, lr: 0.002, epochs: 30, batchSize: 32, heads: 1, dropout: 0.2, mlpLayers: [64], negatives: 8 } as const;

/** Sequences encoded at once when serving without a training batch size (after load). */
const ENCODE_CAPACITY = 32;
/** Candidate rows scored per call at least (a whole ML-100K catalogue). */
const SERVE_QUERIES = 2048;

/**
 * The BST next-item model; ranks by a network per (history, candidate) pair, not by a dot product.
 *
 * @example
 * const model = new BST(backend, dataset).compile(); // bce, 8 negatives per event
 * await model.fit(lastItemSplit(dataset).train);
 * model.recommendForHistory(['50', '172', '181'], 10);
 */
export class BST extends SequenceModel {
  override readonly kind: string = 'bst';
  readonly heads: number;
  readonly dropout: number;
  readonly mlpLayers: readonly number[];
  private net: BstNet | null = null;
  private capacity = ENCODE_CAPACITY;
  /** Each user's latest L events (nUsers × L, −1 = padding): what her scores attend over. */
  private histories: Int32Array | null = null;

  constructor(backend: Backend, indexes: ModelIndexes, options: BstOptions = {}) {
    const { heads, dropout, mlpLayers, ...rest } = options;
    super(backend, indexes, rest);
    this.heads = heads ?? BST_DEFAULTS.heads;
    this.dropout = dropout ?? BST_DEFAULTS.dropout;
    this.mlpLayers = [...(mlpLayers ?? BST_DEFAULTS.mlpLayers)];
    const d = this.options.factors ?? BST_DEFAULTS.factors;
    if (!(Number.isInteger(this.heads) && this.heads >= 1 && d % this.heads === 0)) throw new Error(`bst: heads must divide factors (${d}), got ${this.heads}`);
    if (!(this.dropout >= 0 && this.dropout < 1)) throw new Error(`bst: dropout must be in [0, 1), got ${this.dropout}`);
    if (!this.mlpLayers.every((w) => Number.isInteger(w) && w >= 1)) throw new Error(`bst: mlpLayers must be positive integers, got [${this.mlpLayers.join(', ')}]`);
  }

  override compile(options: CompileOptions = {}): this {
    return super.compile(options.loss === undefined ? { ...options, loss: 'bce' } : options);
  }

  override supportedLosses(): readonly LossName[] {
    return ['bce', 'softmax'];
  }

  override defaultImplicitLoss(): LossName {
    return 'bce';
  }

  protected override lossDefaults(_loss: LossName): Partial<LossConfig> {
    return { negatives: BST_DEFAULTS.negatives };
  }

  protected sequenceDefaults(): SequenceDefaults {
    return BST_DEFAULTS;
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
    const L = this.historyLength;
    const maxQueries = Math.max(SERVE_QUERIES, BstRun.maxQueries(this.capacity, L, this.compiledLoss.negatives));
    this.net = new BstNet(this.backend, { d: this.factors, L, heads: this.heads, dropout: this.dropout, hidden: this.mlpLayers }, this.capacity, maxQueries, rng);
  }

  protected createRun(h: Histories, batchSize: number, rng: Rng): SequenceRun {
    const loss = this.compiledLoss;
    const objective = { loss: loss.name as 'bce' | 'softmax', negatives: loss.negatives, pool: loss.sampling === 'popularity' ? h.items.slice() : null };
    if (objective.negatives < 1) throw new Error(`bst: needs at least one sampled negative per event (loss negatives), got ${objective.negatives}`);
    const run = new BstRun(this.backend, h, this.nItems, this.historyLength, batchSize, objective, rng, this.factors);
    const t = this.tables!;
    return {
      nExamples: run.nExamples,
      layout: (r) => run.layout(r),
      step: (start, m) => run.step(this.net!, t.Q, t.bi, start, m),
      dispose: () => run.dispose(),
    };
  }

  /** The block's output at the last position (MF's served P: what `export` would write; ranking goes through the MLP). */
  protected encode(rows: Int32Array, n: number, out: Float32Array): void {
    const net = this.net!;
    const { d } = net.shape;
    const L = this.historyLength;
    const ids = this.backend.allocI32(net.maxSeqs * L);
    try {
      for (let s0 = 0; s0 < n; s0 += net.maxSeqs) {
        const m = Math.min(net.maxSeqs, n - s0);
        this.backend.write(ids, rows.subarray(s0 * L, (s0 + m) * L));
        const h = net.encode(this.tables!.Q, ids.ptr, m, false) >> 2;
        const y = this.backend.heap.f32;
        for (let r = 0; r < m; r++) out.set(y.subarray(h + (r * L + L - 1) * d, h + (r * L + L) * d), (s0 + r) * d);
      }
    } finally {
      this.backend.free(ids);
    }
  }

  /** Users' latest events as of `events` (see SequenceModel.serveFrom); ranking attends over them. */
  override serveFrom(events: Interactions, now: Float64Array | null = null): void {
    super.serveFrom(events, now);
    this.histories = lastItems(buildHistories(events, this.nUsers), this.historyLength);
  }

  protected override scoreAll(users: Int32Array): Float32Array {
    const n = this.nItems;
    const rows = this.historyRows(users);
    const seq = new Int32Array(users.length * n);
    const items = new Int32Array(users.length * n);
    for (let b = 0; b < users.length; b++) {
      seq.fill(b, b * n, (b + 1) * n);
      for (let i = 0; i < n; i++) items[b * n + i] = i;
    }
    return this.scoreQueries(rows, users.length, seq, items);
  }

  protected override predictIndices(users: Int32Array, items: Int32Array): Float32Array {
    // One sequence per distinct user; the pairs in user order, their scores put back.
    const distinct = [...new Set(users)];
    const at = new Map(distinct.map((u, s) => [u, s]));
    const order = Int32Array.from({ length: users.length }, (_, r) => r).sort((a, b) => at.get(users[a])! - at.get(users[b])!);
    const seq = Int32Array.from(order, (r) => at.get(users[r])!);
    const known = Int32Array.from(order, (r) => (items[r] >= 0 && items[r] < this.nItems ? items[r] : this.nItems));
    const scores = this.scoreQueries(this.historyRows(Int32Array.from(distinct)), distinct.length, seq, known);
    const out = new Float32Array(users.length);
    order.forEach((r, k) => (out[r] = scores[k]));
    return out;
  }

  override recommendForHistory(items: readonly string[], k = 10): { items: Recommendation[]; unknown: string[] } {
    if (!this.net) throw new Error('bst: the model is not trained yet (call fit first)');
    const index = this.indexes.itemIndex;
    const known: number[] = [];
    const unknown: string[] = [];
    for (const id of items) {
      const i = index.get(String(id));
      if (i < 0) unknown.push(String(id));
      else known.push(i);
    }
    const L = this.historyLength;
    const row = new Int32Array(L).fill(-1);
    const kept = known.slice(-L);
    row.set(kept, L - kept.length);
    const scores = this.scoreQueries(row, 1, new Int32Array(this.nItems), Int32Array.from({ length: this.nItems }, (_, i) => i));
    const exclude = new Uint8Array(this.nItems);
    for (const i of known) exclude[i] = 1;
    return { items: toRecommendations(topK(scores, k, exclude), index, this.itemTitles), unknown };
  }

  override exportState(): ModelState {
    const state = super.exportState();
    const config = { ...state.config, heads: this.heads, dropout: this.dropout, mlpLayers: [...this.mlpLayers] };
    return this.histories ? { ...state, config, tensors: { ...state.tensors, histories: this.histories.slice() } } : { ...state, config };
  }

  override importState(state: ModelState): void {
    super.importState(state);
    const h = stateTensor(state, 'histories', Int32Array, this.nUsers * this.historyLength);
    // Ids index the item table in WASM memory: a bad file must fail here, not read elsewhere.
    if (!h.every((i) => i >= -1 && i < this.nItems)) throw new Error(`bst: saved tensor 'histories' holds an item index outside [−1, ${this.nItems})`);
    this.histories = h.slice();
  }

  protected disposeNetwork(): void {
    this.net?.dispose();
    this.net = null;
  }

  /** The stored latest events of `users` (rows × L; unknown users and users without events: all padding). */
  private historyRows(users: Int32Array): Int32Array {
    const L = this.historyLength;
    const rows = new Int32Array(users.length * L).fill(-1);
    const h = this.histories;
    users.forEach((u, r) => {
      if (h && u >= 0 && u < this.nUsers) rows.set(h.subarray(u * L, (u + 1) * L), r * L);
    });
    return rows;
  }

  /**
   * The logits of candidates items[q] for sequences seq[q] (ascending) of `rows` (S × L):
   * each chunk of sequences encoded once, its candidates scored in chunks of the net's rows.
   */
  private scoreQueries(rows: Int32Array, S: number, seq: Int32Array, items: Int32Array): Float32Array {
    if (!this.net) throw new Error('bst: the model is not trained yet (call fit first)');
    const be = this.backend;
    const net = this.net;
    const L = this.historyLength;
    const Q = this.tables!.Q;
    const bi = this.tables!.bi;
    const chunk = net.maxQueries;
    const out = new Float32Array(seq.length);
    const ids = be.allocI32(net.maxSeqs * L);
    const cand = be.allocI32(chunk);
    const seqBuf = be.allocI32(chunk);
    // Serving sees every event: the last visible position is L − 1 for every candidate.
    const last = be.allocI32(chunk, new Int32Array(chunk).fill(L - 1));
    try {
      let q = 0;
      for (let s0 = 0; s0 < S; s0 += net.maxSeqs) {
        const m = Math.min(net.maxSeqs, S - s0);
        be.write(ids, rows.subarray(s0 * L, (s0 + m) * L));
        const h = net.encode(Q, ids.ptr, m, false);
        let end = q;
        while (end < seq.length && seq[end] < s0 + m) end++;
        for (let q0 = q; q0 < end; q0 += chunk) {
          const c = Math.min(chunk, end - q0);
          be.write(cand, items.subarray(q0, q0 + c));
          be.write(seqBuf, Int32Array.from(seq.subarray(q0, q0 + c), (s) => s - s0));
          const z = net.score(Q, bi, h, ids.ptr, cand.ptr, seqBuf.ptr, last.ptr, c, false) >> 2;
          out.set(be.heap.f32.subarray(z, z + c), q0);
        }
        q = end;
      }
    } finally {
      for (const b of [ids, cand, seqBuf, last]) be.free(b);
    }
    return out;
  }

  protected override describe(b: SummaryBuilder): string {
    const d = this.factors;
    const L = this.historyLength;
    const hist = b.add({ name: 'history', type: 'Input', branch: 'user', detail: `the last ${L} items, −1 = padding`, outputShape: [L] });
    const emb = b.add({ name: 'item_factors_in', type: 'Embedding', branch: 'user', detail: 'q_i (shared with the candidates) + position embedding', outputShape: [L, d], tensors: [{ name: 'positions', shape: [L, d] }], inputs: [hist] });
    const block = b.add({ name: 'block0', type: 'Transformer', branch: 'user', detail: `causal self-attention (${this.heads} head${this.heads > 1 ? 's' : ''}) + FFN, post-norm, dropout ${this.dropout}`, outputShape: [L, d], tensors: blockTensors('block0', d), inputs: [emb] });
    b.add({ name: 'user_factors', type: 'Embedding', branch: 'user', detail: 'MF\'s user table: the block\'s last position per user (not used by ranking, which attends over the stored histories)', outputShape: [d], tensors: [{ name: 'user_factors', shape: [this.nUsers + 1, d] }, { name: 'user_bias', shape: [this.nUsers + 1, 1] }], trainable: false, inputs: [block] });
    const itemId = b.add({ name: 'item_id', type: 'Input', branch: 'item', detail: `${this.nItems} known ids + unknown`, outputShape: [1] });
    const item = b.add({ name: 'item_factors', type: 'Embedding', branch: 'item', detail: 'candidate vectors q_i and biases b_i', outputShape: [d], tensors: [{ name: 'item_factors', shape: [this.nItems + 1, d] }, { name: 'item_bias', shape: [this.nItems + 1, 1] }], inputs: [itemId] });
    const att = b.add({ name: 'target_attention', type: 'Attention', branch: 'joint', detail: 'the candidate over the block outputs (keys h W_k + b_k, values h)', outputShape: [d], tensors: [{ name: 'target_attention/k/W', shape: [d, d] }, { name: 'target_attention/k/b', shape: [1, d] }], inputs: [block, item] });
    let x = b.add({ name: 'concat', type: 'Concat', branch: 'joint', detail: '[attended, candidate, attended ⊙ candidate]', outputShape: [3 * d], inputs: [att, item] });
    let width = 3 * d;
    [...this.mlpLayers, 1].forEach((out, k) => {
      const last = k === this.mlpLayers.length;
      x = b.add({ name: `mlp/dense${k}`, type: 'Dense', branch: 'joint', detail: last ? 'linear: the logit (+ b_i)' : 'ReLU', outputShape: [out], tensors: [{ name: `mlp/dense${k}/W`, shape: [width, out] }, { name: `mlp/dense${k}/b`, shape: [1, out] }], inputs: [x] });
      width = out;
    });
    b.add({ name: 'output', type: 'Output', branch: 'joint', detail: `${this.compiledLoss.name} over the next event and ${this.compiledLoss.negatives} sampled negatives (training)`, outputShape: [1], inputs: [x] });
    return `logit = b_i + MLP([a, q_i, a ⊙ q_i]), a = TargetAttention(q_i, Block(q_{s_1..L} + pos))`;
  }
}
