// The options, logs and early-stopping rule of the Keras-like `fit` loop.

import type { Interactions } from '../data/interactions.js';
import { lowerIsBetter, type MonitorName } from './metrics.js';
import type { LrSchedule } from './schedule.js';

/**
 * What each epoch reports (to callbacks, the CLI and the returned History). Keys are
 * snake_case, as Keras logs them: the compiled metrics on the validation data appear as
 * `val_<metric>` (`val_rmse`, `val_ndcg_at_10`).
 */
export interface EpochLogs {
  /** 0-based. */
  epoch: number;
  /** Mean training loss over the epoch's examples. */
  loss: number;
  /** Wall-clock seconds of training only (no evaluation). */
  seconds: number;
  lr: number;
  /** Rating models: the validation MSE (rmse²); implicit losses report no val_loss. */
  val_loss?: number;
  val_rmse?: number;
  val_mae?: number;
  [metric: string]: number | undefined;
}

export interface BatchLogs {
  batch: number;
  size: number;
  /** Mean loss over the batch. */
  loss: number;
}

export interface Callbacks {
  onTrainBegin?(): void;
  /** Return `false` to stop training after this epoch. */
  onEpochEnd?(epoch: number, logs: EpochLogs): void | boolean | Promise<void | boolean>;
  /** Called after every mini-batch (after every chunk on the fused SGD path). */
  onBatchEnd?(batch: number, logs: BatchLogs): void;
  onTrainEnd?(history: History): void;
}

export interface EarlyStopping {
  /**
   * What to watch (default with validation data: the first compiled metric, `val_rmse` for
   * ratings and `val_ndcg_at_10` for implicit losses; without: 'loss'). Errors and losses
   * must fall, ranking metrics rise.
   */
  monitor?: MonitorName;
  /** Epochs without improvement before stopping (default 3). */
  patience?: number;
  /** Smallest change that counts as improvement (default 1e-4). */
  minDelta?: number;
  /** Put back the weights of the best epoch when stopping (default true). */
  restoreBest?: boolean;
}

export interface FitOptions {
  /**
   * The epoch to end at (Keras' meaning): with `initialEpoch`, training runs epochs
   * initialEpoch .. epochs-1, so schedules and logs continue where an earlier fit stopped.
   */
  epochs?: number;
  /** The epoch to start at (default 0): the index schedules and logs count from. */
  initialEpoch?: number;
  batchSize?: number;
  /** Seed for initialisation order, shuffling and the validation split (default 42). */
  seed?: number;
  /** Shuffle the training examples every epoch (default true). */
  shuffle?: boolean;
  /** Hold out this fraction of the training data (seeded) for validation. */
  validationSplit?: number;
  validationData?: Interactions;
  earlyStopping?: EarlyStopping | boolean;
  callbacks?: Callbacks;
  lrSchedule?: LrSchedule;
}

export interface History {
  epochs: EpochLogs[];
  /** Epoch whose weights the model holds at the end (differs from the last when restored). */
  bestEpoch: number;
  stoppedEarly: boolean;
}

/** Tracks the monitored metric and says when to stop (Keras' EarlyStopping, mode 'auto'). */
export class EarlyStopper {
  readonly monitor: string;
  private readonly patience: number;
  private readonly minDelta: number;
  readonly restoreBest: boolean;
  /** +1 when lower is better (losses, errors), -1 when higher is (ranking metrics). */
  private readonly sign: number;
  best = Infinity;
  bestEpoch = -1;
  private wait = 0;

  /** `defaultMonitor`: what to watch on validation data when the config names nothing. */
  constructor(cfg: EarlyStopping, hasValidation: boolean, defaultMonitor: MonitorName = 'val_rmse') {
    this.monitor = cfg.monitor ?? (hasValidation ? defaultMonitor : 'loss');
    this.patience = cfg.patience ?? 3;
    this.minDelta = cfg.minDelta ?? 1e-4;
    this.restoreBest = cfg.restoreBest ?? true;
    this.sign = lowerIsBetter(this.monitor) ? 1 : -1;
    if (this.monitor.startsWith('val_') && !hasValidation) {
      throw new Error(`earlyStopping monitors '${this.monitor}' but there is no validation data: pass validationSplit or validationData`);
    }
  }

  /** Records an epoch; returns whether it improved on the best so far. */
  update(logs: EpochLogs): boolean {
    const raw = logs[this.monitor];
    if (raw === undefined) throw new Error(`earlyStopping: '${this.monitor}' is not reported (have: ${Object.keys(logs).join(', ')})`);
    const value = this.sign * raw;
    if (value < this.best - this.minDelta) {
      this.best = value;
      this.bestEpoch = logs.epoch;
      this.wait = 0;
      return true;
    }
    this.wait++;
    return false;
  }

  get shouldStop(): boolean {
    return this.wait >= this.patience;
  }
}

/**
 * Thrown when an epoch's loss is not finite or has grown by orders of magnitude (the rule
 * is DivergenceMonitor's, in divergence.ts); `detail` says which limit it passed.
 */
export class TrainingDivergedError extends Error {
  constructor(epoch: number, loss: number, lr: number, detail?: string) {
    super(
      `training diverged in epoch ${epoch + 1}: the loss is ${Number.isFinite(loss) ? loss.toPrecision(3) : loss}${detail ? `, ${detail}` : ''}. ` +
        `Lower the learning rate (now ${lr}), add regularisation or clip gradients.`,
    );
    this.name = 'TrainingDivergedError';
  }
}
