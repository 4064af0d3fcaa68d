// Target attention (DIN, Zhou et al. 2018; BST's candidate-aware pooling, Chen et al. 2019):
// each candidate item attends over an encoded behaviour sequence, so the pooled history
// depends on what is being scored. Keys are a learned projection of the events, values the
// events themselves, the query the candidate's own vector (its projection would fold into
// the key's: q·W_kᵀh = (W_k q)·h).

import type { Backend, F32Buf } from '../backends/index.js';
import { isSymbolicCount } from '../backends/program-counts.js';
import type { Rng } from '../random.js';
import type { Param } from '../training/param.js';
import { Dense } from './dense.js';

/**
 * a_r = Σ_j softmax_j(q_r·(h_j W_k + b_k)/√d) h_j over the events j ≤ last[r] (id ≥ 0) of
 * sequence seq[r]. `keys(h, m)` projects m sequences once (m·L rows, at most maxSeqs
 * sequences); `forward` then serves any number of query chunks of at most maxQueries rows.
 *
 * @example
 * const att = new TargetAttention(be, 'target_attention', 64, 50, 32, 8000, rng);
 * att.keys(hPtr, m);
 * const aPtr = att.forward(qPtr, hPtr, idsPtr, seqPtr, lastPtr, n);
 * // ... write dLoss/da into att.dOut ...
 * att.backward(qPtr, hPtr, dhPtr, seqPtr, n, m); // dq in att.dq; dh = dLoss/dh (overwritten)
 */
export class TargetAttention {
  readonly key: Dense;
  readonly out: F32Buf;
  /** dLoss/d(out), written by the caller before `backward`. */
  readonly dOut: F32Buf;
  /** dLoss/dq after `backward`. */
  readonly dq: F32Buf;
  private readonly probs: F32Buf;
  private readonly scratch: F32Buf;

  constructor(readonly backend: Backend, name: string, readonly d: number, readonly L: number, readonly maxSeqs: number, readonly maxQueries: number, rng: Rng) {
    this.key = new Dense(backend, `${name}/k`, d, d, maxSeqs * L, rng);
    this.out = backend.allocF32(maxQueries * d);
    this.dOut = backend.allocF32(maxQueries * d);
    this.dq = backend.allocF32(maxQueries * d);
    this.probs = backend.allocF32(maxQueries * L);
    this.scratch = backend.allocF32(L);
  }

  /** Projects the keys of m encoded sequences (h: m·L × d); valid until the next call. */
  keys(hPtr: number, m: number): void {
    if (m > this.maxSeqs) throw new Error(`target attention: ${m} sequences; built for at most ${this.maxSeqs}`);
    this.key.forward(hPtr, m * this.L);
  }

  /** The attended history of n ≤ maxQueries queries (q: n × d) into `out`; returns its pointer. */
  forward(qPtr: number, hPtr: number, idsPtr: number, seqPtr: number, lastPtr: number, n: number): number {
    // A step recorded with a symbolic count checks its real counts before each run (BstRun).
    if (n > this.maxQueries && !isSymbolicCount(n)) throw new Error(`target attention: ${n} queries; built for at most ${this.maxQueries}`);
    this.backend.kernels.seqTargetAttention(this.out.ptr, this.probs.ptr, qPtr, this.key.y.ptr, hPtr, idsPtr, seqPtr, lastPtr, n, this.L, this.d);
    return this.out.ptr;
  }

  /** From dOut: the key projection's gradients, dq, and dh = dLoss/dh of the m sequences (overwritten). */
  backward(qPtr: number, hPtr: number, dhPtr: number, seqPtr: number, n: number, m: number): void {
    this.backend.kernels.seqTargetAttentionBackward(this.dq.ptr, this.key.dy.ptr, dhPtr, this.dOut.ptr, this.probs.ptr, qPtr, this.key.y.ptr, hPtr, seqPtr, n, m, this.L, this.d, this.scratch.ptr);
    this.key.backward(hPtr, dhPtr, m * this.L, 1);
  }

  params(): Param[] {
    return this.key.params();
  }

  dispose(): void {
    this.key.dispose();
    for (const b of [this.out, this.dOut, this.dq, this.probs, this.scratch]) this.backend.free(b);
  }
}
