// Fully connected layer y = act(x·W + b) on a batch in backend memory, with its backward.

import type { Backend, F32Buf } from '../backends/index.js';
import { DENSE_ACT } from '../backends/kernels.js';
import type { Rng } from '../random.js';
import { Param } from '../training/param.js';

export type Activation = 'relu' | 'sigmoid' | 'tanh' | 'linear';

const BACKWARD = { relu: 'reluBackward', sigmoid: 'sigmoidBackward', tanh: 'tanhBackward' } as const;
/** Activations the fused dense kernels handle (one call forward, one for act' + bias grad). */
const FUSED: Partial<Record<Activation, number>> = { linear: DENSE_ACT.linear, relu: DENSE_ACT.relu };

export interface DenseOptions {
  activation?: Activation;
  /** Coupled L2 on W (not on the bias); default 0. */
  l2?: number;
}

/**
 * A dense layer owning its weights (W: in×out, b: out) and its batch buffers (output y and
 * the gradient dy of the output, maxBatch×out each), allocated once.
 *
 * Initialisation: He-normal (std √(2/in)) before relu, Glorot-normal (√(2/(in+out)))
 * otherwise, so activations keep their scale through a stack of layers.
 *
 * @example
 * const d = new Dense(be, 'h1', 40, 32, 256, rng, { activation: 'relu' });
 * d.forward(xPtr, m);        // d.y holds act(x·W + b)
 * // ... write dLoss/dy into d.dy ...
 * d.backward(xPtr, dxPtr, m); // grads into W, b; dx = dy·Wᵀ (skip with dxPtr = 0)
 */
export class Dense {
  readonly W: Param;
  readonly b: Param;
  readonly y: F32Buf;
  readonly dy: F32Buf;
  readonly activation: Activation;

  constructor(
    readonly backend: Backend,
    name: string,
    readonly inDim: number,
    readonly outDim: number,
    readonly maxBatch: number,
    rng: Rng,
    options: DenseOptions = {},
  ) {
    this.activation = options.activation ?? 'linear';
    const std = this.activation === 'relu' ? Math.sqrt(2 / inDim) : Math.sqrt(2 / (inDim + outDim));
    this.W = new Param(backend, `${name}/W`, inDim, outDim, rng, { l2: options.l2 ?? 0, init: { normal: std } });
    this.b = new Param(backend, `${name}/b`, 1, outDim, rng);
    this.y = backend.allocF32(maxBatch * outDim);
    this.dy = backend.allocF32(maxBatch * outDim);
  }

  /** y = act(x·W + b) for the m rows of x (m×inDim, contiguous). */
  forward(xPtr: number, m: number): void {
    this.forwardInto(this.y.ptr, xPtr, m);
  }

  /** act(x·W + b) into a caller's m×outDim buffer: inference on batches larger than maxBatch. */
  forwardInto(yPtr: number, xPtr: number, m: number): void {
    const k = this.backend.kernels;
    const fused = FUSED[this.activation];
    if (fused !== undefined) {
      k.denseForward(yPtr, xPtr, this.W.value.ptr, this.b.value.ptr, m, this.inDim, this.outDim, fused);
      return;
    }
    k.gemm(yPtr, xPtr, this.W.value.ptr, this.b.value.ptr, m, this.inDim, this.outDim, 0);
    if (this.activation !== 'linear') k[this.activation](yPtr, yPtr, m * this.outDim);
  }

  /** The DENSE_ACT code of the activation when the fused kernels handle it, else undefined. */
  get fusedActivation(): number | undefined {
    return FUSED[this.activation];
  }

  /**
   * From the gradient in `dy` (overwritten with the pre-activation gradient): W.grad +=
   * xᵀ·dz, b.grad += Σ dz, and dx (+)= dz·Wᵀ when dxPtr ≠ 0 (accumulate: 1 adds).
   */
  backward(xPtr: number, dxPtr: number, m: number, accumulate = 0): void {
    const k = this.backend.kernels;
    const fused = FUSED[this.activation];
    if (fused !== undefined) {
      k.denseActBackward(this.dy.ptr, this.b.grad.ptr, this.dy.ptr, this.y.ptr, m, this.outDim, fused);
    } else {
      k[BACKWARD[this.activation as keyof typeof BACKWARD]](this.dy.ptr, this.dy.ptr, this.y.ptr, m * this.outDim);
      k.colSum(this.b.grad.ptr, this.dy.ptr, m, this.outDim, 1);
    }
    k.gemmTn(this.W.grad.ptr, xPtr, this.dy.ptr, m, this.inDim, this.outDim, 1);
    if (dxPtr !== 0) k.gemmNt(dxPtr, this.dy.ptr, this.W.value.ptr, m, this.inDim, this.outDim, accumulate);
  }

  params(): Param[] {
    return [this.W, this.b];
  }

  dispose(): void {
    this.W.dispose();
    this.b.dispose();
    this.backend.free(this.y);
    this.backend.free(this.dy);
  }
}
