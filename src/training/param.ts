// Trainable tensors: value, gradient and optimizer slots in backend memory, plus the
// bookkeeping of which rows a batch touched (so updates stay sparse).

import type { Backend, F32Buf, I32Buf } from '../backends/index.js';
import type { Rng } from '../random.js';

export interface ParamOptions {
  /** Row-sparse (embedding tables): only rows used by a batch are updated. */
  sparse?: boolean;
  /** Coupled L2 strength for this tensor (g += l2·w). */
  l2?: number;
  /** Initial values: 'zeros', or a normal with this standard deviation. */
  init?: 'zeros' | { normal: number } | { uniform: number };
}

/**
 * A rows×dim float tensor with its gradient (same shape, zero between steps) and the
 * list of rows touched since the last optimizer step. Dense tensors are one "row".
 */
export class Param {
  private ownValue: F32Buf | null;
  private sharedValue: F32Buf | null = null;
  readonly grad: F32Buf;
  /** Optimizer state (moments, accumulators), allocated by the optimizer. */
  slots: F32Buf[] = [];
  readonly sparse: boolean;
  readonly l2: number;
  private readonly touched: I32Buf;
  private readonly stamp: I32Buf | null;
  private stampValue = 0;
  private nTouched = 0;
  /** Data-parallel replicas: markRows only notes (idxPtr, n) here, for the primary to mark. */
  private deferred: number[] | null = null;

  constructor(
    readonly backend: Backend,
    readonly name: string,
    readonly rows: number,
    readonly dim: number,
    rng: Rng,
    options: ParamOptions = {},
  ) {
    this.sparse = options.sparse ?? false;
    this.l2 = options.l2 ?? 0;
    this.ownValue = backend.allocF32(rows * dim);
    this.grad = backend.allocF32(rows * dim);
    this.touched = backend.allocI32(this.sparse ? rows : 1);
    this.stamp = this.sparse ? backend.allocI32(rows) : null;
    initialise(backend.f32(this.ownValue), options.init ?? 'zeros', rng);
  }

  get value(): F32Buf {
    return this.sharedValue ?? this.ownValue!;
  }

  /**
   * Makes this tensor a data-parallel replica of `primary`: its values become the primary's
   * (its own are freed), its gradient stays its own, and markRows only notes the rows (see
   * passRowsTo) instead of building an update list: the primary updates them.
   */
  replicate(primary: Param): void {
    if (primary.rows !== this.rows || primary.dim !== this.dim) throw new Error(`replicate: ${this.name} is ${this.rows}×${this.dim}, the primary ${primary.rows}×${primary.dim}`);
    if (this.ownValue) this.backend.free(this.ownValue);
    this.ownValue = null;
    this.sharedValue = primary.value;
    this.deferred = [];
  }

  /** A replica's rows noted by markRows since the last call, marked in `primary` and forgotten here. */
  passRowsTo(primary: Param): void {
    const d = this.deferred;
    if (!d) return;
    for (let i = 0; i < d.length; i += 2) primary.markRows(d[i], d[i + 1]);
    d.length = 0;
  }

  /** Records that rows idx[0..n) received gradient this step (idx is a batch buffer). */
  markRows(idxPtr: number, n: number): void {
    if (!this.sparse) return;
    if (this.deferred) {
      this.deferred.push(idxPtr, n);
      return;
    }
    if (this.nTouched === 0) this.stampValue = (this.stampValue + 1) | 0 || 1;
    this.nTouched += this.backend.kernels.uniqueRows(this.touched.ptr + 4 * this.nTouched, this.stamp!.ptr, idxPtr, n, this.stampValue);
  }

  // The rows an optimizer step updates, as the kernels take them: every touched row, or the
  // whole tensor as one row. Getters rather than an object, so a step allocates nothing.

  /** Pointer to the row list (for a dense tensor: the single row 0). */
  get updateRowsPtr(): number {
    return this.touched.ptr;
  }

  /** How many rows the next step updates. */
  get updateRowCount(): number {
    return this.sparse ? this.nTouched : 1;
  }

  /** Width of those rows. */
  get updateDim(): number {
    return this.sparse ? this.dim : this.rows * this.dim;
  }

  /** Called by the optimizer after it consumed the gradient. */
  clearTouched(): void {
    this.nTouched = 0;
  }

  /** A copy of the values, safe to keep. */
  read(): Float32Array {
    return this.backend.read(this.value);
  }

  write(values: ArrayLike<number>): void {
    this.backend.write(this.value, values);
  }

  dispose(): void {
    for (const b of [this.grad, this.touched, ...this.slots]) this.backend.free(b);
    if (this.ownValue) this.backend.free(this.ownValue);
    this.ownValue = null;
    if (this.stamp) this.backend.free(this.stamp);
    this.slots = [];
  }
}

function initialise(values: Float32Array, init: NonNullable<ParamOptions['init']>, rng: Rng): void {
  if (init === 'zeros') return;
  if ('normal' in init) for (let i = 0; i < values.length; i++) values[i] = rng.normal() * init.normal;
  else for (let i = 0; i < values.length; i++) values[i] = (2 * rng.uniform() - 1) * init.uniform;
}
