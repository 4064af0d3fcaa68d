// How a model's mini-batches run: each batch size's step (forward, loss, backward and the
// optimizer's update) is recorded once as step programs (../backends/program.ts) and
// replayed per batch, on this thread or split among data-parallel replicas that workers
// run (./data-parallel.ts); or, without programs, called kernel by kernel.

import type { Backend } from '../backends/backend.js';
import { ProgramCache, StepProgram, SYMBOLIC_START } from '../backends/program.js';
import { Replica, recordReplicaSum } from './data-parallel.js';
import type { Optimizer } from './optimizer.js';
import type { Param } from './param.js';

/**
 * The smallest share of a batch per thread that data-parallel training splits off: below
 * it, handing shares to workers and moving weights and gradients between cores costs more
 * than the share (measurements: docs/performance-notes.md, "Threads").
 */
export const DATA_PARALLEL_MIN_ROWS = 256;

/**
 * Losses whose batches split among threads: per-row ones, and BPR, whose pairs are laid out
 * per thread (ImplicitEpoch.layout's parts). The in-batch softmax scores every row against
 * every other.
 */
const SPLITTABLE_LOSSES: readonly string[] = ['mse', 'bce', 'bpr'];

/** Whether batches of `rows` rows with this loss are worth splitting among `threads`. */
export function splitsAmongThreads(loss: string, rows: number, threads: number): boolean {
  return threads > 1 && SPLITTABLE_LOSSES.includes(loss) && rows / threads >= DATA_PARALLEL_MIN_ROWS;
}

/**
 * One share of a batch as the model's forward, loss and backward: rows [start, start + m)
 * of the epoch's columns, values at valuesPtr, the loss scaled by the whole batch's
 * batchRows; returns the share's summed loss. `model` is the replica whose share it is, or
 * null for the primary. Recorded with a symbolic start (the result is then unused), or
 * called directly when the model trains without step programs.
 */
export type ShareStep<M> = (model: M | null, start: number, m: number, valuesPtr: number, batchRows: number) => number;

/** The recorded step(s) of one batch size: this thread's share, each replica's, and the gradient sum + update after them. */
interface BatchPrograms {
  step: StepProgram;
  replicas: StepProgram[];
  /** The pool jobs that run the replicas' programs (their args set by StepProgram.prepare). */
  jobs: { args: number[] }[];
  /** Data-parallel: marks and sums the replicas' gradients into the primary's (then the update). */
  post: StepProgram | null;
  /** Whether the programs end with the optimizer's update (not with clipNorm). */
  update: boolean;
  dispose(): void;
}

/** What BatchSteps.epoch runs around each batch. */
export interface EpochHooks {
  column?: (start: number) => number;
  before?: (start: number, m: number) => void;
  after?: () => void;
  onBatchEnd?: (batch: number, size: number, lossSum: number) => void;
}

/** What BatchSteps needs to know about a model's fit. */
export interface BatchStepsConfig<M> {
  optimizer: Optimizer;
  /** The compiled loss's name (BPR shares are whole pairs; see ImplicitEpoch). */
  loss: string;
  /** The primary's tensors, in the order of each replica's params. */
  params: readonly Param[];
  /** Data-parallel replicas, one per extra thread (none: one thread). */
  replicas?: readonly Replica<M>[];
  /** Address of the epoch's values column (ratings, labels or log-popularity). */
  valuesPtr: number;
  share: ShareStep<M>;
  /** Replay recorded step programs (default true); false calls every kernel from TypeScript. */
  programs?: boolean;
}

/**
 * The batches of one fit. `run(start, m, lr)` trains the batch of m rows at `start` and
 * returns its summed loss: one call into the kernels on this thread (two with replicas,
 * whose workers run theirs meanwhile), or kernel by kernel without programs.
 */
export class BatchSteps<M> {
  private readonly programs = new ProgramCache<BatchPrograms>((m) => this.record(m));
  private readonly optimizer: Optimizer;
  private readonly loss: string;
  private readonly params: readonly Param[];
  private readonly replicas: readonly Replica<M>[];
  private readonly valuesPtr: number;
  private readonly share: ShareStep<M>;
  private readonly usePrograms: boolean;

  constructor(
    private readonly backend: Backend,
    config: BatchStepsConfig<M>,
  ) {
    this.optimizer = config.optimizer;
    this.loss = config.loss;
    this.params = config.params;
    this.replicas = config.replicas ?? [];
    this.valuesPtr = config.valuesPtr;
    this.share = config.share;
    this.usePrograms = config.programs ?? true;
    if (!this.usePrograms && this.replicas.length > 0) throw new Error('data-parallel training needs step programs');
  }

  run(start: number, m: number, lr: number): number {
    if (!this.usePrograms) {
      const loss = this.share(null, start, m, this.valuesPtr + 4 * start, m);
      this.optimizer.step(this.params, lr);
      return loss;
    }
    const p = this.programs.get(m);
    if (p.update) this.optimizer.beginStep(lr);
    let loss: number;
    if (p.replicas.length === 0) loss = p.step.run(start);
    else {
      for (const r of p.replicas) r.prepare(start);
      loss = this.backend.pool!.runAlongside(p.step.run, start, 'runOps', p.jobs);
      p.post!.run(start);
    }
    if (p.update) this.optimizer.endStep(this.params);
    else this.optimizer.step(this.params, lr);
    return loss;
  }

  /**
   * Trains an epoch of n examples, `size` per batch (the last one smaller); returns the
   * summed loss. `column` maps a batch's first example to its first column (windows of
   * several columns), `before` and `after` run around each batch.
   */
  epoch(n: number, size: number, lr: number, hooks: EpochHooks = {}): number {
    let total = 0;
    for (let start = 0, batch = 0; start < n; start += size, batch++) {
      const m = Math.min(size, n - start);
      hooks.before?.(start, m);
      const loss = this.run(hooks.column ? hooks.column(start) : start, m, lr);
      hooks.after?.();
      total += loss;
      hooks.onBatchEnd?.(batch, m, loss);
    }
    return total;
  }

  dispose(): void {
    this.programs.clear();
  }

  /**
   * Records the step of a batch of m rows at the symbolic start: each replica's share, this
   * thread's share and the gradient sum; the update last, unless clipNorm needs the
   * gradient norm first.
   */
  private record(m: number): BatchPrograms {
    const recorder = this.backend.recorder!;
    const update = this.optimizer.config.clipNorm === 0;
    const S = SYMBOLIC_START;
    const values = this.valuesPtr + 4 * S;
    const threads = this.replicas.length + 1;
    // A BPR share is whole pairs: one [positives | negatives] block of the layout.
    const share = this.loss === 'bpr' ? 2 * Math.ceil(m / 2 / threads) : Math.ceil(m / threads);
    const replicas = this.replicas.map((r, j) => {
      const s = Math.min(m, share * (j + 1));
      const count = Math.min(m, s + share) - s;
      const program = new StepProgram(this.backend);
      if (count > 0) r.recorder.record(program, () => this.share(r.model, S + s, count, values + 4 * s, m));
      return program;
    });
    const step = new StepProgram(this.backend);
    recorder.record(step, () => this.share(null, S, Math.min(share, m), values, m));
    let post: StepProgram | null = null;
    if (replicas.length > 0) {
      post = new StepProgram(this.backend);
      recorder.record(post, () => recordReplicaSum(post!, this.params, this.replicas));
    }
    if (update) this.optimizer.recordUpdate(this.params, post ?? step);
    const all = [step, ...replicas, ...(post ? [post] : [])];
    return { step, replicas, jobs: replicas.map((r) => r.job), post, update, dispose: () => all.forEach((q) => q.dispose()) };
  }
}
