// Data-parallel mini-batch training for models whose step is a fixed sequence of kernel
// calls (the feature models). Each extra thread owns a replica of the network: its own
// activations and gradients, the primary's weights. The replica's share of a batch is
// computed by running its TypeScript on this thread with a KernelRecorder in place of its
// kernels, which turns the calls into a list that a worker then runs (tasks.ts runOps)
// while this thread computes its own share; the replicas' gradients are then added into the
// primary's rows and the optimizer steps once, as for one thread.

import { Backend } from '../backends/backend.js';
import type { Heap } from '../backends/heap.js';
import { KERNEL_NAMES, type Kernels } from '../backends/kernels.js';
import type { Param } from '../training/param.js';

/**
 * Kernels that, while recording, append each call to a list in the backend's memory
 * ([kernel index, argument count, arguments…] as f64, where a worker reads it) and return 0
 * instead of running it; otherwise they run. A replica's forward and backward use no
 * kernel results (its loss comes back from the worker; its markRows only notes rows), so
 * the list replays exactly what the calls would have done.
 */
export class KernelRecorder {
  readonly kernels: Kernels;
  private recording = false;
  private ops: Float64Array<ArrayBufferLike> = new Float64Array(0);
  private n = 0;
  private ptr = 0;

  constructor(
    real: Kernels,
    private readonly heap: Heap,
  ) {
    const kernels: Record<string, (...args: number[]) => number | void> = {};
    KERNEL_NAMES.forEach((name, index) => {
      const fn = real[name] as unknown as (...args: number[]) => number | void;
      kernels[name] = (...args: number[]) => {
        if (!this.recording) return fn(...args);
        this.append(index, args);
        return 0;
      };
    });
    this.kernels = kernels as unknown as Kernels;
  }

  begin(): void {
    // A fresh view per list: the memory may have grown since the last one.
    this.ops = this.ptr ? new Float64Array(this.heap.u8.buffer, this.ptr, this.ops.length) : this.ops;
    this.n = 0;
    this.recording = true;
  }

  /** Stops recording; returns where the list is and its length in values (for runOps). */
  end(): [ptr: number, nValues: number] {
    this.recording = false;
    return [this.ptr, this.n];
  }

  dispose(): void {
    if (this.ptr) this.heap.free(this.ptr);
    this.ptr = 0;
    this.ops = new Float64Array(0);
  }

  private append(index: number, args: number[]): void {
    const need = this.n + 2 + args.length;
    if (need > this.ops.length) this.grow(need);
    const ops = this.ops;
    ops[this.n++] = index;
    ops[this.n++] = args.length;
    for (let a = 0; a < args.length; a++) ops[this.n++] = args[a];
  }

  /** Moves the list to a block at least twice as large (rare: the first batches only). */
  private grow(need: number): void {
    const capacity = Math.max(need, 2 * this.ops.length, 1024);
    const ptr = this.heap.alloc(8 * capacity);
    const ops = new Float64Array(this.heap.u8.buffer, ptr, capacity);
    ops.set(this.ops.subarray(0, this.n));
    if (this.ptr) this.heap.free(this.ptr);
    this.ptr = ptr;
    this.ops = ops;
  }
}

/** One replica: the model copy and its tensors, and the recorder standing in for its kernels. */
export class Replica<M> {
  /** The pool job that runs the last recorded list: runOps(opsPtr, nValues). */
  readonly job = { args: [0, 0] };

  constructor(
    readonly model: M,
    /** The model's tensors, in the same order as the primary's. */
    readonly params: readonly Param[],
    readonly recorder: KernelRecorder,
  ) {}

  /** A backend that shares `primary`'s memory but records while the recorder does. */
  static backendFor(primary: Backend, recorder: KernelRecorder): Backend {
    return new Backend(primary.name, recorder.kernels, primary.heap, primary.features, null);
  }

  /** Records `share()` straight into this replica's list in memory, for `job`. */
  record(share: () => void): void {
    this.recorder.begin();
    try {
      share();
    } finally {
      [this.job.args[0], this.job.args[1]] = this.recorder.end();
    }
  }

  dispose(): void {
    this.recorder.dispose();
  }
}

/**
 * After a batch: the rows each replica touched are marked in the primary's tensors, then
 * every replica's gradient is added into the primary's on the primary's update rows (and
 * cleared). A replica's params[k] pairs with primary[k].
 */
export function sumReplicaGradients(kernels: Kernels, primary: readonly Param[], replicas: readonly Replica<unknown>[]): void {
  for (const r of replicas) for (let k = 0; k < primary.length; k++) r.params[k].passRowsTo(primary[k]);
  for (const r of replicas) {
    for (let k = 0; k < primary.length; k++) {
      const q = primary[k];
      kernels.accumulateRows(q.grad.ptr, r.params[k].grad.ptr, q.updateRowsPtr, q.updateRowCount, q.updateDim);
    }
  }
}
