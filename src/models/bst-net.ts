// BST's network (./bst.ts): the history through item + position embeddings and one causal
// transformer block (SASRec's encoder, ./sasrec-net.ts, with one block), each candidate's
// target attention over the block's outputs, and an MLP over [attended, candidate,
// attended ⊙ candidate] → one logit (+ the candidate's bias b_i).

import type { Backend, F32Buf, I32Buf } from '../backends/index.js';
import { TargetAttention } from '../nn/target-attention.js';
import { Tower } from '../nn/tower.js';
import type { Rng } from '../random.js';
import type { Param } from '../training/param.js';
import { SasrecNet } from './sasrec-net.js';
import { blockTensors } from './sasrec.js';
import type { SummaryBuilder } from './model-summary.js';
import type { BstUserInput } from './bst-user-input.js';

export interface BstShape {
  d: number;
  L: number;
  heads: number;
  dropout: number;
  /** Hidden widths of the MLP (its output layer of width 1 is added). */
  hidden: readonly number[];
  /** Buckets of the events' attributes (rating, time gap: ./bst-attributes.ts) added to the history tokens (0: none). */
  eventBuckets?: number;
  /** Their table's name in model files (default 'event_ratings'). */
  eventName?: string;
  /** Columns of the user's embedded features after the candidate parts of the MLP input (0: none; ./bst-user-input.ts). */
  userWidth?: number;
}

/** Throws on a shape BST cannot build (heads not dividing the width d, dropout outside [0, 1), empty MLP layers). */
export function checkBstShape(d: number, heads: number, dropout: number, mlpLayers: readonly number[]): void {
  if (!(Number.isInteger(heads) && heads >= 1 && d % heads === 0)) throw new Error(`bst: heads must divide factors (${d}), got ${heads}`);
  if (!(dropout >= 0 && dropout < 1)) throw new Error(`bst: dropout must be in [0, 1), got ${dropout}`);
  if (!mlpLayers.every((w) => Number.isInteger(w) && w >= 1)) throw new Error(`bst: mlpLayers must be positive integers, got [${mlpLayers.join(', ')}]`);
}

/** The candidate-side inputs of the MLP: attended history, candidate vector, their product. */
const MLP_PARTS = 3;

/** The MLP's input width: the candidate parts and the user's features. */
function mlpWidth(shape: BstShape): number {
  return MLP_PARTS * shape.d + (shape.userWidth ?? 0);
}

/**
 * Parameters and buffers for `maxSeqs` sequences and `maxQueries` candidate rows at a time.
 * The item table Q (input tokens and candidates) and the biases b_i are MF's, passed in.
 */
export class BstNet {
  readonly encoder: SasrecNet;
  readonly attention: TargetAttention;
  readonly mlp: Tower;
  private readonly X: F32Buf;
  private readonly dX: F32Buf;
  private readonly cand: F32Buf;
  private readonly prod: F32Buf;
  private readonly dProd: F32Buf;
  private readonly logits: F32Buf;
  private readonly dots: F32Buf;
  private readonly iota: I32Buf;

  constructor(readonly backend: Backend, readonly shape: BstShape, readonly maxSeqs: number, readonly maxQueries: number, rng: Rng, readonly user: BstUserInput | null = null) {
    const { d, L } = shape;
    if ((user?.width ?? 0) !== (shape.userWidth ?? 0)) throw new Error('bst: the user input\'s width differs from the shape\'s');
    const inputs = mlpWidth(shape);
    this.encoder = new SasrecNet(backend, { d, L, blocks: 1, heads: shape.heads, dropout: shape.dropout, eventBuckets: shape.eventBuckets, eventName: shape.eventName }, maxSeqs, rng);
    this.attention = new TargetAttention(backend, 'target_attention', d, L, maxSeqs, maxQueries, rng);
    this.mlp = new Tower(backend, 'mlp', inputs, maxQueries, rng, { layers: [...shape.hidden, 1] });
    this.X = backend.allocF32(maxQueries * inputs);
    this.dX = backend.allocF32(maxQueries * inputs);
    this.cand = backend.allocF32(maxQueries * d);
    this.prod = backend.allocF32(maxQueries * d);
    this.dProd = backend.allocF32(maxQueries * d);
    this.logits = backend.allocF32(maxQueries);
    this.dots = backend.allocF32(maxQueries);
    this.iota = backend.allocI32(maxQueries, Int32Array.from({ length: maxQueries }, (_, r) => r));
  }

  /** Encodes m ≤ maxSeqs histories (ids m × L at idsPtr, −1 = padding; their rating buckets at attrPtr, 0: unknown) and projects their keys; returns the events' pointer (m·L × d). */
  encode(Q: Param, idsPtr: number, m: number, training: boolean, attrPtr = 0): number {
    const h = this.encoder.forward(Q, idsPtr, m, training, attrPtr);
    this.attention.keys(h, m);
    return h;
  }

  /**
   * Logits of n ≤ maxQueries candidates (item ids at candPtr) against the sequences last
   * encoded: candidate r attends over the events j ≤ last[r] of sequence seq[r]; with the
   * user input, userCodes[f] holds row r's user's code of feature f. Returns the pointer of
   * the n logits (valid until the next call).
   */
  score(Q: Param, bi: Param, hPtr: number, idsPtr: number, candPtr: number, seqPtr: number, lastPtr: number, n: number, training: boolean, userCodes: readonly number[] = []): number {
    const k = this.backend.kernels;
    const d = this.shape.d;
    const w = mlpWidth(this.shape);
    k.gather(this.cand.ptr, d, Q.value.ptr, candPtr, n, d);
    const a = this.attention.forward(this.cand.ptr, hPtr, idsPtr, seqPtr, lastPtr, n);
    k.mul(this.prod.ptr, a, this.cand.ptr, n * d);
    // Strided copies into the MLP's input rows [a | q | a ⊙ q].
    k.gather(this.X.ptr, w, a, this.iota.ptr, n, d);
    k.gather(this.X.ptr + 4 * d, w, this.cand.ptr, this.iota.ptr, n, d);
    k.gather(this.X.ptr + 8 * d, w, this.prod.ptr, this.iota.ptr, n, d);
    this.user?.forward(this.X.ptr, w, MLP_PARTS * d, userCodes, n);
    const z = this.mlp.forward(this.X.ptr, n, training);
    k.gather(this.logits.ptr, 1, bi.value.ptr, candPtr, n, 1);
    k.scatterAdd(this.logits.ptr, z, 1, this.iota.ptr, n, 1);
    // A direct a·q term beside the MLP (what SASRec scores by).
    k.rowDot(this.dots.ptr, a, this.cand.ptr, n, d);
    k.scatterAdd(this.logits.ptr, this.dots.ptr, 1, this.iota.ptr, n, 1);
    return this.logits.ptr;
  }

  /**
   * From dLoss/dLogits (n, read only) of the last `score` over m sequences encoded by the
   * last `encode`: every gradient (Q's rows of the candidates and the history events, b_i,
   * the MLP, the attention, the encoder), using dhPtr (m·L × d) as scratch.
   */
  backward(Q: Param, bi: Param, hPtr: number, idsPtr: number, candPtr: number, seqPtr: number, n: number, m: number, dLogitsPtr: number, dhPtr: number, attrPtr = 0, userCodes: readonly number[] = []): void {
    const k = this.backend.kernels;
    const d = this.shape.d;
    const w = mlpWidth(this.shape);
    const att = this.attention;
    k.scatterAdd(bi.grad.ptr, dLogitsPtr, 1, candPtr, n, 1);
    k.gather(this.mlp.gradPtr(0), 1, dLogitsPtr, this.iota.ptr, n, 1);
    this.mlp.backward(this.dX.ptr, n, 0);
    this.user?.backward(this.dX.ptr, w, MLP_PARTS * d, userCodes, n);
    // d[a ⊙ q] splits into dP ⊙ q (to a) and dP ⊙ a (to q).
    k.fill(this.dProd.ptr, n * d, 0);
    k.scatterAdd(this.dProd.ptr, this.dX.ptr + 8 * d, w, this.iota.ptr, n, d);
    k.mul(att.dOut.ptr, this.dProd.ptr, this.cand.ptr, n * d);
    k.scatterAdd(att.dOut.ptr, this.dX.ptr, w, this.iota.ptr, n, d);
    k.mul(this.prod.ptr, this.dProd.ptr, att.out.ptr, n * d);
    k.rowDotBackward(att.dOut.ptr, this.prod.ptr, dLogitsPtr, att.out.ptr, this.cand.ptr, n, d, 1);
    att.backward(this.cand.ptr, hPtr, dhPtr, seqPtr, n, m);
    k.scatterAdd(Q.grad.ptr, this.dX.ptr + 4 * d, w, candPtr, n, d);
    k.scatterAdd(Q.grad.ptr, this.prod.ptr, d, candPtr, n, d);
    k.scatterAdd(Q.grad.ptr, att.dq.ptr, d, candPtr, n, d);
    this.encoder.backward(Q, idsPtr, dhPtr, m, attrPtr);
    Q.markRows(candPtr, n);
    Q.markRows(idsPtr, m * this.shape.L);
    bi.markRows(candPtr, n);
  }

  /** Every trainable tensor by its name (the model file's keys). */
  params(): Record<string, Param> {
    const all = [...Object.values(this.encoder.params()), ...this.attention.params(), ...this.mlp.params(), ...(this.user?.params() ?? [])];
    return Object.fromEntries(all.map((p) => [p.name, p]));
  }

  dispose(): void {
    this.encoder.dispose();
    this.attention.dispose();
    this.mlp.dispose();
    this.user?.dispose();
    for (const b of [this.X, this.dX, this.cand, this.prod, this.dProd, this.logits, this.dots]) this.backend.free(b);
    this.backend.free(this.iota);
  }
}

/** Adds BST's layers to a summary; `implicit`: the loss and its negatives (null: a rating model, mse). Returns the formula. */
export function describeBst(b: SummaryBuilder, shape: BstShape, nUsers: number, nItems: number, implicit: { name: string; negatives: number } | null): string {
  const { d, L, heads, dropout } = shape;
  const hist = b.add({ name: 'history', type: 'Input', branch: 'user', detail: `the last ${L} items, −1 = padding`, outputShape: [L] });
  const tokenTensors = [{ name: 'positions', shape: [L, d] as [number, number] }, ...(shape.eventBuckets ? [{ name: shape.eventName ?? 'event_ratings', shape: [shape.eventBuckets, d] as [number, number] }] : [])];
  const emb = b.add({ name: 'item_factors_in', type: 'Embedding', branch: 'user', detail: `q_i (shared with the candidates) + position embedding${shape.eventBuckets ? ' + the event\'s attribute embedding (rating, time gap)' : ''}`, outputShape: [L, d], tensors: tokenTensors, inputs: [hist] });
  const block = b.add({ name: 'block0', type: 'Transformer', branch: 'user', detail: `causal self-attention (${heads} head${heads > 1 ? 's' : ''}) + FFN, post-norm, dropout ${dropout}`, outputShape: [L, d], tensors: blockTensors('block0', d), inputs: [emb] });
  b.add({ name: 'user_factors', type: 'Embedding', branch: 'user', detail: 'MF\'s user table: the block\'s last position per user (not used by ranking, which attends over the stored histories)', outputShape: [d], tensors: [{ name: 'user_factors', shape: [nUsers + 1, d] }, { name: 'user_bias', shape: [nUsers + 1, 1] }], trainable: false, inputs: [block] });
  const itemId = b.add({ name: 'item_id', type: 'Input', branch: 'item', detail: `${nItems} known ids + unknown`, outputShape: [1] });
  const item = b.add({ name: 'item_factors', type: 'Embedding', branch: 'item', detail: 'candidate vectors q_i and biases b_i', outputShape: [d], tensors: [{ name: 'item_factors', shape: [nItems + 1, d] }, { name: 'item_bias', shape: [nItems + 1, 1] }], inputs: [itemId] });
  const att = b.add({ name: 'target_attention', type: 'Attention', branch: 'joint', detail: 'the candidate over the block outputs (keys h W_k + b_k, values h)', outputShape: [d], tensors: [{ name: 'target_attention/k/W', shape: [d, d] }, { name: 'target_attention/k/b', shape: [1, d] }], inputs: [block, item] });
  const user = shape.userWidth ? [b.add({ name: 'user_features', type: 'Embedding', branch: 'user', detail: 'the user\'s categorical features, embedded and concatenated', outputShape: [shape.userWidth] })] : [];
  let x = b.add({ name: 'concat', type: 'Concat', branch: 'joint', detail: `[attended, candidate, attended ⊙ candidate${shape.userWidth ? ', user features' : ''}]`, outputShape: [mlpWidth(shape)], inputs: [att, item, ...user] });
  let width = mlpWidth(shape);
  [...shape.hidden, 1].forEach((out, k) => {
    const last = k === shape.hidden.length;
    x = b.add({ name: `mlp/dense${k}`, type: 'Dense', branch: 'joint', detail: last ? 'linear: the logit (+ b_i)' : 'ReLU', outputShape: [out], tensors: [{ name: `mlp/dense${k}/W`, shape: [width, out] }, { name: `mlp/dense${k}/b`, shape: [1, out] }], inputs: [x] });
    width = out;
  });
  b.add({ name: 'output', type: 'Output', branch: 'joint', detail: implicit ? `${implicit.name} over the next event and ${implicit.negatives} sampled negatives (training)` : 'mse against the next event\'s rating, r̂ = μ + b_u + this (training)', outputShape: [1], inputs: [x] });
  return `${implicit ? 'logit = ' : 'r̂ = μ + b_u + '}b_i + a·q_i + MLP([a, q_i, a ⊙ q_i]), a = TargetAttention(q_i, Block(q_{s_1..L} + pos${shape.eventBuckets ? ' + r_s' : ''}))`;
}
