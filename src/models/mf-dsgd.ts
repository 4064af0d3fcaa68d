// Stratified SGD for the fused MF epoch on several threads: DSGD (Gemulla, Nijkamp, Haas &
// Sismanis, "Large-scale matrix factorization with distributed stochastic gradient
// descent", KDD 2011). Users and items are each cut into T contiguous ranges holding about
// the same number of ratings, giving T×T blocks; in round s thread t trains block
// (t, (t + s) mod T), so threads never touch the same user or item row at the same time:
// no lost updates, no cache lines bouncing between the cores, and a result that does not
// depend on thread timing. Contiguous ranges, not id mod T, keep neighbouring rows (and the
// biases packed 16 to a cache line) on one thread.

import type { Backend, I32Buf } from '../backends/index.js';
import type { Rng } from '../random.js';
import type { ThreadPool } from '../parallel/pool.js';

/**
 * Cuts ids 0..nIds-1 into `parts` contiguous ranges with about equal numbers of
 * occurrences in `ids`; returns the parts + 1 range bounds (first 0, last nIds).
 *
 * @example
 * balancedCuts(Int32Array.of(0, 0, 0, 1, 2, 3), 4, 2); // [0, 1, 4]: id 0 alone holds half
 */
export function balancedCuts(ids: ArrayLike<number>, nIds: number, parts: number): Int32Array {
  const counts = new Float64Array(nIds);
  for (let r = 0; r < ids.length; r++) counts[ids[r]]++;
  const cuts = new Int32Array(parts + 1);
  cuts[parts] = nIds;
  let seen = 0;
  let id = 0;
  for (let p = 1; p < parts; p++) {
    const target = (ids.length * p) / parts;
    while (id < nIds && seen + counts[id] / 2 < target) seen += counts[id++];
    cuts[p] = Math.max(id, cuts[p - 1]);
  }
  return cuts;
}

/** The range of `cuts` that holds `id`. */
function rangeOf(cuts: Int32Array, id: number): number {
  let p = 0;
  while (id >= cuts[p + 1]) p++;
  return p;
}

/**
 * The examples of one training set grouped into T×T blocks (block = userRange·T +
 * itemRange), kept in the backend's memory for the threads; built once per fit.
 *
 * @example
 * const strata = Strata.build(backend, pool.threads, train.users, train.items, nUsers, nItems);
 * strata.layout(pool, rng, [users, items, ratings], [u, i, r]); // per epoch
 * for (const blocks of strata.rounds(rng)) pool.run('mfSgdChunk', jobsFor(blocks), ...);
 */
export class Strata {
  private constructor(
    readonly threads: number,
    /** Block b's examples are order[starts[b] .. starts[b + 1]). */
    readonly starts: Int32Array,
    private readonly order: I32Buf,
    private readonly startsBuf: I32Buf,
  ) {}

  static build(be: Backend, threads: number, users: Int32Array, items: Int32Array, nUsers: number, nItems: number): Strata {
    const T = threads;
    const userCuts = balancedCuts(users, nUsers, T);
    const itemCuts = balancedCuts(items, nItems, T);
    const block = new Int32Array(users.length);
    const starts = new Int32Array(T * T + 1);
    for (let r = 0; r < users.length; r++) {
      block[r] = rangeOf(userCuts, users[r]) * T + rangeOf(itemCuts, items[r]);
      starts[block[r] + 1]++;
    }
    for (let b = 0; b < T * T; b++) starts[b + 1] += starts[b];
    const next = starts.slice(0, T * T);
    const order = new Int32Array(users.length);
    for (let r = 0; r < users.length; r++) order[next[block[r]]++] = r;
    return new Strata(T, starts, be.allocI32(order.length, order), be.allocI32(starts.length, starts));
  }

  /**
   * Lays the epoch out: each thread reshuffles its blocks' example order (seeded from
   * `rng`; left as it is when rng is null, i.e. data order if never shuffled) and copies
   * their examples' columns from `src` to the same positions in `out` (users, items,
   * ratings), so every block is contiguous.
   */
  layout(pool: ThreadPool, rng: Rng | null, src: readonly [number, number, number], out: readonly [number, number, number]): void {
    const T = this.threads;
    const seed = rng ? rng.nextU32() & 0x7fffffff : -1;
    const jobs = [];
    for (let t = 0; t < T; t++) jobs.push({ args: [this.order.ptr, this.startsBuf.ptr, t * T, T, seed, ...src, ...out] });
    pool.run('shuffleTakeBlocks', jobs);
  }

  /** The T rounds of an epoch: round s lists the block each thread trains. Rounds start at a random diagonal. */
  rounds(rng: Rng | null): number[][] {
    const T = this.threads;
    const first = rng ? rng.int(T) : 0;
    return Array.from({ length: T }, (_, s) => Array.from({ length: T }, (_, t) => t * T + ((t + s + first) % T)));
  }

  dispose(be: Backend): void {
    be.free(this.order);
    be.free(this.startsBuf);
  }
}
