// SASRec's encoder (Kang & McAuley, ICDM 2018): item embeddings (tied to the output ones,
// MF's Q) plus learned position embeddings, then a stack of causal post-norm transformer
// blocks; the output at position t is the user vector that predicts the item after t.

import type { Backend, F32Buf, I32Buf } from '../backends/index.js';
import { SEQ_POOL } from '../backends/kernels.js';
import { Dropout } from '../nn/dropout.js';
import { EventEmbedding } from '../nn/event-embedding.js';
import { TransformerBlock } from '../nn/transformer-block.js';
import type { Rng } from '../random.js';
import { Param } from '../training/param.js';

export interface SasrecShape {
  d: number;
  /** Positions per sequence (the history length). */
  L: number;
  blocks: number;
  heads: number;
  dropout: number;
  /** Buckets of a per-event attribute added to the tokens (0 or absent: none). */
  eventBuckets?: number;
  /** The attribute table's name in model files (default 'event_ratings'). */
  eventName?: string;
}

/** Position embeddings' initial scale: small next to the item embeddings, as in SASRec. */
const POSITION_INIT_STD = 0.05;

/**
 * The encoder's parameters and its buffers for `capacity` sequences at a time. The input
 * item table is passed in (MF's Q, shared with the output layer).
 */
export class SasrecNet {
  readonly positions: Param;
  readonly blocks: TransformerBlock[];
  private readonly X: F32Buf;
  private readonly dA: F32Buf;
  private readonly dB: F32Buf;
  private readonly ids: I32Buf;
  /** Zeros: the unknown attribute of every position, when a caller has none. */
  private unknown: I32Buf | undefined;
  private readonly drop: Dropout;
  /** The per-event attribute's embedding (shape.eventBuckets > 0), or null. */
  readonly events: EventEmbedding | null;

  constructor(readonly backend: Backend, readonly shape: SasrecShape, readonly capacity: number, rng: Rng) {
    const { d, L } = shape;
    const rows = capacity * L;
    if (!(Number.isInteger(shape.blocks) && shape.blocks >= 1)) throw new Error(`sasrec: blocks must be an integer ≥ 1, got ${shape.blocks}`);
    this.positions = new Param(backend, 'positions', L, d, rng, { init: { normal: POSITION_INIT_STD } });
    this.blocks = Array.from({ length: shape.blocks }, (_, b) => new TransformerBlock(backend, `block${b}`, d, shape.heads, L, capacity, shape.dropout, rng));
    this.drop = new Dropout(backend, shape.dropout, d, rows, rng.fork());
    this.X = backend.allocF32(rows * d);
    // Made last, so that models without it draw their initial weights exactly as before.
    this.events = shape.eventBuckets ? new EventEmbedding(backend, shape.eventName ?? 'event_ratings', shape.eventBuckets, d, rows, rng.fork()) : null;
    this.dA = backend.allocF32(rows * d);
    this.dB = backend.allocF32(rows * d);
    this.ids = backend.allocI32(rows);
  }

  /** The encoder's output for m ≤ capacity sequences of item ids (m × L, −1 = padding) at idsPtr; returns its pointer (m·L × d). */
  forward(Q: Param, idsPtr: number, m: number, training: boolean, attrPtr = 0): number {
    const { d, L } = this.shape;
    const k = this.backend.kernels;
    const rows = m * L;
    // Each position as a one-slot sequence: a padded position embeds to 0 and gets no gradient.
    k.seqPool(this.X.ptr, d, Q.value.ptr, idsPtr, 0, 1, 1, rows, 1, d, SEQ_POOL.sum);
    // The position table broadcast over sequences: a bias row of L·d values.
    k.gemm(this.X.ptr, 0, 0, this.positions.value.ptr, m, 0, L * d, 1);
    if (this.events) this.events.addTo(this.X.ptr, this.attrsOr(attrPtr, rows), rows);
    let h = this.drop.forward(this.X.ptr, rows, training);
    for (const block of this.blocks) h = block.forward(h, idsPtr, m, training);
    return h;
  }

  /** From dLoss/dOutput (m·L × d, read only): the gradients of every block, the positions and Q's input rows. */
  backward(Q: Param, idsPtr: number, dOutPtr: number, m: number, attrPtr = 0): void {
    const { d, L } = this.shape;
    const k = this.backend.kernels;
    const rows = m * L;
    let g = dOutPtr;
    for (let b = this.blocks.length - 1; b >= 0; b--) {
      const dx = g === this.dA.ptr ? this.dB.ptr : this.dA.ptr;
      this.blocks[b].backward(g, dx, m);
      g = dx;
    }
    // With at least one block, g is one of this net's own buffers: safe to scale in place.
    if (this.drop.isActive) k.mul(g, g, this.drop.mask.ptr, rows * d);
    k.colSum(this.positions.grad.ptr, g, m, L * d, 1);
    if (this.events) this.events.backward(g, this.attrsOr(attrPtr, rows), rows);
    k.seqPoolBackward(Q.grad.ptr, g, d, this.X.ptr, d, Q.value.ptr, idsPtr, 0, 1, 1, rows, 1, d, SEQ_POOL.sum);
  }

  /**
   * User vectors of histories given row-major (rows × L, −1 = padding, most recent in slot
   * L−1) into out (rows × d): the output at the last position, in chunks of `capacity`.
   */
  encode(Q: Param, lastItems: Int32Array, rows: number, out: Float32Array): void {
    const { d, L } = this.shape;
    for (let start = 0; start < rows; start += this.capacity) {
      const m = Math.min(this.capacity, rows - start);
      this.backend.write(this.ids, lastItems.subarray(start * L, (start + m) * L));
      const h = this.forward(Q, this.ids.ptr, m, false);
      const y = this.backend.heap.f32;
      for (let r = 0; r < m; r++) {
        const from = (h >> 2) + (r * L + L - 1) * d;
        out.set(y.subarray(from, from + d), (start + r) * d);
      }
    }
  }

  /** Every trainable tensor by its name (the model file's keys). */
  /** The attribute ids at attrPtr, or (0) the unknown bucket for every position. */
  private attrsOr(attrPtr: number, rows: number): number {
    if (attrPtr) return attrPtr;
    this.unknown ??= this.backend.allocI32(this.capacity * this.shape.L, new Int32Array(this.capacity * this.shape.L));
    if (rows > this.capacity * this.shape.L) throw new Error('sasrec: more positions than the encoder holds');
    return this.unknown.ptr;
  }

  params(): Record<string, Param> {
    const all = [this.positions, ...this.blocks.flatMap((b) => b.params()), ...(this.events ? [this.events.table] : [])];
    return Object.fromEntries(all.map((p) => [p.name, p]));
  }

  dispose(): void {
    this.positions.dispose();
    for (const b of this.blocks) b.dispose();
    this.drop.dispose();
    this.events?.dispose();
    for (const b of [this.X, this.dA, this.dB, this.ids]) this.backend.free(b);
    if (this.unknown) this.backend.free(this.unknown);
  }
}
