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
  /**
   * [count of touched rows, stamp value] in backend memory, where the markRows kernel keeps
   * them: a recorded step program marks rows without a count coming back to TypeScript.
   */
  readonly touchState: I32Buf;
  /** Data-parallel replicas: markRows only notes (idxPtr, offsetsPtr, n) here, for the primary to mark. */
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
    this.touchState = backend.allocI32(2, [0, 1]);
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

  /**
   * Makes this tensor share `other`'s values (its own are freed) while keeping its own
   * gradient, touched rows and optimizer state: two models trained on different losses
   * then update the same weights, each with its own optimizer (a joint model's shared layers).
   */
  tie(other: Param): void {
    if (other.rows !== this.rows || other.dim !== this.dim) throw new Error(`tie: ${this.name} is ${this.rows}×${this.dim}, ${other.name} ${other.rows}×${other.dim}`);
    if (this.ownValue) this.backend.free(this.ownValue);
    this.ownValue = null;
    this.sharedValue = other.value;
  }

  /** A replica's rows noted by markRows since the last call, marked in `primary` and forgotten here. */
  passRowsTo(primary: Param): void {
    const d = this.deferred;
    if (!d) return;
    for (let i = 0; i < d.length; i += 3) primary.markRows(d[i], d[i + 2], d[i + 1]);
    d.length = 0;
  }

  /**
   * Records that rows idx[0..n) received gradient this step (idx is a batch buffer); with
   * offsetsPtr ≠ 0, idx is a CSR id list and the rows are idx[offsets[0] .. offsets[n]).
   */
  markRows(idxPtr: number, n: number, offsetsPtr = 0): void {
    if (!this.sparse) return;
    if (this.deferred) {
      this.deferred.push(idxPtr, offsetsPtr, n);
      return;
    }
    this.backend.kernels.markRows(this.touchState.ptr, this.touched.ptr, this.stamp!.ptr, idxPtr, offsetsPtr, n);
  }

  // The rows an optimizer step updates, as the kernels take them: every touched row, or the
  // whole tensor as one row. Getters rather than an object, so a step allocates nothing.

  /** Pointer to the row list (for a dense tensor: the single row 0). */
  get updateRowsPtr(): number {
    return this.touched.ptr;
  }

  /** How many rows the next step updates. */
  get updateRowCount(): number {
    return this.sparse ? this.backend.heap.i32[this.touchState.ptr >> 2] : 1;
  }

  /** Width of those rows. */
  get updateDim(): number {
    return this.sparse ? this.dim : this.rows * this.dim;
  }

  /** Called after the optimizer consumed the gradient: an empty list, and a new stamp so that no stamp array needs clearing. */
  clearTouched(): void {
    if (!this.sparse) return;
    const i32 = this.backend.heap.i32;
    const at = this.touchState.ptr >> 2;
    i32[at] = 0;
    i32[at + 1] = (i32[at + 1] + 1) | 0 || 1;
  }

  /** Frees the optimizer state: a new optimizer starts it from zero. */
  resetSlots(): void {
    for (const b of this.slots) this.backend.free(b);
    this.slots = [];
  }

  /** A copy of the values, safe to keep. */
  read(): Float32Array {
    return this.backend.read(this.value);
  }

  write(values: ArrayLike<number>): void {
    this.backend.write(this.value, values);
  }

  dispose(): void {
    for (const b of [this.grad, this.touched, this.touchState, ...this.slots]) this.backend.free(b);
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
