// Optimizers over Params: the update maths lives in the kernels (optim/ family); this
// file keeps the hyper-parameters, the step count and the learning-rate schedule.

import type { Backend, F32Buf } from '../backends/index.js';
import type { Param } from './param.js';
import type { KernelName } from '../backends/kernels.js';
import { ARG, type ArgMode, type StepProgram } from '../backends/program.js';

export type OptimizerName = 'sgd' | 'momentum' | 'adagrad' | 'adam' | 'adamw';

export interface OptimizerConfig {
  name: OptimizerName;
  /** Learning rate (default: 0.01 for sgd/momentum/adagrad, 0.001 for adam/adamw). */
  lr?: number;
  momentum?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Decoupled weight decay (AdamW-style; default 0.01 for adamw, else 0). */
  weightDecay?: number;
  /**
   * Clip gradients by their global L2 norm over everything a step updates (Keras'
   * `clipnorm` over all tensors): when the norm exceeds this, every gradient is scaled down
   * to it. 0 (default) = off.
   */
  clipNorm?: number;
}

/** The defaults the optimizer uses for every field not given. */
export function resolveOptimizer(cfg: OptimizerConfig | OptimizerName): Required<OptimizerConfig> {
  const c = typeof cfg === 'string' ? { name: cfg } : cfg;
  const adamLike = c.name === 'adam' || c.name === 'adamw';
  const known: OptimizerName[] = ['sgd', 'momentum', 'adagrad', 'adam', 'adamw'];
  if (!known.includes(c.name)) throw new Error(`unknown optimizer '${c.name}' (expected ${known.join(', ')})`);
  const out: Required<OptimizerConfig> = {
    name: c.name,
    lr: c.lr ?? (adamLike ? 0.001 : 0.01),
    momentum: c.momentum ?? 0.9,
    beta1: c.beta1 ?? 0.9,
    beta2: c.beta2 ?? 0.999,
    eps: c.eps ?? (c.name === 'adagrad' ? 1e-7 : 1e-8),
    weightDecay: c.weightDecay ?? (c.name === 'adamw' ? 0.01 : 0),
    clipNorm: c.clipNorm ?? 0,
  };
  for (const [k, v] of Object.entries(out)) {
    if (typeof v === 'number' && !(Number.isFinite(v) && v >= 0)) throw new Error(`optimizer ${k} must be a finite number ≥ 0, got ${v}`);
  }
  return out;
}

const SLOTS: Record<OptimizerName, number> = { sgd: 0, momentum: 1, adagrad: 1, adam: 2, adamw: 2 };

/** Where an update kernel takes its row count and its per-step scalars (lr; Adam's c1, c2). */
const UPDATE_ARGS: Record<string, { rows: number; cells: readonly number[] }> = {
  sgdSparse: { rows: 3, cells: [5] },
  momentumSparse: { rows: 4, cells: [6] },
  adagradSparse: { rows: 4, cells: [6] },
  adamSparse: { rows: 5, cells: [7, 13, 14] },
};

/**
 * Applies one update to each Param from its accumulated gradient, touching only the rows
 * a sparse Param marked, and leaves every gradient zero.
 *
 * @example
 * const opt = new Optimizer(backend, { name: 'adam', lr: 1e-3 });
 * opt.step([embedding, dense]);
 */
export class Optimizer {
  readonly config: Required<OptimizerConfig>;
  /** Number of steps taken (Adam's t). */
  steps = 0;
  /** f64 cells [lr, c1, c2] that recorded updates read; allocated by the first recordUpdate. */
  private cells: F32Buf | null = null;
  private cellView: Float64Array<ArrayBufferLike> = new Float64Array(0);
  /** Adam's bias corrections 1 − β^t of the current step. */
  private c1 = 0;
  private c2 = 0;
  /**
   * Factor on the L2 of row-sparse tensors (embedding rows, biases): 1 / the fit's batch
   * size, so that λ means "per example that uses the row" at every batch size (set by fit).
   * Dense tensors, used by every example, take their λ once per step.
   */
  sparseL2Scale = 1;
  /** Arguments of one update call, reused (no array per step). */
  private readonly args: number[] = [];

  constructor(
    readonly backend: Backend,
    config: OptimizerConfig | OptimizerName,
  ) {
    this.config = resolveOptimizer(config);
  }

  /** Allocates this optimizer's state for `p` if it has none yet. */
  attach(p: Param): void {
    const need = SLOTS[this.config.name];
    while (p.slots.length < need) p.slots.push(this.backend.allocF32(p.rows * p.dim));
  }

  /** Scales every gradient so that their global norm is at most `maxNorm`; returns the norm. */
  clip(params: readonly Param[], maxNorm: number): number {
    const k = this.backend.kernels;
    let sumSquares = 0;
    for (const p of params) {
      if (p.updateRowCount > 0) sumSquares += k.sumSquaresRows(p.grad.ptr, p.updateRowsPtr, p.updateRowCount, p.updateDim);
    }
    const norm = Math.sqrt(sumSquares);
    if (norm > maxNorm) {
      const scale = maxNorm / norm;
      for (const p of params) {
        if (p.updateRowCount > 0) k.scaleRows(p.grad.ptr, p.updateRowsPtr, p.updateRowCount, p.updateDim, scale);
      }
    }
    return norm;
  }

  /**
   * Counts a step: Adam's bias corrections c1, c2 for it, also written with the learning
   * rate to the cells a recorded update reads (see recordUpdate).
   */
  beginStep(lr: number): void {
    const c = this.config;
    this.steps++;
    this.c1 = 1 - Math.pow(c.beta1, this.steps);
    this.c2 = 1 - Math.pow(c.beta2, this.steps);
    if (!this.cells) return;
    const buffer = this.backend.heap.u8.buffer;
    // A view kept across steps (no allocation per step), made again after the memory grew.
    if (this.cellView.buffer !== buffer) this.cellView = new Float64Array(buffer, this.cells.ptr, 3);
    this.cellView[0] = lr;
    this.cellView[1] = this.c1;
    this.cellView[2] = this.c2;
  }

  /** One update of every param, with the learning rate `lr` (schedules pass theirs). */
  step(params: readonly Param[], lr = this.config.lr): void {
    this.beginStep(lr);
    if (this.config.clipNorm > 0) this.clip(params, this.config.clipNorm);
    const k = this.backend.kernels as unknown as Record<KernelName, (...a: number[]) => void>;
    for (const p of params) {
      this.attach(p);
      const nRows = p.updateRowCount;
      if (nRows > 0) {
        const name = this.updateCall(p, nRows, lr, this.c1, this.c2, this.args);
        k[name].apply(null, this.args);
      }
      p.clearTouched();
    }
  }

  /**
   * Appends this optimizer's update of `params` to a step program: the learning rate and
   * bias corrections are read from cells that `beginStep` writes, each sparse tensor's row
   * count from its touchState. Not with clipNorm (the scale depends on the global norm).
   * After each run the caller clears the params' touched rows (`endStep`).
   */
  recordUpdate(params: readonly Param[], program: StepProgram): void {
    if (this.config.clipNorm > 0) throw new Error('recordUpdate: clipNorm needs the gradient norm between the backward and the update');
    this.cells ??= this.backend.allocF32(6);
    const cell = (k: number) => this.cells!.ptr + 8 * k;
    for (const p of params) {
      this.attach(p);
      const name = this.updateCall(p, p.sparse ? p.touchState.ptr : 1, cell(0), cell(1), cell(2), this.args);
      const at = UPDATE_ARGS[name];
      const modes: ArgMode[] = this.args.map(() => ARG.value);
      if (p.sparse) modes[at.rows] = ARG.i32Cell;
      for (const a of at.cells) modes[a] = ARG.f64Cell;
      program.ops.push(name, this.args, modes);
    }
  }

  /** After a recorded update ran: every param's touched rows cleared for the next step. */
  endStep(params: readonly Param[]): void {
    for (const p of params) p.clearTouched();
  }

  /** Frees the cells of recorded updates (the optimizer's slots belong to the params). */
  dispose(): void {
    if (this.cells) this.backend.free(this.cells);
    this.cells = null;
  }

  /**
   * The kernel of p's update, its arguments written to `args`: `rows` is the row count (or
   * the cell holding it), lr, c1 and c2 values (or cells); UPDATE_ARGS says where they sit.
   */
  private updateCall(p: Param, rows: number, lr: number, c1: number, c2: number, args: number[]): KernelName {
    const c = this.config;
    const w = p.value.ptr;
    const g = p.grad.ptr;
    const s = p.slots;
    const r = p.updateRowsPtr;
    const dim = p.updateDim;
    const l2 = p.sparse ? p.l2 * this.sparseL2Scale : p.l2;
    args.length = 0;
    switch (c.name) {
      case 'sgd':
        args.push(w, g, r, rows, dim, lr, l2, c.weightDecay);
        return 'sgdSparse';
      case 'momentum':
        args.push(w, g, s[0].ptr, r, rows, dim, lr, c.momentum, l2, c.weightDecay);
        return 'momentumSparse';
      case 'adagrad':
        args.push(w, g, s[0].ptr, r, rows, dim, lr, c.eps, l2, c.weightDecay);
        return 'adagradSparse';
      case 'adam':
      case 'adamw':
        args.push(w, g, s[0].ptr, s[1].ptr, r, rows, dim, lr, c.beta1, c.beta2, c.eps, l2, c.weightDecay, c1, c2);
        return 'adamSparse';
    }
  }
}
