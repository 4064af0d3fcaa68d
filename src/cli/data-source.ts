// Resolving the CLI's data options into a data set and a train/test split (Node only).

import type { Dataset, Split } from '../data/dataset.js';
import { generateSynthetic } from '../data/synthetic.js';
import { makeSplit, type SplitKind } from '../data/splits.js';
import { findDataDir, loadDataset } from '../io/node/load.js';

/** `--data synthetic` asks for the generated data set even when MovieLens is around. */
export const SYNTHETIC = 'synthetic';

export interface DataArgs {
  data?: string;
  format?: string;
  split?: string;
  testFraction?: number;
  seed?: number;
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
 * ../shared/data; otherwise the seeded generated data set, said so in `description`.
 */
export async function resolveData(args: DataArgs): Promise<ResolvedData> {
  const wantsSynthetic = args.data === SYNTHETIC;
  const dir = wantsSynthetic ? null : findDataDir(args.data);
  if (args.data && !wantsSynthetic && !dir) throw new Error(`no data set found at ${args.data}`);
  const synthetic = dir === null;
  const dataset = synthetic
    ? generateSynthetic({ seed: args.seed ?? 42 })
    : await loadDataset(dir, { format: (args.format ?? 'auto') as 'auto' });
  const kind = (args.split ?? 'u1') as SplitKind;
  const split = makeSplit(dataset, { kind, testFraction: args.testFraction, seed: args.seed ?? 42 });
  const why = wantsSynthetic ? 'as asked' : 'no MovieLens folder found via --data, WASMREC_DATA or ../shared/data';
  const description = synthetic ? `generated MovieLens-like data (seed ${args.seed ?? 42}; ${why})` : dataset.description;
  return { dataset, split, description, synthetic };
}
