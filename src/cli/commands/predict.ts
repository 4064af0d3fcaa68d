// `wasmrec predict`: the options of the predict contract.
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { choiceOption } from '../options.js';
import { checkInputs, checkOutput } from '../paths.js';
import { runPredict, type PredictArgs } from '../predict-runner.js';

export function registerPredict(program: Command, io: CliIO): void {
  program
    .command('predict')
    .description('score user,item pairs with a saved model (ids unseen in training are scored from their features)')
    .requiredOption('--model-file <file>', 'a model saved with `wasmrec train --save`')
    .requiredOption('--pairs <file>', 'CSV with a header naming user and item (raw ids as in the data)')
    .requiredOption('--out <file>', 'where to write user,item,score (written whole or not at all; - = stdout)')
    .option('--user-features-file <file>', 'feature rows (user table format) for users the model file lacks')
    .option('--item-features-file <file>', 'feature rows (item table format) for items the model file lacks')
    .option('--backend <backend>', 'wasm | js', choiceOption(['wasm', 'js'] as const), 'wasm')
    .action(async (opts: PredictArgs) => {
      await checkInputs([
        { flag: '--model-file', path: opts.modelFile },
        { flag: '--pairs', path: opts.pairs },
        { flag: '--user-features-file', path: opts.userFeaturesFile },
        { flag: '--item-features-file', path: opts.itemFeaturesFile },
      ]);
      if (opts.out !== '-') await checkOutput({ flag: '--out', path: opts.out });
      await runPredict(opts, io);
    });
}
