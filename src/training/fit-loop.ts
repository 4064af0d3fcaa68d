// The epoch loop of `fit` (Keras' fit): learning-rate schedule, callbacks, validation logs,
// early stopping with restore of the best weights, and the divergence check. What an epoch
// does and what validation measures belong to the model (the `EpochRunner` it hands in).

import { DivergenceMonitor } from './divergence.js';
import { EarlyStopper, type EpochLogs, type FitOptions, type History } from './fit.js';
import type { MonitorName } from './metrics.js';
import { scheduledLr, type LrSchedule } from './schedule.js';

/** What the loop needs from a model for one fit. */
export interface EpochRunner {
  /** One pass over the training data with learning rate `lr`; returns the mean loss per example. */
  trainEpoch(epoch: number, lr: number, onBatchEnd?: (batch: number, size: number, lossSum: number) => void): number;
  /** The compiled metrics on the validation data, by name (logged as `val_<name>`); null without validation data. */
  validate(): Record<string, number> | null;
  /** What early stopping watches on validation data unless told otherwise. */
  defaultMonitor: MonitorName;
  /** The schedule used when `fit` is given none, for a run ending at epoch `epochs`. */
  defaultSchedule?: LrSchedule;
  /** The optimizer's base learning rate. */
  baseLr: number;
  /** The loss of a predictor that learnt nothing (./divergence.ts): what a diverged epoch is measured against. */
  trivialLoss: number;
  /** A copy of every trainable value, and putting one back (restoring the best epoch). */
  snapshot(): unknown;
  restore(snapshot: unknown): void;
}

/**
 * Runs epochs `initialEpoch .. epochs-1` of `runner`; returns the History.
 *
 * @example
 * const history = await runEpochs(runner, { epochs: 10, earlyStopping: { patience: 2 }, validationSplit: 0.1 }, true);
 */
export async function runEpochs(runner: EpochRunner, options: FitOptions, epochs: number, hasValidation: boolean): Promise<History> {
  const first = options.initialEpoch ?? 0;
  if (!(Number.isInteger(first) && first >= 0)) throw new Error(`fit: initialEpoch must be an integer ≥ 0, got ${first}`);
  const stopper = options.earlyStopping
    ? new EarlyStopper(options.earlyStopping === true ? {} : options.earlyStopping, hasValidation, runner.defaultMonitor)
    : null;
  const monitor = new DivergenceMonitor(runner.trivialLoss);
  let best: unknown = null;
  const history: History = { epochs: [], bestEpoch: -1, stoppedEarly: false };
  const cb = options.callbacks;
  cb?.onTrainBegin?.();
  const onBatchEnd = cb?.onBatchEnd ? (batch: number, size: number, lossSum: number) => cb.onBatchEnd!(batch, { batch, size, loss: lossSum / size }) : undefined;
  for (let epoch = first; epoch < epochs; epoch++) {
    const lr = scheduledLr(options.lrSchedule ?? runner.defaultSchedule, epoch, runner.baseLr);
    const t0 = performance.now();
    const loss = runner.trainEpoch(epoch, lr, onBatchEnd);
    const logs: EpochLogs = { epoch, loss, seconds: (performance.now() - t0) / 1000, lr };
    monitor.check(logs);
    const val = runner.validate();
    if (val) for (const [name, value] of Object.entries(val)) logs[`val_${name}`] = value;
    history.epochs.push(logs);
    history.bestEpoch = epoch;
    const keepGoing = await cb?.onEpochEnd?.(epoch, logs);
    if (stopper) {
      if (stopper.update(logs) && stopper.restoreBest) best = runner.snapshot();
      if (stopper.shouldStop) {
        history.stoppedEarly = true;
        break;
      }
    }
    if (keepGoing === false) break;
  }
  if (stopper && stopper.restoreBest && best !== null && stopper.bestEpoch !== history.bestEpoch) {
    runner.restore(best);
    history.bestEpoch = stopper.bestEpoch;
  }
  cb?.onTrainEnd?.(history);
  return history;
}
