// A GRU layer over padded behaviour sequences (PyTorch's gates; GRU4Rec, Hidasi et al. 2016).
// The input projections of every step are one GEMM over the batch (A = X·W + b_x); only the
// recurrence, which is sequential in time, runs step by step in the seqGru kernels.

import type { Backend, F32Buf } from '../backends/index.js';
import type { Rng } from '../random.js';
import { Param } from '../training/param.js';

/** Per-batch working memory of a Gru: sized for maxRows sequences of L steps. */
export class GruBuffers {
  /** Hidden state of every step (rows·L × d). */
  readonly H: F32Buf;
  readonly gates: F32Buf;
  readonly A: F32Buf;
  readonly dA: F32Buf | null;

  constructor(private readonly be: Backend, readonly maxRows: number, readonly L: number, d: number, training: boolean) {
    const n = Math.max(1, maxRows * L);
    this.H = be.allocF32(n * d);
    this.gates = be.allocF32(n * 4 * d);
    this.A = be.allocF32(n * 3 * d);
    this.dA = training ? be.allocF32(n * 3 * d) : null;
  }

  dispose(): void {
    for (const b of [this.H, this.gates, this.A, this.dA]) if (b) this.be.free(b);
  }
}

/**
 * h_t = GRU(x_t, h_{t−1}) over m sequences of L steps (row-major: step t of row r at r·L + t),
 * ids < 0 marking padded steps (h = 0 there; the next real step starts from zero).
 *
 * @example
 * const gru = new Gru(be, 'gru', 64, 64, rng);
 * const bufs = new GruBuffers(be, 32, 50, 64, true);
 * gru.forward(bufs, xPtr, idsPtr, m);        // bufs.H holds every step's state
 * gru.backward(bufs, dxPtr, dHPtr, xPtr, idsPtr, m); // dH is consumed; W, U, b grads +=
 */
export class Gru {
  readonly W: Param;
  readonly U: Param;
  readonly bx: Param;
  readonly bh: Param;

  constructor(readonly backend: Backend, name: string, readonly din: number, readonly d: number, rng: Rng) {
    // PyTorch's initialisation: uniform ±1/√d for every weight and bias.
    const init = { uniform: 1 / Math.sqrt(d) };
    this.W = new Param(backend, `${name}_w`, din, 3 * d, rng, { init });
    this.U = new Param(backend, `${name}_u`, d, 3 * d, rng, { init });
    this.bx = new Param(backend, `${name}_bx`, 1, 3 * d, rng, { init });
    this.bh = new Param(backend, `${name}_bh`, 1, 3 * d, rng, { init });
  }

  get params(): Param[] {
    return [this.W, this.U, this.bx, this.bh];
  }

  /** bufs.H ← the hidden states of m sequences whose inputs X are (m·L × din). */
  forward(bufs: GruBuffers, xPtr: number, idsPtr: number, m: number): void {
    this.check(bufs, m);
    const k = this.backend.kernels;
    const { d, din } = this;
    const rows = m * bufs.L;
    k.gemm(bufs.A.ptr, xPtr, this.W.value.ptr, this.bx.value.ptr, rows, din, 3 * d, 0);
    k.seqGruForward(bufs.H.ptr, bufs.gates.ptr, bufs.A.ptr, this.U.value.ptr, this.bh.value.ptr, idsPtr, m, bufs.L, d);
  }

  /** Given dH (every step; overwritten), dX = dLoss/dX (m·L × din, dxPtr 0: not wanted) and the parameters' gradients (+=). */
  backward(bufs: GruBuffers, dxPtr: number, dHPtr: number, xPtr: number, idsPtr: number, m: number): void {
    this.check(bufs, m);
    if (!bufs.dA) throw new Error('gru: these buffers were made for inference');
    const k = this.backend.kernels;
    const { d, din } = this;
    const rows = m * bufs.L;
    const dA = bufs.dA.ptr;
    k.seqGruBackward(dA, this.U.grad.ptr, this.bh.grad.ptr, dHPtr, bufs.H.ptr, bufs.gates.ptr, this.U.value.ptr, idsPtr, m, bufs.L, d);
    k.gemmTn(this.W.grad.ptr, xPtr, dA, rows, din, 3 * d, 1);
    k.colSum(this.bx.grad.ptr, dA, rows, 3 * d, 1);
    if (dxPtr) k.gemmNt(dxPtr, dA, this.W.value.ptr, rows, din, 3 * d, 0);
  }

  dispose(): void {
    for (const p of this.params) p.dispose();
  }

  private check(bufs: GruBuffers, m: number): void {
    if (!(m >= 0 && m <= bufs.maxRows)) throw new Error(`gru: ${m} sequences exceed the buffers' ${bufs.maxRows}`);
  }
}
