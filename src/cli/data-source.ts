// Resolving the CLI's data options into a data set and a train/test split (Node only).

import type { Dataset, Split } from '../data/dataset.js';
import { generateSynthetic } from '../data/synthetic.js';
import { makeSplit, SPLIT_KINDS, type SplitKind } from '../data/splits.js';
import { loadCsvDataset } from '../io/node/csv.js';
import { addGraphFile } from '../io/node/edges.js';
import { findDataDir, loadDataset, type LoadFormat } from '../io/node/load.js';
import { noDataSet } from './paths.js';

/** `--data synthetic` asks for the generated data set even when MovieLens is around. */
export const SYNTHETIC = 'synthetic';

/** The split of a CSV data set whose test part came from --test-ratings. */
export const GIVEN_SPLIT = 'given';

export interface DataArgs {
  data?: string;
  /** --synthetic-size users,items,ratings of the generated data set. */
  syntheticSize?: number[];
  format?: string;
  split?: string;
  testFraction?: number;
  seed?: number;
  /** --format csv: the ratings file, and optionally a separate test file and feature tables. */
  ratings?: string;
  testRatings?: string;
  userFeatures?: string;
  itemFeatures?: string;
  /** --columns user=…,item=…,rating=…,time=… */
  columns?: string;
  /** Edge tables joined as a `neighbours` list column (data/graph-columns.ts). */
  userGraph?: string;
  itemGraph?: string;
  undirected?: boolean;
}

export interface ResolvedData {
  dataset: Dataset;
  split: Split;
  /** A sentence saying which data was used, for the output. */
  description: string;
  synthetic: boolean;
}

/**
 * MovieLens (or another folder) when one is found via --data, WASMREC_DATA or
 * ../shared/data; a CSV data set with --format csv; otherwise the seeded generated data
 * set, said so in `description`.
 */
export async function resolveData(args: DataArgs): Promise<ResolvedData> {
  const seed = args.seed ?? 42;
  if (args.format === 'csv') return withSplit(await withGraphs(await loadCsv(args), args), args, false, null);
  if (args.syntheticSize && args.data && args.data !== SYNTHETIC) throw new Error(`--synthetic-size sizes the generated data set; it does not apply to --data ${args.data}`);
  const wantsSynthetic = args.data === SYNTHETIC || args.syntheticSize !== undefined;
  const dir = wantsSynthetic ? null : findDataDir(args.data);
  if (args.data && !wantsSynthetic && !dir) throw await noDataSet(args.data);
  if (dir === null) {
    const why = wantsSynthetic ? 'as asked' : 'no MovieLens folder found via --data, WASMREC_DATA or ../shared/data';
    const size = syntheticSize(args.syntheticSize);
    return withSplit(await withGraphs(generateSynthetic({ seed, ...size }), args), args, true, `generated MovieLens-like data (${sizeText(size)}seed ${seed}; ${why})`);
  }
  const format = (args.format ?? 'auto') as LoadFormat;
  return withSplit(await withGraphs(await loadDataset(dir, { format }), args), args, false, null);
}

function syntheticSize(size: number[] | undefined): { nUsers?: number; nItems?: number; nRatings?: number } {
  if (!size) return {};
  if (size.length !== 3) throw new Error(`--synthetic-size expects users,items,ratings (three integers), got ${size.join(',')}`);
  const [nUsers, nItems, nRatings] = size;
  return { nUsers, nItems, nRatings };
}

function sizeText(size: { nUsers?: number; nItems?: number; nRatings?: number }): string {
  return size.nUsers ? `${size.nUsers} users, ${size.nItems} items, ${size.nRatings} ratings; ` : '';
}

async function loadCsv(args: DataArgs): Promise<Dataset> {
  if (!args.ratings) throw new Error('--format csv needs --ratings FILE');
  return loadCsvDataset({
    ratings: args.ratings,
    testRatings: args.testRatings,
    userFeatures: args.userFeatures,
    itemFeatures: args.itemFeatures,
    columns: args.columns ? parseColumns(args.columns) : undefined,
  });
}

async function withGraphs(dataset: Dataset, args: DataArgs): Promise<Dataset> {
  const directed = !args.undirected;
  if (args.userGraph) dataset = (await addGraphFile(dataset, 'user', args.userGraph, { directed })).dataset;
  if (args.itemGraph) dataset = (await addGraphFile(dataset, 'item', args.itemGraph, { directed })).dataset;
  return dataset;
}

function withSplit(dataset: Dataset, args: DataArgs, synthetic: boolean, description: string | null): ResolvedData {
  const given = dataset.folds?.[GIVEN_SPLIT];
  const kind = args.split ?? (given ? GIVEN_SPLIT : dataset.folds?.u1 ? 'u1' : 'random');
  let split: Split;
  if (kind === GIVEN_SPLIT) {
    if (!given) throw new Error(`--split ${GIVEN_SPLIT} needs --test-ratings FILE`);
    split = given;
  } else {
    if (!SPLIT_KINDS.includes(kind as SplitKind)) throw new Error(`unknown split '${kind}' (expected ${[...SPLIT_KINDS, GIVEN_SPLIT].join(', ')})`);
    split = makeSplit(dataset, { kind: kind as SplitKind, testFraction: args.testFraction, seed: args.seed ?? 42 });
  }
  return { dataset, split, description: description ?? dataset.description, synthetic };
}

/** `user=userId,item=movieId,rating=score,time=ts` → a column map. */
export function parseColumns(text: string): { user?: string; item?: string; rating?: string; time?: string } {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const [key, value] = part.split('=').map((s) => s.trim());
    if (!['user', 'item', 'rating', 'time'].includes(key) || !value) {
      throw new Error(`--columns: expected user=…,item=…,rating=…,time=…, got '${part}'`);
    }
    out[key] = value;
  }
  return out;
}
