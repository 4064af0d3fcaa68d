// `wasmrec cv` and `wasmrec grid`: model selection on the command line.
import type { Command } from 'commander';
import { runCv, runGrid, type CvArgs, type GridArgs } from '../cv-runner.js';
import type { CliIO } from '../io.js';
import { dataOptions, modelOptions, prepareInputs } from '../shared-options.js';

export function registerCv(program: Command, io: CliIO): void {
  const cv = program.command('cv').description('cross-validate a model over folds (u1..u5 by default)');
  modelOptions(dataOptions(cv, false))
    .option('--folds <names>', 'comma-separated folds, e.g. u1,u2 (default: u1..u5, else 5 random k-folds)')
    .option('--json', 'print one JSON object on the last line of stdout')
    .action(async (opts: CvArgs) => {
      await prepareInputs(opts);
      await runCv(opts, io);
    });

  const grid = program.command('grid').description('grid search: cross-validate every combination, best first');
  modelOptions(dataOptions(grid, false))
    .requiredOption('--grid <spec>', "values per option, e.g. 'factors=32,64;lr=0.005,0.01;tower=64/32,32'")
    .option('--folds <names>', 'comma-separated folds (default: u1..u5, else 5 random k-folds)')
    .option('--json', 'print one JSON object on the last line of stdout')
    .action(async (opts: GridArgs) => {
      await prepareInputs(opts);
      await runGrid(opts, io);
    });
}
