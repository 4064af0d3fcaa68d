// A text read in order: its tokens' embeddings through a GRU, whose last state is the text's
// vector — the recurrent text encoder of the lecture's "side information in industry" (and
// of eBay's GRU tower), where a bag of words cannot tell "not good, funny" from "good, not
// funny". Each entity's tokens are one row of L ids, left-padded with −1, so every text
// ends at the last step and its state is read there.

import type { Backend, F32Buf, I32Buf } from '../backends/index.js';
import { SEQ_POOL } from '../backends/kernels.js';
import type { EncodedMulti } from '../preprocessing/encoded.js';
import type { Rng } from '../random.js';
import type { Param } from '../training/param.js';
import { Embedding, type EmbeddingOptions } from './embedding.js';
import { Gru, GruBuffers } from './gru.js';

/**
 * The rows × L token table of a recurrent text (`mf.recurrentTokens` = L): each row's first
 * L tokens in order, left-padded with −1. Rows without tokens hold the unknown token 0.
 *
 * @example
 * paddedTokens({ ..., offsets: [0, 3], ids: [5, 9, 2], recurrentTokens: 4 }) // [−1, 5, 9, 2]
 */
export function paddedTokens(mf: EncodedMulti): Int32Array {
  const L = mf.recurrentTokens!;
  const rows = mf.offsets.length - 1;
  const out = new Int32Array(rows * L).fill(-1);
  for (let r = 0; r < rows; r++) {
    const from = mf.offsets[r];
    const count = Math.min(L, mf.offsets[r + 1] - from);
    out.set(mf.ids.subarray(from, from + count), r * L + L - count);
  }
  return out;
}

/**
 * Token embeddings (cardinality × dim) and a GRU (dim → dim) over the padded token rows of
 * up to maxBatch entities. `forward` writes each text's last GRU state into a column block
 * of a wider output; `backward` sends that block's gradient through the GRU to the tokens.
 *
 * @example
 * const text = new RecurrentText(be, 'item/title', 4097, 16, 16, 256, rng);
 * text.forward(outPtr, outStride, tokenTable.ptr, rowsPtr, m);
 * text.backward(dOutPtr, outStride, m, false);
 */
export class RecurrentText {
  readonly tokens: Embedding;
  readonly gru: Gru;
  private readonly bufs: GruBuffers;
  private readonly ids: I32Buf;
  private readonly X: F32Buf;
  private readonly dX: F32Buf;
  private readonly dH: F32Buf;
  /** r·L + L − 1 for r < maxBatch: where each text's last state is. */
  private readonly last: I32Buf;

  constructor(
    private readonly be: Backend,
    name: string,
    cardinality: number,
    readonly dim: number,
    readonly L: number,
    readonly maxBatch: number,
    rng: Rng,
    options: EmbeddingOptions = {},
  ) {
    this.tokens = new Embedding(be, name, cardinality, dim, rng, options);
    this.gru = new Gru(be, `${name}/gru`, dim, dim, rng);
    const steps = Math.max(1, maxBatch * L);
    this.bufs = new GruBuffers(be, maxBatch, L, dim, true);
    this.ids = be.allocI32(steps);
    this.X = be.allocF32(steps * dim);
    this.dX = be.allocF32(steps * dim);
    this.dH = be.allocF32(steps * dim);
    this.last = be.allocI32(Math.max(1, maxBatch), Int32Array.from({ length: maxBatch }, (_, r) => r * L + L - 1));
  }

  /** out[r·outStride ..] = the last GRU state of the text of entity rows[r], r < m (`table` from paddedTokens). */
  forward(outPtr: number, outStride: number, tablePtr: number, rowsPtr: number, m: number): void {
    this.check(m);
    const k = this.be.kernels;
    const { L, dim } = this;
    k.takeRows(this.ids.ptr, tablePtr, rowsPtr, m, L);
    // A one-event "pooling" per step: padding (−1) becomes a zero row.
    k.seqPool(this.X.ptr, dim, this.tokens.table.value.ptr, this.ids.ptr, 0, 1, 1, m * L, 1, dim, SEQ_POOL.sum);
    this.gru.forward(this.bufs, this.X.ptr, this.ids.ptr, m);
    k.gather(outPtr, outStride, this.bufs.H.ptr, this.last.ptr, m, dim);
  }

  /** Given the gradient of the last forward's m outputs, the GRU's gradients (+=) and, unless frozen, the tokens' rows. */
  backward(dOutPtr: number, dOutStride: number, m: number, freezeTokens: boolean): void {
    this.check(m);
    const k = this.be.kernels;
    const { L, dim } = this;
    const steps = m * L;
    k.fill(this.dH.ptr, steps * dim, 0);
    k.scatterAdd(this.dH.ptr, dOutPtr, dOutStride, this.last.ptr, m, dim);
    this.gru.backward(this.bufs, freezeTokens ? 0 : this.dX.ptr, this.dH.ptr, this.X.ptr, this.ids.ptr, m);
    if (freezeTokens) return;
    const t = this.tokens.table;
    k.seqPoolBackward(t.grad.ptr, this.dX.ptr, dim, 0, dim, t.value.ptr, this.ids.ptr, 0, 1, 1, steps, 1, dim, SEQ_POOL.sum);
    t.markRows(this.ids.ptr, steps);
  }

  params(): Param[] {
    return [this.tokens.table, ...this.gru.params];
  }

  dispose(): void {
    for (const p of this.params()) p.dispose();
    this.bufs.dispose();
    for (const b of [this.ids, this.X, this.dX, this.dH, this.last]) this.be.free(b);
  }

  private check(m: number): void {
    if (!(Number.isInteger(m) && m >= 0 && m <= this.maxBatch)) throw new Error(`recurrent text: ${m} rows exceed the ${this.maxBatch} it was built for`);
  }
}

/** The bytes a RecurrentText allocates besides its parameters (for the model-file load plans). */
export function recurrentTextBufferFloats(maxBatch: number, L: number, dim: number): number[] {
  const steps = Math.max(1, maxBatch * L);
  // GruBuffers H, gates, A, dA; then ids, X, dX, dH, last (4-byte elements each).
  return [steps * dim, steps * 4 * dim, steps * 3 * dim, steps * 3 * dim, steps, steps * dim, steps * dim, steps * dim, Math.max(1, maxBatch)];
}
