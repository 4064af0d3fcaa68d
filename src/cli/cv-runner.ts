// `wasmrec cv` and `wasmrec grid`: cross-validation over folds and a parameter grid.

import { createBackend } from '../backends/index.js';
import type { Dataset, Split } from '../data/dataset.js';
import { makeSplit } from '../data/splits.js';
import { crossValidate, gridSearch, type CvOptions, type ParamGrid } from '../evaluation/cross-validate.js';
import { resolveData } from './data-source.js';
import type { CliIO } from './io.js';
import { formatTable } from './table.js';
import { modelOptionsFromArgs } from './model-flags.js';
import type { TrainArgs } from './train-args.js';

export interface CvArgs extends TrainArgs {
  /** Comma-separated fold names (default: u1..u5 when the data has them, else 5 k-folds). */
  folds?: string;
}

export interface GridArgs extends CvArgs {
  /** `factors=32,64;lr=0.005,0.01;tower=64/32,32` */
  grid: string;
}

/** Options whose values are layer lists: `64/32` is one value, [64, 32]. */
const LIST_KEYS = new Set(['towerLayers', 'headLayers']);

const MOVIELENS_FOLDS = ['u1', 'u2', 'u3', 'u4', 'u5'];
const DEFAULT_K = 5;

/** The splits to cross-validate over. */
export function cvSplits(dataset: Dataset, folds: string | undefined, seed: number): Split[] {
  if (folds) {
    return folds.split(',').map((name) => {
      const fold = dataset.folds?.[name.trim()];
      if (!fold) throw new Error(`no fold '${name}' in ${dataset.description} (have: ${Object.keys(dataset.folds ?? {}).join(', ') || 'none'})`);
      return fold;
    });
  }
  if (MOVIELENS_FOLDS.every((f) => dataset.folds?.[f])) return MOVIELENS_FOLDS.map((f) => dataset.folds![f]);
  return Array.from({ length: DEFAULT_K }, (_, fold) => makeSplit(dataset, { kind: 'kfold', k: DEFAULT_K, fold, seed }));
}

function cvOptions(args: CvArgs): CvOptions {
  return {
    model: modelOptionsFromArgs(args),
    optimizer: args.optimizer ? { name: args.optimizer, lr: args.lr } : undefined,
    lr: args.lr,
    fit: { epochs: args.epochs, batchSize: args.batch, seed: args.seed ?? 42 },
    features: args.featureSpecText ?? args.features ?? 'auto',
  };
}

export async function runCv(args: CvArgs, io: CliIO) {
  const { dataset, description } = await resolveData({ ...args, split: 'random' });
  const splits = cvSplits(dataset, args.folds, args.seed ?? 42);
  const log = args.json ? io.err : io.out;
  log(`cross-validating ${args.model} on ${description}: ${splits.map((s) => s.name).join(', ')}`);
  for (const w of dataset.report.warnings) log(`note: ${w}`);
  const backend = await createBackend(args.backend, { threads: args.threads });
  const cv = await crossValidate(args.model, backend, dataset, splits, cvOptions(args)).finally(() => backend.dispose());
  const folds = cv.folds.map((f) => ({ split: f.split, rmse: f.rmse, mae: f.mae, train_seconds: f.trainSeconds, epochs: f.epochs }));
  const result = { model: args.model, backend: backend.name, data: description, folds, mean_rmse: cv.meanRmse, std_rmse: cv.stdRmse, mean_mae: cv.meanMae };
  if (args.json) io.out(JSON.stringify(result));
  else {
    io.out(formatTable([['fold', 'RMSE', 'MAE', 'epochs', 'train s'], ...cv.folds.map((f) => [f.split, f.rmse, f.mae, f.epochs, f.trainSeconds])]));
    io.out(`mean RMSE ${cv.meanRmse.toFixed(4)} ± ${cv.stdRmse.toFixed(4)}, mean MAE ${cv.meanMae.toFixed(4)}`);
  }
  return result;
}

/** `a=1,2;b=x,y;tower=64/32,32` → { a: [1, 2], b: ['x', 'y'], tower: [[64, 32], [32]] }. */
export function parseGrid(text: string): ParamGrid {
  const grid: ParamGrid = {};
  for (const part of text.split(/[;\s]+/).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new Error(`--grid: expected name=v1,v2 but got '${part}'`);
    const name = camel(part.slice(0, eq));
    grid[name] = part
      .slice(eq + 1)
      .split(',')
      .map((v) => (LIST_KEYS.has(name) ? v.split('/').filter(Boolean).map(Number) : Number.isFinite(Number(v)) && v !== '' ? Number(v) : v));
  }
  if (Object.keys(grid).length === 0) throw new Error('--grid: no parameters');
  return grid;
}

function camel(flag: string): string {
  const aliases: Record<string, string> = { reg: 'regFactors', tower: 'towerLayers', batch: 'batchSize', 'embedding-dim': 'idDim' };
  return aliases[flag] ?? flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

export async function runGrid(args: GridArgs, io: CliIO) {
  const grid = parseGrid(args.grid);
  const { dataset, description } = await resolveData({ ...args, split: 'random' });
  const splits = cvSplits(dataset, args.folds, args.seed ?? 42);
  const log = args.json ? io.err : io.out;
  log(`grid search for ${args.model} on ${description} over ${splits.map((s) => s.name).join(', ')}`);
  const backend = await createBackend(args.backend, { threads: args.threads });
  const rows = await gridSearch(args.model, backend, dataset, splits, grid, cvOptions(args)).finally(() => backend.dispose());
  // JSON keys are snake_case, as everywhere in the CLI's output.
  const json = rows.map((r) => ({ params: r.params, mean_rmse: r.meanRmse, std_rmse: r.stdRmse, mean_mae: r.meanMae, train_seconds: r.trainSeconds }));
  if (args.json) io.out(JSON.stringify({ model: args.model, backend: backend.name, data: description, rows: json }));
  else {
    const keys = Object.keys(grid);
    io.out(formatTable([
      ['rank', ...keys, 'mean RMSE', 'std', 'mean MAE', 'train s'],
      ...rows.map((r, i) => [i + 1, ...keys.map((k) => String(r.params[k])), r.meanRmse, r.stdRmse, r.meanMae, r.trainSeconds]),
    ]));
  }
  return rows;
}
