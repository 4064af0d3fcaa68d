// Layer normalisation with a learned gain and bias (Ba, Kiros & Hinton 2016), optionally of
// a residual sum x + res (the "add & norm" of a post-norm transformer block).

import type { Backend, F32Buf } from '../backends/index.js';
import type { Rng } from '../random.js';
import { Param } from '../training/param.js';

/** Added to the variance: keeps rstd finite on a constant row (a padded position's input). */
const LAYER_NORM_EPS = 1e-6;

/**
 * y = gain ⊙ (z − μ)/√(σ² + eps) + bias per row of z = x + res, owning y and the saved
 * normalised rows for the backward (maxRows × d).
 *
 * @example
 * const ln = new LayerNorm(be, 'ln', 64, 3200, rng);
 * ln.forward(xPtr, resPtr, rows);  // ln.y
 * ln.backward(dzPtr, dyPtr, rows); // dz = dLoss/d(x + res); grads into gain, bias
 */
export class LayerNorm {
  readonly gain: Param;
  readonly bias: Param;
  readonly y: F32Buf;
  private readonly xhat: F32Buf;
  private readonly rstd: F32Buf;

  constructor(readonly backend: Backend, name: string, readonly d: number, maxRows: number, rng: Rng) {
    this.gain = new Param(backend, `${name}/gain`, 1, d, rng);
    this.gain.write(new Float32Array(d).fill(1));
    this.bias = new Param(backend, `${name}/bias`, 1, d, rng);
    this.y = backend.allocF32(maxRows * d);
    this.xhat = backend.allocF32(maxRows * d);
    this.rstd = backend.allocF32(maxRows);
  }

  /** y = LN(x + res) for `rows` rows (resPtr 0: LN(x)). */
  forward(xPtr: number, resPtr: number, rows: number): void {
    this.backend.kernels.layerNorm(this.y.ptr, this.xhat.ptr, this.rstd.ptr, xPtr, resPtr, this.gain.value.ptr, this.bias.value.ptr, rows, this.d, LAYER_NORM_EPS);
  }

  /** dz = dLoss/dz from dy (overwritten; dz may alias dy); gain and bias gradients accumulate. */
  backward(dzPtr: number, dyPtr: number, rows: number): void {
    this.backend.kernels.layerNormBackward(dzPtr, this.gain.grad.ptr, this.bias.grad.ptr, dyPtr, this.xhat.ptr, this.rstd.ptr, this.gain.value.ptr, rows, this.d);
  }

  params(): Param[] {
    return [this.gain, this.bias];
  }

  dispose(): void {
    this.gain.dispose();
    this.bias.dispose();
    for (const b of [this.y, this.xhat, this.rstd]) this.backend.free(b);
  }
}
