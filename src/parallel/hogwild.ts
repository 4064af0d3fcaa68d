// Hogwild (Niu, Recht, Ré & Wright, "HOGWILD!: A lock-free approach to parallelizing
// stochastic gradient descent", NeurIPS 2011): each thread runs the fused per-example SGD
// over its own contiguous share of the epoch's shuffled order, updating the shared
// parameter tables without locks. Ratings are sparse, so two threads rarely touch the same
// row at once, and a lost update costs about as much as one skipped example.

import type { KernelName } from '../backends/kernels.js';
import type { ThreadPool } from './pool.js';

/**
 * Runs `kernel` with `args` over examples [0, total) split into one contiguous share per
 * thread; args[rangeArg], args[rangeArg + 1] are each share's (start, count), and each
 * thread calls the kernel per `chunk` examples. Returns the summed results (Σ e² for MF).
 *
 * @example
 * runSharded(backend.pool, 'mfSgdEpoch', args, 8, ratings.length, 1024);
 */
export function runSharded(pool: ThreadPool, kernel: KernelName, args: readonly number[], rangeArg: number, total: number, chunk: number): number {
  const per = Math.ceil(total / pool.threads);
  const jobs = [];
  for (let t = 0; t < pool.threads; t++) {
    const start = Math.min(total, t * per);
    const a = [...args];
    a[rangeArg] = start;
    a[rangeArg + 1] = Math.min(per, total - start);
    jobs.push({ args: a });
  }
  return pool.run(kernel, jobs, rangeArg, chunk);
}
