// Data-parallel mini-batch training for models whose step is a recorded step program (the
// feature models). Each extra thread owns a replica of the network: its own activations and
// gradients, the primary's weights. A replica's share of a batch is recorded once per batch
// size (../backends/program.ts) and run by a worker (the runOps kernel) while this
// thread runs its own share; the replicas' gradients are then added into the primary's
// rows and the optimizer steps once, as for one thread.

import { ARG, KernelRecorder, StepProgram } from '../backends/program.js';
import type { Backend } from '../backends/backend.js';
import type { Param } from './param.js';

/** One replica: the model copy, its tensors, and the recorder standing in for its kernels. */
export class Replica<M> {
  constructor(
    readonly model: M,
    /** The model's tensors, in the same order as the primary's. */
    readonly params: readonly Param[],
    readonly recorder: KernelRecorder,
  ) {}
}

/**
 * One replica per extra thread (t = 1 … threads − 1): `make` builds the model copy on a
 * backend sharing `backend`'s memory whose kernels record while the replica's recorder
 * does, and returns it with its tensors; when `make` returns null there are no replicas.
 */
export function createReplicas<M>(backend: Backend, threads: number, make: (recording: Backend, t: number) => { model: M; params: readonly Param[] } | null): Replica<M>[] {
  const replicas: Replica<M>[] = [];
  for (let t = 1; t < threads; t++) {
    const recorder = new KernelRecorder(backend.kernels);
    const made = make(backend.withRecorder(recorder), t);
    if (!made) return [];
    replicas.push(new Replica(made.model, made.params, recorder));
  }
  return replicas;
}

/**
 * Appends to `program` the sum of every replica's gradient into the primary's: the rows each
 * replica touched are marked in the primary's tensors (recorded markRows calls), then each
 * replica gradient is added on the primary's update rows, whose count the program reads from
 * memory, and cleared. A replica's params[k] pairs with primary[k]. Call while the
 * primary's recorder records `program`, after the replicas' shares were recorded.
 */
export function recordReplicaSum(program: StepProgram, primary: readonly Param[], replicas: readonly Replica<unknown>[]): void {
  for (const r of replicas) for (let k = 0; k < primary.length; k++) r.params[k].passRowsTo(primary[k]);
  for (const r of replicas) {
    for (let k = 0; k < primary.length; k++) {
      const q = primary[k];
      const rows = q.sparse ? q.touchState.ptr : 1;
      program.ops.push('accumulateRows', [q.grad.ptr, r.params[k].grad.ptr, q.updateRowsPtr, rows, q.updateDim], [ARG.value, ARG.value, ARG.value, q.sparse ? ARG.i32Cell : ARG.value]);
    }
  }
}
