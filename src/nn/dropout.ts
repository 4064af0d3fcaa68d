// Inverted dropout: the mask is drawn in TypeScript with the seeded Rng (so both backends
// see the same mask) and applied by the `mul` kernel.

import type { Backend, F32Buf } from '../backends/index.js';
import type { Rng } from '../random.js';
import { isSymbolicCount } from '../backends/program-counts.js';

/**
 * Zeroes each value with probability p during training and scales the others by 1/(1-p),
 * so inference needs no rescaling. Owns its output y, the gradient dy of that output and
 * the mask (maxBatch×width each).
 *
 * @example
 * const drop = new Dropout(be, 0.2, 64, 256, rng);
 * const outPtr = drop.forward(xPtr, m, true); // returns xPtr unchanged when not training
 * const dOutPtr = drop.gradPtr(fallbackPtr);  // where the next block writes dLoss/dOut
 * drop.backward(dxPtr, m);                    // dx = dy ⊙ mask, only when it was active
 */
export class Dropout {
  readonly y: F32Buf;
  readonly dy: F32Buf;
  readonly mask: F32Buf;
  private active = false;

  constructor(
    readonly backend: Backend,
    readonly p: number,
    readonly width: number,
    readonly maxBatch: number,
    private readonly rng: Rng,
  ) {
    if (!(p >= 0 && p < 1)) throw new Error(`dropout: p must be in [0, 1), got ${p}`);
    this.y = backend.allocF32(maxBatch * width);
    this.dy = backend.allocF32(maxBatch * width);
    this.mask = backend.allocF32(maxBatch * width);
  }

  /** Whether the last forward applied a mask (training with p > 0). */
  get isActive(): boolean {
    return this.active;
  }

  /** Returns the pointer holding the output: y = x ⊙ mask when training, else x itself. */
  forward(xPtr: number, m: number, training: boolean): number {
    this.active = training && this.p > 0;
    if (!this.active) return xPtr;
    const n = m * this.width;
    // A mask per row of a count known only at run time would draw differently from the direct step.
    if (isSymbolicCount(n)) throw new Error('dropout: rows counted per batch (a symbolic count) cannot be recorded; drop out a fixed count of rows');
    // A recorded step draws a new mask before each run of the program.
    const program = this.backend.recorder?.recording;
    if (program) program.beforeRun(() => this.drawMask(n));
    else this.drawMask(n);
    this.backend.kernels.mul(this.y.ptr, xPtr, this.mask.ptr, n);
    return this.y.ptr;
  }

  private drawMask(n: number): void {
    const scale = 1 / (1 - this.p);
    const mask = this.backend.f32(this.mask);
    for (let i = 0; i < n; i++) mask[i] = this.rng.uniform() < this.p ? 0 : scale;
  }

  /** Where dLoss/dOutput goes: this block's dy when active, else the input's own gradient buffer. */
  gradPtr(inputGradPtr: number): number {
    return this.active ? this.dy.ptr : inputGradPtr;
  }

  /** dx = dy ⊙ mask of the last forward; nothing to do when it was the identity. */
  backward(dxPtr: number, m: number): void {
    if (this.active) this.backend.kernels.mul(dxPtr, this.dy.ptr, this.mask.ptr, m * this.width);
  }

  dispose(): void {
    for (const b of [this.y, this.dy, this.mask]) this.backend.free(b);
  }
}
