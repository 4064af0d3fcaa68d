// `wasmrec train`: the options of the train contract, parsed and checked by commander.
import type { Command } from 'commander';
import { MODEL_KINDS } from '../../models/factory.js';
import type { CliIO } from '../io.js';
import { readFile } from 'node:fs/promises';
import { choiceOption, floatOption, intListOption, intOption } from '../options.js';
import { runTrain, type TrainArgs } from '../train-runner.js';

const OPTIMIZERS = ['sgd', 'momentum', 'adagrad', 'adam', 'adamw'] as const;

export function registerTrain(program: Command, io: CliIO): void {
  program
    .command('train')
    .description('train a model on a split and evaluate it on the test part')
    .option('--data <dir>', 'data folder (default: WASMREC_DATA, ../shared/data, the fetch cache; else generated data)')
    .option('--format <format>', 'auto | ml-100k | ml-1m | ml-latest | csv', 'auto')
    .option('--split <split>', 'u1..u5 | random | kfold | leave-k-out | temporal | cold-users | cold-items | given (default: u1, or given with --test-ratings)')
    .option('--ratings <file>', '--format csv: the ratings file (CSV or TSV, header optional)')
    .option('--test-ratings <file>', '--format csv: a separate test file (then it is the test set)')
    .option('--user-features <file>', '--format csv: user feature table keyed by the first column or `user`')
    .option('--item-features <file>', '--format csv: item feature table keyed by the first column or `item`')
    .option('--columns <map>', '--format csv: user=…,item=…,rating=…,time=… when the header names differ')
    .option('--features <spec>', 'auto | none | a feature spec JSON file (linear, two-tower)', 'auto')
    .option('--test-fraction <x>', 'test share for random/temporal/cold splits', floatOption(0, 1))
    .option('--seed <n>', 'seed for initialisation, shuffling and splits', intOption(0), 42)
    .option('--model <model>', MODEL_KINDS.join(' | '), choiceOption(MODEL_KINDS), 'mf')
    .option('--backend <backend>', 'wasm | js', choiceOption(['wasm', 'js'] as const), 'wasm')
    .option('--epochs <n>', 'training epochs', intOption(0))
    .option('--factors <k>', 'latent factors (mf, linear)', intOption(0))
    .option('--head <head>', 'two-tower head: dot | mlp | both', choiceOption(['dot', 'mlp', 'both'] as const))
    .option('--embedding-dim <d>', 'two-tower id embedding width', intOption(0))
    .option('--tower <sizes>', 'two-tower dense layers per tower, e.g. 64,32', intListOption())
    .option('--head-layers <sizes>', 'two-tower mlp head hidden layers, e.g. 32', intListOption())
    .option('--dropout <p>', 'dropout after hidden layers', floatOption(0, 0.95))
    .option('--id-dropout <p>', 'probability of training on the unknown id instead (cold start)', floatOption(0, 0.95))
    .option('--lr <x>', 'learning rate', floatOption(0))
    .option('--reg <x>', 'L2 on factors / embeddings', floatOption(0))
    .option('--reg-bias <x>', 'L2 on biases', floatOption(0))
    .option('--optimizer <name>', OPTIMIZERS.join(' | '), choiceOption(OPTIMIZERS))
    .option('--batch <b>', 'mini-batch size (mf with sgd: 1 = the fused per-example loop)', intOption(1))
    .option('--validation-split <x>', 'hold out this share of the training part for validation', floatOption(0, 0.99))
    .option('--patience <n>', 'early stopping: epochs without validation improvement', intOption(1))
    .option('--json', 'print one JSON object with the results on the last line of stdout')
    .action(async (opts: TrainArgs) => {
      if (opts.features && opts.features !== 'auto' && opts.features !== 'none') {
        opts.featureSpecText = await readFile(opts.features, 'utf8');
      }
      await runTrain(opts, io);
    });
}
