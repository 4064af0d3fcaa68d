// Multi-head causal self-attention over padded sequences (Vaswani et al. 2017): Q/K/V/O
// projections by the dense kernels, the attention itself by the seqAttention kernel.

import type { Backend, F32Buf } from '../backends/index.js';
import type { Rng } from '../random.js';
import type { Param } from '../training/param.js';
import { Dense } from './dense.js';

/**
 * out = Attn(xW_q + b_q, xW_k + b_k, xW_v + b_v)·W_o + b_o for m sequences of L positions
 * (rows m·L × d), keys at padded ids (−1) and later positions masked. Owns its buffers for
 * maxSeqs sequences; the output and its gradient are `o.y` and `o.dy`.
 *
 * @example
 * const att = new SelfAttention(be, 'att', 64, 1, 50, 128, rng);
 * const outPtr = att.forward(xPtr, idsPtr, m);
 * // ... write dLoss/dOut into att.o.dy ...
 * att.backward(xPtr, dxPtr, m, 1); // dx += dLoss/dx
 */
export class SelfAttention {
  readonly q: Dense;
  readonly k: Dense;
  readonly v: Dense;
  readonly o: Dense;
  private readonly probs: F32Buf;
  private readonly att: F32Buf;
  private readonly dAtt: F32Buf;
  private readonly scratch: F32Buf;

  constructor(readonly backend: Backend, name: string, readonly d: number, readonly heads: number, readonly L: number, maxSeqs: number, rng: Rng) {
    if (!(Number.isInteger(heads) && heads >= 1 && d % heads === 0)) throw new Error(`self-attention: heads must divide the width ${d}, got ${heads}`);
    const rows = maxSeqs * L;
    [this.q, this.k, this.v, this.o] = ['q', 'k', 'v', 'o'].map((p) => new Dense(backend, `${name}/${p}`, d, d, rows, rng));
    this.probs = backend.allocF32(maxSeqs * heads * L * L);
    this.att = backend.allocF32(rows * d);
    this.dAtt = backend.allocF32(rows * d);
    this.scratch = backend.allocF32(L);
  }

  /** The attention output of m sequences (x: m·L × d, ids: m × L), in o.y; returns its pointer. */
  forward(xPtr: number, idsPtr: number, m: number): number {
    const rows = m * this.L;
    for (const p of [this.q, this.k, this.v]) p.forward(xPtr, rows);
    this.backend.kernels.seqAttention(this.att.ptr, this.probs.ptr, this.q.y.ptr, this.k.y.ptr, this.v.y.ptr, idsPtr, m, this.L, this.d, this.heads, 1);
    this.o.forward(this.att.ptr, rows);
    return this.o.y.ptr;
  }

  /** From dLoss/dOut in o.dy: the parameters' gradients and dx (+)= dLoss/dx (accumulate 1 adds). */
  backward(xPtr: number, dxPtr: number, m: number, accumulate: number): void {
    const rows = m * this.L;
    this.o.backward(this.att.ptr, this.dAtt.ptr, rows);
    this.backend.kernels.seqAttentionBackward(this.q.dy.ptr, this.k.dy.ptr, this.v.dy.ptr, this.dAtt.ptr, this.probs.ptr, this.q.y.ptr, this.k.y.ptr, this.v.y.ptr, m, this.L, this.d, this.heads, 1, this.scratch.ptr);
    this.q.backward(xPtr, dxPtr, rows, accumulate);
    this.k.backward(xPtr, dxPtr, rows, 1);
    this.v.backward(xPtr, dxPtr, rows, 1);
  }

  params(): Param[] {
    return [this.q, this.k, this.v, this.o].flatMap((p) => p.params());
  }

  dispose(): void {
    for (const p of [this.q, this.k, this.v, this.o]) p.dispose();
    for (const b of [this.probs, this.att, this.dAtt, this.scratch]) this.backend.free(b);
  }
}
