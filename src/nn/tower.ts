// A tower: a stack of Dense layers (with dropout between them) over one input buffer.

import type { Backend } from '../backends/index.js';
import type { Rng } from '../random.js';
import type { Param } from '../training/param.js';
import { Dense, type Activation } from './dense.js';
import { Dropout } from './dropout.js';

export interface TowerOptions {
  /** Output width of each Dense layer, e.g. [64, 32]; [] makes the tower the identity. */
  layers: readonly number[];
  /** Activation of the hidden layers (default 'relu'). */
  activation?: Activation;
  /** Activation of the last layer (default 'linear': scores and dot products need sign and scale). */
  outputActivation?: Activation;
  /** Dropout after each hidden layer (default 0). */
  dropout?: number;
  /** L2 on the weight matrices (default 0). */
  l2?: number;
}

/**
 * Dense → (Dropout) → … → Dense. Call `forward`, write dLoss/dOut at `gradPtr(…)`, then
 * `backward`; all buffers are sized once for maxBatch.
 *
 * @example
 * const t = new Tower(be, 'user', 40, 256, rng, { layers: [64, 32], dropout: 0.1 });
 * const outPtr = t.forward(xPtr, m, true);
 * be.kernels.rowDotBackward(t.gradPtr(0), …);
 * t.backward(xPtr, dxPtr, m);
 */
export class Tower {
  readonly dense: Dense[] = [];
  readonly drops: (Dropout | null)[] = [];
  readonly outDim: number;
  private inputs: number[] = [];

  constructor(
    readonly backend: Backend,
    name: string,
    readonly inDim: number,
    maxBatch: number,
    rng: Rng,
    options: TowerOptions,
  ) {
    const p = options.dropout ?? 0;
    let width = inDim;
    options.layers.forEach((out, i) => {
      const last = i === options.layers.length - 1;
      const activation = last ? (options.outputActivation ?? 'linear') : (options.activation ?? 'relu');
      this.dense.push(new Dense(backend, `${name}/dense${i}`, width, out, maxBatch, rng, { activation, l2: options.l2 }));
      this.drops.push(!last && p > 0 ? new Dropout(backend, p, out, maxBatch, rng.fork()) : null);
      width = out;
    });
    this.outDim = width;
  }

  /** Runs the layers on x (m×inDim); returns the pointer of the m×outDim output. */
  forward(xPtr: number, m: number, training: boolean): number {
    let x = xPtr;
    this.inputs.length = 0;
    for (let i = 0; i < this.dense.length; i++) {
      this.inputs.push(x);
      this.dense[i].forward(x, m);
      x = this.dense[i].y.ptr;
      const drop = this.drops[i];
      if (drop) x = drop.forward(x, m, training);
    }
    return x;
  }

  /** Where to write dLoss/dOut after `forward` (the input's gradient buffer for an empty tower). */
  gradPtr(inputGradPtr: number): number {
    return this.dense.length > 0 ? this.dense[this.dense.length - 1].dy.ptr : inputGradPtr;
  }

  /** Backward through every layer; dx (+)= dLoss/dx when dxPtr ≠ 0. */
  backward(dxPtr: number, m: number, accumulate = 0): void {
    for (let i = this.dense.length - 1; i >= 0; i--) {
      const below = i > 0 ? this.drops[i - 1] : null;
      const target = i === 0 ? dxPtr : below ? below.gradPtr(this.dense[i - 1].dy.ptr) : this.dense[i - 1].dy.ptr;
      this.dense[i].backward(this.inputs[i], target, m, i === 0 ? accumulate : 0);
      if (below) below.backward(this.dense[i - 1].dy.ptr, m);
    }
  }

  params(): Param[] {
    return this.dense.flatMap((d) => d.params());
  }

  dispose(): void {
    for (const d of this.dense) d.dispose();
    for (const d of this.drops) d?.dispose();
  }
}
