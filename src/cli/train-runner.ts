// `wasmrec train`: load, split, build, fit, evaluate, report (table or one JSON line).

import { formatSummary } from '../analysis/summary-text.js';
import { createBackend } from '../backends/index.js';
import { buildModel, RANKING_ONLY_KINDS } from '../models/factory.js';
import { modelOptionsFromArgs } from './model-flags.js';
import { Ensemble } from '../models/ensemble.js';
import { MatrixFactorization } from '../models/mf.js';
import type { EpochLogs } from '../training/fit.js';
import { resolveData } from './data-source.js';
import type { TrainArgs } from './train-args.js';
import type { CliIO } from './io.js';
import { formatNumber, formatTable } from './table.js';
import { DEFAULT_THRESHOLD, defaultImplicitEvents, IMPLICIT_MODELS, implicitLossName, positivesOf, testMetrics, type ImplicitEvents, type RankingTestMetrics } from './implicit.js';
import { isImplicit } from '../training/losses.js';
import type { MetricName } from '../training/metrics.js';
import { saveModel } from '../io/node/model-file.js';
import { wordVectorInit } from './word-vectors.js';
import { withFeatureFlags } from './feature-flags.js';
import { NEXT_ITEM_THRESHOLD, nextItemTest } from './next-item.js';
import type { NextItemMetrics } from '../training/next-item-metrics.js';

export type { TrainArgs } from './train-args.js';

/**
 * What `test` holds: rating models' RMSE and MAE, and for every model the top-10 metrics of
 * its recommendation lists (relevant = test ratings ≥ the threshold; training items excluded).
 */
/** What `train` reports for rating and implicit models. */
export type ListTestMetrics = RankingTestMetrics & { rmse?: number; mae?: number };
/** …and for `--task next-item`. */
export type TestMetrics = ListTestMetrics | NextItemMetrics;

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
  /** The compiled metrics on the validation data at the best epoch (with --validation-split). */
  val?: Record<string, number>;
  test: TestMetrics;
  /** With --implicit: the positives' threshold, the loss and its negatives. */
  implicit?: { threshold: number; loss: string; negatives: number; n_positives: number; events: ImplicitEvents };
  /** With --ranking: the ranking twin's positives threshold, loss, negatives and epochs. */
  ranking?: { threshold: number; loss: string; negatives: number; epochs: number };
  /** The model file written with --save. */
  saved?: string;
}

/** Runs one training job as the CLI does; returns what --json prints. */
export async function runTrain(given: TrainArgs, io: CliIO): Promise<TrainResult> {
  const log = given.json ? io.err : io.out;
  const nextItem = given.task === 'next-item';
  // Ranking-only kinds train on the positives even without --implicit.
  const rankingOnly = RANKING_ONLY_KINDS.includes(given.model) && !given.implicit && !nextItem;
  if (rankingOnly) log(`note: ${given.model} ranks: ratings ≥ ${given.threshold ?? DEFAULT_THRESHOLD} are the test's positives, as with --implicit${defaultImplicitEvents(given.model) === 'all' && given.implicitEvents === undefined ? '; it learns from every training rating (--implicit-events)' : ''}`);
  const args: TrainArgs = nextItem
    ? { ...given, implicit: true, split: given.split ?? 'last-item', threshold: given.threshold ?? NEXT_ITEM_THRESHOLD }
    : rankingOnly ? { ...given, implicit: true } : given;
  const seed = args.seed ?? 42;
  const options = modelOptionsFromArgs(args);
  const { dataset, split, description } = await resolveData(args);
  log(`data: ${description}; split ${split.name}: ${split.train.length} train, ${split.test.length} test`);
  for (const w of dataset.report.warnings) log(`note: ${w}`);
  const backend = await createBackend(args.backend, { threads: args.threads });
  const featureArg = withFeatureFlags(args.featureSpecText ?? args.features ?? 'auto', args, dataset, log);
  // Implicit mode trains on the positives of the training part (the pipeline still sees all of it).
  const threshold = args.threshold ?? DEFAULT_THRESHOLD;
  if (args.implicitEvents !== undefined && !args.implicit) throw new Error('--implicit-events needs --implicit');
  const events = nextItem ? 'positives' : (args.implicitEvents ?? defaultImplicitEvents(args.model));
  const trainRows = args.implicit && events === 'positives' ? positivesOf(split.train, threshold) : split.train;
  const featureInit = await wordVectorInit(args.wordVectors, args.freezeWordVectors ?? false, args.model, dataset, split.train, featureArg, log);
  const { model } = buildModel(args.model, backend, dataset, split.train, featureInit ? { ...options, featureInit } : options, featureArg);
  const features = model.pipeline ? (args.features ?? 'auto') : 'none';
  if (args.implicit && !model.supportedLosses().some(isImplicit)) {
    throw new Error(`--implicit supports the models that train with an implicit loss (${IMPLICIT_MODELS.join(', ')}), not '${args.model}'`);
  }
  const lossName = args.implicit ? implicitLossName(model, args.loss) : 'mse';
  const metrics = args.implicit || args.model === 'popularity' ? undefined : (['rmse', 'mae'] as MetricName[]);
  if (args.ranking !== undefined && args.implicit) throw new Error('--ranking trains a ranking twin of a rating model; with --implicit the model ranks already');
  const ranking = args.ranking === undefined ? undefined : args.ranking;
  const rankingThreshold = args.ranking !== undefined ? threshold : undefined;
  // The kind's defaults for the loss (negatives, optimizer, epochs) unless a flag says otherwise.
  model.compile({ loss: { name: lossName, negatives: args.negatives, sampling: args.sampling }, metrics, threshold: args.implicit ? threshold : rankingThreshold, ranking });
  const base = model.defaultOptimizer();
  const name = args.optimizer ?? base.name;
  // The model's default lr suits its default optimizer only; another one takes its own default.
  const lr = args.lr ?? (name === base.name ? base.lr : undefined);
  model.compile({ loss: model.compiledLoss, metrics, optimizer: { name, lr, clipNorm: args.clipNorm }, threshold: args.implicit ? threshold : rankingThreshold, ...(model.rankingLoss ? { ranking: model.rankingLoss } : {}) });
  const optimizer = model.optimizerConfig;
  log(`model: ${args.model} (features: ${features}) on the ${backend.name} backend (${backend.features}${backend.threads > 1 ? `, ${backend.threads} threads` : ''}), ${model instanceof Ensemble ? `each member with its own optimizer${model.implicit ? `; ranked by the ${model.rankedBy}` : ''}` : `optimizer ${optimizer.name} lr ${optimizer.lr}`}`);

  if (args.summary) log(formatSummary(model.summary()));

  const epochs: EpochLogs[] = [];
  const history = await model.fit(trainRows, {
    epochs: args.epochs,
    batchSize: args.batch,
    seed,
    validationSplit: args.validationSplit,
    // Next-item: the split's validation event per user (the one before the test event) is what early stopping watches.
    validationData: nextItem && args.patience !== undefined && args.validationSplit === undefined && split.validation ? positivesOf(split.validation, threshold) : undefined,
    earlyStopping: args.patience !== undefined ? { patience: args.patience } : undefined,
    callbacks: {
      onEpochEnd(epoch, logs) {
        epochs.push(logs);
        const val = Object.entries(logs).filter(([k]) => k.startsWith('val_') && k !== 'val_loss').slice(0, 2).map(([k, v]) => `  ${k.slice(4).replace(/_/g, ' ')} ${formatNumber(v!)}`).join('');
        log(`epoch ${String(epoch + 1).padStart(3)}  loss ${formatNumber(logs.loss)}${val}  ${(logs.seconds * 1000).toFixed(1)} ms`);
      },
    },
  });
  for (const m of model instanceof Ensemble ? model.members.map((x) => x.model) : [model]) {
    const r = m instanceof MatrixFactorization ? m.coldUsersReport : null;
    if (r?.mapped) log(`cold users: ${r.mapped} users without training ratings get MF factors from their features (a ridge map fitted on ${r.fitted} users, R² ${r.r2.toFixed(3)})`);
  }
  const newItems = split.name.startsWith('cold-items');
  if (newItems) log('lists: the test\'s new items ranked against each other, no support floor (minSupport 0)');
  const test = nextItem ? nextItemTest(model, split) : testMetrics(model, split.test, newItems);
  const best = history.epochs.find((e) => e.epoch === history.bestEpoch);
  const val = best ? Object.fromEntries(Object.entries(best).filter(([k]) => k.startsWith('val_') && k !== 'val_loss').map(([k, v]) => [k.slice(4), v!])) : {};
  const loss = model.compiledLoss;
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
    ...(Object.keys(val).length > 0 ? { val } : {}),
    ...(nextItem ? { task: 'next-item' } : {}),
    ...(args.implicit ? { implicit: { threshold, loss: loss.name, negatives: loss.negatives, n_positives: trainRows.length, events } } : {}),
    ...(model.rankingLoss ? { ranking: { threshold: model.relevanceThreshold(), loss: model.rankingLoss.name, negatives: model.rankingLoss.negatives, epochs: model.rankingHistory?.epochs.length ?? 0 } } : {}),
    test,
  };
  if (args.save) {
    const info = { data: description, split: split.name, features, test, seed };
    await saveModel(args.save, model, { info });
    result.saved = args.save;
    log(`saved the model to ${args.save}`);
  }
  model.dispose();
  backend.dispose();
  if (args.json) io.out(JSON.stringify(result));
  else if ('sampled_100' in test) {
    io.out('');
    io.out(formatTable([
      ['model', 'backend', 'epochs', 'train s', 'HR@10', 'NDCG@10', 'MRR', 'users', 'HR@10 (100 sampled)'],
      [result.model, result.backend, result.epochs, result.train_seconds, test.hr_at_10, test.ndcg_at_10, test.mrr, test.users, test.sampled_100.hr_at_10],
    ]));
  } else {
    const rating = 'rmse' in test;
    io.out('');
    io.out(formatTable([
      ['model', 'backend', 'epochs', 'train s', ...(rating ? ['test RMSE', 'test MAE'] : []), 'P@10', 'NDCG@10', 'AUC', 'coverage', 'obscure'],
      [result.model, result.backend, result.epochs, result.train_seconds, ...(rating ? [test.rmse!, test.mae!] : []), test.p_at_10, test.ndcg_at_10, test.auc, test.coverage_at_10, test.obscure_at_10],
    ]));
  }
  return result;
}
