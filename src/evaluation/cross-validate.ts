// Cross-validation over splits and a grid search over model options (the course's
// GridSearchCV): every fit gets its own pipeline fitted on that fold's training part.

import type { Backend } from '../backends/index.js';
import type { Dataset, Split } from '../data/dataset.js';
import { buildModel, type ModelKind, type ModelOptions } from '../models/factory.js';
import type { FeatureSpec } from '../preprocessing/spec.js';
import type { FitOptions } from '../training/fit.js';
import type { OptimizerConfig } from '../training/optimizer.js';
import { mean } from './stats.js';

export interface CvOptions {
  /** Options passed to the model's constructor. */
  model?: ModelOptions;
  /** Optimizer for compile (default: the model's). */
  optimizer?: OptimizerConfig;
  /** Learning rate for the model's default optimizer (ignored when `optimizer` is given). */
  lr?: number;
  fit?: FitOptions;
  features?: FeatureSpec | string;
}

export interface FoldResult {
  split: string;
  rmse: number;
  mae: number;
  trainSeconds: number;
  epochs: number;
}

export interface CvResult {
  folds: FoldResult[];
  meanRmse: number;
  stdRmse: number;
  meanMae: number;
}

/**
 * Trains and evaluates `kind` on each split; returns per-fold metrics and their mean.
 *
 * @example
 * const splits = ['u1', 'u2', 'u3', 'u4', 'u5'].map((s) => dataset.folds![s]);
 * const cv = await crossValidate('mf', backend, dataset, splits, { fit: { epochs: 30 } });
 * cv.meanRmse;
 */
export async function crossValidate(kind: ModelKind, backend: Backend, dataset: Dataset, splits: readonly Split[], options: CvOptions = {}): Promise<CvResult> {
  if (splits.length === 0) throw new Error('crossValidate: no splits');
  const folds: FoldResult[] = [];
  for (const split of splits) {
    const { model } = buildModel(kind, backend, dataset, split.train, options.model, options.features);
    const optimizer = options.optimizer ?? { ...model.defaultOptimizer(), ...(options.lr !== undefined ? { lr: options.lr } : {}) };
    model.compile({ optimizer });
    const history = await model.fit(split.train, options.fit);
    const m = model.evaluate(split.test);
    model.dispose();
    folds.push({ split: split.name, rmse: m.rmse, mae: m.mae, trainSeconds: history.epochs.reduce((s, e) => s + e.seconds, 0), epochs: history.epochs.length });
  }
  const meanRmse = mean(folds.map((f) => f.rmse));
  const stdRmse = Math.sqrt(mean(folds.map((f) => (f.rmse - meanRmse) ** 2)));
  return { folds, meanRmse, stdRmse, meanMae: mean(folds.map((f) => f.mae)) };
}

/** Values to try per option; keys are ModelOptions fields, or `lr`, `epochs`, `batchSize`. */
export type ParamGrid = Record<string, readonly (number | string | boolean | number[])[]>;

export interface GridRow {
  params: Record<string, unknown>;
  meanRmse: number;
  stdRmse: number;
  meanMae: number;
  trainSeconds: number;
}

const FIT_KEYS = new Set(['epochs', 'batchSize']);

/**
 * Cross-validates every combination of `grid` and returns the rows best first (lowest
 * mean RMSE), like sklearn's GridSearchCV `cv_results_` sorted by rank.
 *
 * @example
 * const rows = await gridSearch('mf', backend, dataset, splits, { factors: [32, 64], lr: [0.005, 0.01] });
 * rows[0].params; // the best combination
 */
export async function gridSearch(kind: ModelKind, backend: Backend, dataset: Dataset, splits: readonly Split[], grid: ParamGrid, base: CvOptions = {}): Promise<GridRow[]> {
  const rows: GridRow[] = [];
  for (const params of combinations(grid)) {
    const model: Record<string, unknown> = { ...base.model };
    const fit: Record<string, unknown> = { ...base.fit };
    let optimizer = base.optimizer;
    let lr = base.lr;
    for (const [key, value] of Object.entries(params)) {
      if (key === 'lr') {
        lr = value as number;
        if (optimizer) optimizer = { ...optimizer, lr };
      } else if (FIT_KEYS.has(key)) fit[key] = value;
      else model[key] = value;
    }
    const cv = await crossValidate(kind, backend, dataset, splits, { ...base, model: model as ModelOptions, fit: fit as FitOptions, optimizer, lr });
    rows.push({ params, meanRmse: cv.meanRmse, stdRmse: cv.stdRmse, meanMae: cv.meanMae, trainSeconds: cv.folds.reduce((s, f) => s + f.trainSeconds, 0) });
  }
  return rows.sort((a, b) => a.meanRmse - b.meanRmse);
}

/** Every combination of the grid's values, in a stable order. */
export function combinations(grid: ParamGrid): Record<string, unknown>[] {
  let out: Record<string, unknown>[] = [{}];
  for (const [key, values] of Object.entries(grid)) {
    if (values.length === 0) throw new Error(`grid: no values for '${key}'`);
    out = out.flatMap((partial) => values.map((v) => ({ ...partial, [key]: v })));
  }
  return out;
}
