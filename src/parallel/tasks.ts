// Pool jobs written in TypeScript instead of as one kernel: they run the same on the main
// thread and in a worker, over views of the shared memory made per call (the memory may
// have grown since the last one). Kernels never draw random numbers; these may, through
// Rng, so shuffling stays reproducible per seed.

import type { Kernels } from '../backends/kernels.js';
import { Rng } from '../random.js';

export const TASK_NAMES = ['shuffleTakeBlocks'] as const;
export type TaskName = (typeof TASK_NAMES)[number];
export type TaskFn = (...args: number[]) => number;

/**
 * The tasks bound to one thread's kernels and memory.
 *
 * shuffleTakeBlocks(orderPtr, startsPtr, firstBlock, nBlocks, seed, srcU, srcI, srcR, outU, outI, outR):
 * for each block b in [firstBlock, firstBlock + nBlocks), shuffles the example indices
 * order[starts[b] .. starts[b+1]) with Rng(seed + b) (seed < 0 keeps them as they are), then
 * lays the three example columns out in that order: out[j] = src[order[j]] over the block.
 * Lets each thread prepare its own blocks of an epoch in parallel, sequentially in memory.
 */
export function bindTasks(kernels: Kernels, memory: WebAssembly.Memory): Record<TaskName, TaskFn> {
  return {
    shuffleTakeBlocks(orderPtr, startsPtr, firstBlock, nBlocks, seed, srcU, srcI, srcR, outU, outI, outR) {
      const starts = new Int32Array(memory.buffer, startsPtr, firstBlock + nBlocks + 1);
      for (let b = firstBlock; b < firstBlock + nBlocks; b++) {
        const start = starts[b];
        const count = starts[b + 1] - start;
        if (seed >= 0) new Rng((seed + b) >>> 0).shuffle(new Int32Array(memory.buffer, orderPtr + 4 * start, count));
        const at = 4 * start;
        kernels.take(outU + at, srcU, orderPtr + at, count);
        kernels.take(outI + at, srcI, orderPtr + at, count);
        kernels.take(outR + at, srcR, orderPtr + at, count);
      }
      return 0;
    },
  };
}

/** Every job a pool thread can run, kernels first, by the index the control block holds. */
export function jobFunctions(kernelNames: readonly string[], kernels: Kernels, memory: WebAssembly.Memory): TaskFn[] {
  const tasks = bindTasks(kernels, memory);
  const byName = kernels as unknown as Record<string, TaskFn>;
  return [...kernelNames.map((n) => byName[n]), ...TASK_NAMES.map((n) => tasks[n])];
}
