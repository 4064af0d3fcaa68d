// `wasmrec train`: load, split, build, fit, evaluate, report (table or one JSON line).

import { createBackend, type BackendName } from '../backends/index.js';
import { buildModel, usesFeatures, type ModelKind, type ModelOptions } from '../models/factory.js';
import type { TwoTowerHead } from '../models/two-tower.js';
import type { OptimizerName } from '../training/optimizer.js';
import type { EpochLogs } from '../training/fit.js';
import { resolveData, type DataArgs } from './data-source.js';
import type { CliIO } from './io.js';
import { formatNumber, formatTable } from './table.js';
import { DEFAULT_THRESHOLD, implicitDefaults, implicitLoss, implicitTestMetrics, positivesOf, type ImplicitTestMetrics } from './implicit.js';
import type { LossName } from '../training/losses.js';
import { itemTitlesOf } from '../io/model-file.js';
import { saveModel } from '../io/node/model-file.js';

export interface TrainArgs extends DataArgs {
  model: ModelKind;
  /** auto | none | a feature spec file's path (read by the command). */
  features?: string;
  /** The spec file's text when `features` names a file. */
  featureSpecText?: string;
  head?: TwoTowerHead;
  embeddingDim?: number;
  tower?: number[];
  headLayers?: number[];
  dropout?: number;
  idDropout?: number;
  backend: BackendName;
  /** Threads of the wasm backend (createBackend's `threads`). */
  threads?: number;
  epochs?: number;
  factors?: number;
  lr?: number;
  reg?: number;
  regBias?: number;
  optimizer?: OptimizerName;
  /** Clip gradients to this global norm per step (0/undefined: off). */
  clipNorm?: number;
  batch?: number;
  validationSplit?: number;
  patience?: number;
  json?: boolean;
  /** Implicit feedback: ratings ≥ threshold are positives; `test` reports ranking metrics. */
  implicit?: boolean;
  threshold?: number;
  loss?: Exclude<LossName, 'mse'>;
  negatives?: number;
  /** Save the trained model to this file. */
  save?: string;
}

/** The `--json` contract: scripts rely on these fields. */
export interface TrainResult {
  model: string;
  backend: string;
  /** Threads the backend ran (1 where shared memory is missing or for the js backend). */
  threads: number;
  features: string;
  data: string;
  split: string;
  seed: number;
  epochs: number;
  optimizer: string;
  lr: number;
  batch: number;
  train_seconds: number;
  epoch_seconds: number[];
  loss: number[];
  n_train: number;
  n_test: number;
  val?: { rmse: number; mae: number };
  test: { rmse: number; mae: number };
  /** The model file written with --save. */
  saved?: string;
}

/** What `--json` prints with --implicit: `test` holds top-10 ranking metrics instead of RMSE/MAE. */
export interface ImplicitTrainResult extends Omit<TrainResult, 'test'> {
  implicit: { threshold: number; loss: string; negatives: number; n_positives: number };
  test: ImplicitTestMetrics;
}

/** The model options the CLI flags set; unset flags leave each model's defaults. */
export function modelOptionsFromArgs(args: TrainArgs): ModelOptions {
  const opts: ModelOptions = {
    factors: args.factors,
    regFactors: args.reg,
    regId: args.reg,
    regBias: args.regBias,
    head: args.head,
    idDim: args.embeddingDim,
    towerLayers: args.tower,
    headLayers: args.headLayers,
    dropout: args.dropout,
    idDropout: args.idDropout,
    maxBatch: args.batch !== undefined ? Math.max(args.batch, 1) : undefined,
  };
  return Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as ModelOptions;
}

/** Runs one training job as the CLI does; returns what --json prints. */
export async function runTrain(args: TrainArgs, io: CliIO): Promise<TrainResult> {
  const log = args.json ? io.err : io.out;
  const seed = args.seed ?? 42;
  const { dataset, split, description } = await resolveData(args);
  log(`data: ${description}; split ${split.name}: ${split.train.length} train, ${split.test.length} test`);
  const backend = await createBackend(args.backend, { threads: args.threads });
  const featureArg = args.featureSpecText ?? args.features ?? 'auto';
  // Implicit mode trains on the positives of the training part (the pipeline still sees all of it).
  const implicit = args.implicit ? implicitDefaults(args.model) : null;
  const threshold = args.threshold ?? DEFAULT_THRESHOLD;
  const trainRows = implicit ? positivesOf(split.train, threshold) : split.train;
  const { model } = buildModel(args.model, backend, dataset, split.train, { ...implicit?.options, ...modelOptionsFromArgs(args) }, featureArg);
  const features = usesFeatures(args.model) ? (args.features ?? 'auto') : 'none';
  const base = implicit?.optimizer ?? model.defaultOptimizer();
  const name = args.optimizer ?? base.name;
  // The model's default lr suits its default optimizer only; another one takes its own default.
  const lr = args.lr ?? (name === base.name ? base.lr : undefined);
  const loss = implicit ? implicitLoss(args.model, args.loss, args.negatives) : undefined;
  model.compile({ optimizer: { name, lr, clipNorm: args.clipNorm }, loss });
  const optimizer = model.optimizerConfig;
  log(`model: ${args.model} (features: ${features}) on the ${backend.name} backend (${backend.features}${backend.threads > 1 ? `, ${backend.threads} threads` : ''}), optimizer ${optimizer.name} lr ${optimizer.lr}`);

  const epochs: EpochLogs[] = [];
  const history = await model.fit(trainRows, {
    epochs: args.epochs ?? implicit?.epochs,
    batchSize: args.batch,
    seed,
    validationSplit: args.validationSplit,
    earlyStopping: args.patience !== undefined ? { patience: args.patience } : undefined,
    callbacks: {
      onEpochEnd(epoch, logs) {
        epochs.push(logs);
        const val = logs.val_rmse !== undefined ? `  val rmse ${formatNumber(logs.val_rmse)}` : '';
        log(`epoch ${String(epoch + 1).padStart(3)}  loss ${formatNumber(logs.loss)}${val}  ${(logs.seconds * 1000).toFixed(1)} ms`);
      },
    },
  });
  const test = implicit ? implicitTestMetrics(model, split.train, split.test, threshold) : model.evaluate(split.test);
  const last = history.epochs[history.bestEpoch];
  const result: TrainResult = {
    model: args.model,
    backend: backend.name,
    threads: backend.threads,
    features,
    data: description,
    split: split.name,
    seed,
    // Every epoch that ran (an ensemble reports its members' epochs one after another).
    epochs: epochs.length,
    optimizer: optimizer.name,
    lr: optimizer.lr,
    batch: args.batch ?? model.defaultBatchSize(),
    train_seconds: epochs.reduce((s, e) => s + e.seconds, 0),
    epoch_seconds: epochs.map((e) => e.seconds),
    loss: epochs.map((e) => e.loss),
    n_train: split.train.length,
    n_test: split.test.length,
    ...(last?.val_rmse !== undefined ? { val: { rmse: last.val_rmse, mae: last.val_mae! } } : {}),
    ...(loss ? { implicit: { threshold, loss: loss.name, negatives: loss.negatives ?? 0, n_positives: trainRows.length } } : {}),
    // With --implicit this is an ImplicitTrainResult (ranking metrics in `test`).
    test: test as TrainResult['test'],
  };
  if (args.save) {
    const info = { data: description, split: split.name, features, test, seed };
    await saveModel(args.save, model, { itemTitles: itemTitlesOf(dataset), info });
    result.saved = args.save;
    log(`saved the model to ${args.save}`);
  }
  model.dispose();
  backend.dispose();
  if (args.json) io.out(JSON.stringify(result));
  else {
    io.out('');
    io.out(formatTable('rmse' in test ? [
      ['model', 'backend', 'epochs', 'train s', 'test RMSE', 'test MAE'],
      [result.model, result.backend, result.epochs, result.train_seconds, test.rmse, test.mae],
    ] : [
      ['model', 'backend', 'epochs', 'train s', 'P@10', 'R@10', 'NDCG@10', 'HR@10', 'MAP@10', 'AUC'],
      [result.model, result.backend, result.epochs, result.train_seconds, test.p_at_10, test.r_at_10, test.ndcg_at_10, test.hr_at_10, test.map_at_10, test.auc],
    ]));
  }
  return result;
}
