// `wasmrec predict`: the options of the predict contract.
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { choiceOption } from '../options.js';
import { runPredict, type PredictArgs } from '../predict-runner.js';

export function registerPredict(program: Command, io: CliIO): void {
  program
    .command('predict')
    .description('score user,item pairs with a saved model (ids unseen in training are scored from their features)')
    .requiredOption('--model-file <file>', 'a model saved with `wasmrec train --save`')
    .requiredOption('--pairs <file>', 'CSV with a header naming user and item (raw ids as in the data)')
    .requiredOption('--out <file>', 'where to write user,item,score (written whole or not at all)')
    .option('--user-features-file <file>', 'feature rows (user table format) for users the model file lacks')
    .option('--item-features-file <file>', 'feature rows (item table format) for items the model file lacks')
    .option('--backend <backend>', 'wasm | js', choiceOption(['wasm', 'js'] as const), 'wasm')
    .action(async (opts: PredictArgs) => {
      await runPredict(opts, io);
    });
}
