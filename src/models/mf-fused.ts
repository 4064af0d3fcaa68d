// MF's fused per-example SGD epoch (Funk-SVD): the epoch's examples are copied out in
// visiting order, then the kernel runs per 1,024 of them; with a thread pool, DSGD rounds
// over user × item blocks (./mf-dsgd.ts) instead.

import type { Backend, F32Buf, I32Buf } from '../backends/index.js';
import type { Strata } from './mf-dsgd.js';
import type { Rng } from '../random.js';
import type { EpochContext } from './recommender.js';
import type { OptimizerConfig } from '../training/optimizer.js';
import type { LossName } from '../training/losses.js';

/** Examples per call of the fused SGD kernel: small enough to report progress and to let
 *  V8 tier the function up early (docs/performance-notes.md: per-chunk calls cut the first epoch 2.3×). */
export const SGD_CHUNK = 1024;

/** Pointers of the four tables and the hyper-parameters of one epoch. */
export interface FusedModel {
  P: number;
  Q: number;
  bu: number;
  bi: number;
  factors: number;
  mu: number;
  regFactors: number;
  regBias: number;
}

/** The training examples as uploaded (plus a buffer for the order) and the epoch-sized copies they are laid out into. */
export interface FusedColumns {
  train: { users: I32Buf; items: I32Buf; ratings: F32Buf; order: I32Buf };
  epoch: { users: I32Buf; items: I32Buf; ratings: F32Buf };
}

/**
 * One epoch of per-example SGD; returns Σ e². Visiting the examples through the shuffled
 * order inside the kernel costs three dependent cache misses per example (half the speed at
 * 1M ratings), so they are first copied out in that order and read sequentially.
 */
export function fusedSgdEpoch(be: Backend, model: FusedModel, cols: FusedColumns, ctx: EpochContext, strata: { blocks: Strata; rng: Rng } | null): number {
  if (strata) return stratifiedEpoch(be, model, cols, ctx, strata.blocks, ctx.shuffle ? strata.rng : null);
  const k = be.kernels;
  const e = cols.epoch;
  const n = ctx.order.length;
  layOutEpoch(be, cols, ctx.order);
  let total = 0;
  for (let start = 0, chunk = 0; start < n; start += SGD_CHUNK, chunk++) {
    const count = Math.min(SGD_CHUNK, n - start);
    const sse = k.mfSgdChunk(
      model.P, model.Q, model.bu, model.bi, e.users.ptr, e.items.ptr, e.ratings.ptr, 0, start, count,
      model.factors, model.mu, ctx.lr, model.regFactors, model.regBias,
    );
    total += sse;
    ctx.onBatchEnd?.(chunk, count, sse);
  }
  return total;
}

/** Copies the training columns into the epoch columns in visiting order (3 kernel calls): batches and chunks become contiguous slices. */
export function layOutEpoch(be: Backend, { train: t, epoch: e }: FusedColumns, order: Int32Array): void {
  be.write(t.order, order);
  be.kernels.take(e.users.ptr, t.users.ptr, t.order.ptr, order.length);
  be.kernels.take(e.items.ptr, t.items.ptr, t.order.ptr, order.length);
  be.kernels.take(e.ratings.ptr, t.ratings.ptr, t.order.ptr, order.length);
}

/** createBackend('wasm', { threads }): each thread lays out its blocks, then T rounds of one block per thread. */
function stratifiedEpoch(be: Backend, model: FusedModel, cols: FusedColumns, ctx: EpochContext, blocks: Strata, rng: Rng | null): number {
  const pool = be.pool!;
  const { train: t, epoch: e } = cols;
  blocks.layout(pool, rng, [t.users.ptr, t.items.ptr, t.ratings.ptr], [e.users.ptr, e.items.ptr, e.ratings.ptr]);
  const args = [model.P, model.Q, model.bu, model.bi, e.users.ptr, e.items.ptr, e.ratings.ptr, 0, 0, 0, model.factors, model.mu, ctx.lr, model.regFactors, model.regBias];
  let total = 0;
  blocks.rounds(rng).forEach((round, r) => {
    const jobs = round.map((block) => {
      const a = args.slice();
      a[8] = blocks.starts[block];
      a[9] = blocks.starts[block + 1] - blocks.starts[block];
      return { args: a };
    });
    const sse = pool.run('mfSgdChunk', jobs, 8, SGD_CHUNK);
    total += sse;
    ctx.onBatchEnd?.(r, jobs.reduce((m, j) => m + j.args[9], 0), sse);
  });
  return total;
}

/** Whether a fit runs the fused per-example kernel: it has no weight decay or clipping, so those take the mini-batch path. */
export function runsFused(batchSize: number, c: OptimizerConfig, loss: LossName): boolean {
  return batchSize === 1 && c.name === 'sgd' && c.weightDecay === 0 && c.clipNorm === 0 && loss === 'mse';
}
