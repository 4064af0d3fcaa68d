// Data-parallel mini-batch training for models whose step is a fixed sequence of kernel
// calls (the feature models). Each extra thread owns a replica of the network: its own
// activations and gradients, the primary's weights. The replica's share of a batch is
// computed by running its TypeScript on this thread with a KernelRecorder in place of its
// kernels, which turns the calls into a list that a worker then runs (tasks.ts runOps)
// while this thread computes its own share; the replicas' gradients are then added into the
// primary's rows and the optimizer steps once, as for one thread.

import { Backend } from '../backends/backend.js';
import { KERNEL_NAMES, type Kernels } from '../backends/kernels.js';
import type { Param } from '../training/param.js';

/**
 * Kernels that, while recording, append each call to a list ([kernel index, argument
 * count, arguments…]) and return 0 instead of running it; otherwise they run. A replica's
 * forward and backward use no kernel results (its loss comes back from the worker; its
 * markRows only notes rows), so the list replays exactly what the calls would have done.
 */
export class KernelRecorder {
  readonly kernels: Kernels;
  private recording = false;
  private readonly ops: number[] = [];

  constructor(real: Kernels) {
    const kernels: Record<string, (...args: number[]) => number | void> = {};
    KERNEL_NAMES.forEach((name, index) => {
      const fn = real[name] as unknown as (...args: number[]) => number | void;
      kernels[name] = (...args: number[]) => {
        if (!this.recording) return fn(...args);
        this.ops.push(index, args.length, ...args);
        return 0;
      };
    });
    this.kernels = kernels as unknown as Kernels;
  }

  begin(): void {
    this.ops.length = 0;
    this.recording = true;
  }

  /** Stops recording; the list is reused by the next begin. */
  end(): readonly number[] {
    this.recording = false;
    return this.ops;
  }
}

/** One replica: the model copy, its recorder, and the memory its call list is written to. */
export class Replica<M> {
  private opsPtr = 0;
  private opsCapacity = 0;

  constructor(
    readonly model: M,
    readonly recorder: KernelRecorder,
    private readonly backend: Backend,
  ) {}

  /** A backend that shares `primary`'s memory but records while the recorder does. */
  static backendFor(primary: Backend, recorder: KernelRecorder): Backend {
    return new Backend(primary.name, recorder.kernels, primary.heap, primary.features, null);
  }

  /** Records `share()` and returns the runOps arguments of the written list. */
  record(share: () => void): number[] {
    this.recorder.begin();
    let ops: readonly number[];
    try {
      share();
    } finally {
      ops = this.recorder.end();
    }
    if (ops.length > this.opsCapacity) {
      if (this.opsPtr) this.backend.heap.free(this.opsPtr);
      this.opsCapacity = Math.max(ops.length, 2 * this.opsCapacity, 1024);
      this.opsPtr = this.backend.heap.alloc(8 * this.opsCapacity);
    }
    new Float64Array(this.backend.heap.u8.buffer, this.opsPtr, ops.length).set(ops);
    return [this.opsPtr, ops.length];
  }

  dispose(): void {
    if (this.opsPtr) this.backend.heap.free(this.opsPtr);
    this.opsPtr = 0;
    this.opsCapacity = 0;
  }
}

/**
 * After a batch: the rows each replica touched are marked in the primary's tensors, then
 * every replica's gradient is added into the primary's on the primary's update rows (and
 * cleared). `replicas[r][k]` pairs with `primary[k]`.
 */
export function sumReplicaGradients(kernels: Kernels, primary: readonly Param[], replicas: readonly (readonly Param[])[]): void {
  for (const params of replicas) {
    params.forEach((p, k) => {
      const rows = p.takeDeferredRows();
      for (let i = 0; i < rows.length; i += 2) primary[k].markRows(rows[i], rows[i + 1]);
    });
  }
  for (const params of replicas) {
    params.forEach((p, k) => {
      const q = primary[k];
      kernels.accumulateRows(q.grad.ptr, p.grad.ptr, q.updateRowsPtr, q.updateRowCount, q.updateDim);
    });
  }
}
