// `wasmrec eda`: the course's exploratory analysis of a data set, optionally for a split.
import type { Command } from 'commander';
import type { Dataset } from '../../data/dataset.js';
import { explore, formatEda } from '../../analysis/eda.js';
import { makeSplit, SPLIT_KINDS, type SplitKind } from '../../data/splits.js';
import { generateSynthetic } from '../../data/synthetic.js';
import { findDataDir, loadDataset } from '../../io/node/load.js';
import { processIO, type CliIO } from '../io.js';
import { choiceOption, floatOption, intOption } from '../options.js';
import { noDataSet } from '../paths.js';

interface EdaArgs {
  data?: string;
  split?: SplitKind;
  testFraction?: number;
  seed: number;
  json?: boolean;
}

/** MovieLens from --data (or WASMREC_DATA, ../shared/data); generated data when none is found and --data was not given. */
async function dataFor(args: EdaArgs, io: CliIO): Promise<Dataset> {
  const dir = findDataDir(args.data);
  if (dir) return loadDataset(dir);
  if (args.data !== undefined) throw await noDataSet(args.data);
  io.err(`no MovieLens folder found via --data, WASMREC_DATA or ../shared/data: exploring generated data (seed ${args.seed})`);
  return generateSynthetic({ seed: args.seed });
}

/** Registers `eda`; `io` defaults to the process streams. */
export function registerEda(program: Command, io: CliIO = processIO): void {
  program
    .command('eda')
    .description('ratings by feature value, correlations with the rating, cold users/items of a split')
    .option('--data <dir>', 'data folder (default: WASMREC_DATA, ../shared/data; else generated data)')
    .option('--split <split>', SPLIT_KINDS.join(' | '), choiceOption(SPLIT_KINDS))
    .option('--test-fraction <x>', 'test share for random/temporal/cold splits', floatOption(0, 1))
    .option('--seed <n>', 'seed for the split (and generated data)', intOption(0), 42)
    .option('--json', 'print the result as one JSON object')
    .action(async (args: EdaArgs) => {
      const dataset = await dataFor(args, io);
      const split = args.split ? makeSplit(dataset, { kind: args.split, testFraction: args.testFraction, seed: args.seed }) : undefined;
      const eda = explore(dataset, { split });
      // NaN (no spread) is not JSON; null says "not defined" to a JSON reader.
      io.out(args.json ? JSON.stringify(eda, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)) : formatEda(eda));
    });
}
