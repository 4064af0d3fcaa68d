// Hogwild (Niu, Recht, Ré & Wright, "HOGWILD!: A lock-free approach to parallelizing
// stochastic gradient descent", NeurIPS 2011): each thread runs the fused per-example SGD
// over its own share of the epoch's shuffled order, updating the shared parameter tables
// without locks. Shares are cut by user (user mod threads), so no two threads ever write the
// same user row; only item rows are shared, and a lost update there costs about as much as
// one skipped example.

import type { KernelName } from '../backends/kernels.js';
import type { ThreadPool } from './pool.js';

/**
 * Reorders `order` into `out` so that thread t's examples (owner[example] mod parts == t)
 * are contiguous, keeping the shuffled order within each share; returns the parts + 1
 * share boundaries. A counting sort: O(n), no allocation beyond the small `starts`.
 *
 * @example
 * const starts = partitionByOwner(order, train.users, 2, scratch); // [0, n0, n]
 */
export function partitionByOwner(order: Int32Array, owner: Int32Array, parts: number, out: Int32Array): Int32Array {
  const starts = new Int32Array(parts + 1);
  for (let r = 0; r < order.length; r++) starts[(owner[order[r]] % parts) + 1]++;
  for (let p = 0; p < parts; p++) starts[p + 1] += starts[p];
  const next = starts.slice(0, parts);
  for (let r = 0; r < order.length; r++) out[next[owner[order[r]] % parts]++] = order[r];
  return starts;
}

/**
 * Runs `kernel` with `args` once per thread over the examples [starts[t], starts[t + 1]);
 * args[rangeArg], args[rangeArg + 1] receive each share's (start, count), and each thread
 * calls the kernel per `chunk` examples. Returns the summed results (Σ e² for MF).
 *
 * @example
 * runShares(backend.pool, 'mfSgdEpoch', args, 8, starts, 1024);
 */
export function runShares(pool: ThreadPool, kernel: KernelName, args: readonly number[], rangeArg: number, starts: Int32Array, chunk: number): number {
  if (starts.length !== pool.threads + 1) throw new Error(`runShares: ${starts.length - 1} shares for ${pool.threads} threads`);
  const jobs = [];
  for (let t = 0; t < pool.threads; t++) {
    const a = [...args];
    a[rangeArg] = starts[t];
    a[rangeArg + 1] = starts[t + 1] - starts[t];
    jobs.push({ args: a });
  }
  return pool.run(kernel, jobs, rangeArg, chunk);
}
