// A post-norm transformer block (Vaswani et al. 2017; SASRec's, Kang & McAuley 2018):
// h = LN(x + drop(SelfAttention(x))), out = LN(h + drop(W₂ relu(W₁ h + b₁) + b₂)).

import type { Backend, F32Buf } from '../backends/index.js';
import type { Rng } from '../random.js';
import type { Param } from '../training/param.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { LayerNorm } from './layer-norm.js';
import { SelfAttention } from './self-attention.js';

/**
 * One block over m padded sequences of L positions (rows m·L × d), owning its buffers for
 * maxSeqs sequences. The feed-forward part is position-wise with width d.
 *
 * @example
 * const block = new TransformerBlock(be, 'block0', 64, 1, 50, 128, 0.2, rng);
 * const outPtr = block.forward(xPtr, idsPtr, m, true);
 * block.backward(dOutPtr, dxPtr, m); // dx = dLoss/dx (overwritten)
 */
export class TransformerBlock {
  readonly attention: SelfAttention;
  private readonly drop1: Dropout;
  private readonly ln1: LayerNorm;
  private readonly ffn1: Dense;
  private readonly ffn2: Dense;
  private readonly drop2: Dropout;
  private readonly ln2: LayerNorm;
  private readonly dR: F32Buf;
  /** All ones: passes a gradient through a dropout that is off (p = 0) by the mul kernel. */
  private readonly ones: F32Buf | null;
  private xPtr = 0;

  constructor(readonly backend: Backend, name: string, readonly d: number, heads: number, readonly L: number, maxSeqs: number, dropout: number, rng: Rng) {
    const rows = maxSeqs * L;
    this.attention = new SelfAttention(backend, `${name}/attention`, d, heads, L, maxSeqs, rng);
    this.drop1 = new Dropout(backend, dropout, d, rows, rng.fork());
    this.ln1 = new LayerNorm(backend, `${name}/ln1`, d, rows, rng);
    this.ffn1 = new Dense(backend, `${name}/ffn1`, d, d, rows, rng, { activation: 'relu' });
    this.ffn2 = new Dense(backend, `${name}/ffn2`, d, d, rows, rng);
    this.drop2 = new Dropout(backend, dropout, d, rows, rng.fork());
    this.ln2 = new LayerNorm(backend, `${name}/ln2`, d, rows, rng);
    this.dR = backend.allocF32(rows * d);
    this.ones = dropout === 0 ? backend.allocF32(rows * d, new Float32Array(rows * d).fill(1)) : null;
  }

  /** The block's output for x (m·L × d; ids m × L, −1 = padding); returns its pointer (valid until the next forward). */
  forward(xPtr: number, idsPtr: number, m: number, training: boolean): number {
    const rows = m * this.L;
    this.xPtr = xPtr;
    const a = this.drop1.forward(this.attention.forward(xPtr, idsPtr, m), rows, training);
    this.ln1.forward(a, xPtr, rows);
    this.ffn1.forward(this.ln1.y.ptr, rows);
    this.ffn2.forward(this.ffn1.y.ptr, rows);
    this.ln2.forward(this.drop2.forward(this.ffn2.y.ptr, rows, training), this.ln1.y.ptr, rows);
    return this.ln2.y.ptr;
  }

  /** From dLoss/dOut (read only): every parameter's gradient, and dx = dLoss/dx (overwritten) of the last forward's input. */
  backward(dOutPtr: number, dxPtr: number, m: number): void {
    const rows = m * this.L;
    // Each residual sum's gradient feeds both its branch (through the dropout mask) and its skip input.
    this.ln2.backward(this.dR.ptr, dOutPtr, rows);
    this.throughDropout(this.drop2, this.ffn2.dy.ptr, this.dR.ptr, rows);
    this.ffn2.backward(this.ffn1.y.ptr, this.ffn1.dy.ptr, rows);
    this.ffn1.backward(this.ln1.y.ptr, this.dR.ptr, rows, 1);
    this.ln1.backward(dxPtr, this.dR.ptr, rows);
    this.throughDropout(this.drop1, this.attention.o.dy.ptr, dxPtr, rows);
    this.attention.backward(this.xPtr, dxPtr, m, 1);
  }

  private throughDropout(drop: Dropout, dstPtr: number, srcPtr: number, rows: number): void {
    this.backend.kernels.mul(dstPtr, srcPtr, drop.isActive ? drop.mask.ptr : this.ones!.ptr, rows * this.d);
  }

  params(): Param[] {
    return [...this.attention.params(), ...this.ln1.params(), ...this.ffn1.params(), ...this.ffn2.params(), ...this.ln2.params()];
  }

  dispose(): void {
    for (const p of [this.attention, this.drop1, this.ln1, this.ffn1, this.ffn2, this.drop2, this.ln2]) p.dispose();
    this.backend.free(this.dR);
    if (this.ones) this.backend.free(this.ones);
  }
}
