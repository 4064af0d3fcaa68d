// `wasmrec train`: the options of the train contract, parsed and checked by commander.
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { choiceOption, floatOption, intOption } from '../options.js';
import { checkOutput } from '../paths.js';
import { dataOptions, implicitOptions, modelOptions, prepareInputs } from '../shared-options.js';
import { runTrain, type TrainArgs } from '../train-runner.js';

export function registerTrain(program: Command, io: CliIO): void {
  const cmd = program.command('train').description('train a model on a split and evaluate it on the test part');
  implicitOptions(modelOptions(dataOptions(cmd)))
    .option('--validation-split <x>', 'hold out this share of the training part for validation', floatOption(0, 0.99))
    .option('--patience <n>', 'early stopping: epochs without validation improvement', intOption(1))
    .option('--task <task>', "rating | next-item (leave-last-out by time, events = ratings ≥ --threshold, default 3; full-ranking HR@10, NDCG@10, MRR)", choiceOption(['rating', 'next-item'] as const), 'rating')
    .option('--text-encoder <[feature=]encoder>', "read text features as a bag of words ('mean', the default) or in order through a GRU ('gru'); FEATURE=gru for one feature")
    .option('--graph-aggregate <[feature=]aggregate>', "pool a graph feature's links by their mean ('mean', the default, GraphSAGE) or GCN's symmetric normalisation ('gcn')")
    .option('--word-vectors <feature=file>', "start a text feature's token embeddings from word vectors (word,x0,x1,… CSV as `wasmrec embed --what words` writes, or .safetensors)")
    .option('--freeze-word-vectors', 'keep those embeddings as given (no training)')
    .option('--summary', "print the model's network (parts, output shapes, parameters) before training")
    .option('--save <file>', 'save the trained model (feature pipeline, ids, training items, titles) to FILE')
    .option('--json', 'print one JSON object with the results on the last line of stdout')
    .action(async (opts: TrainArgs) => {
      await prepareInputs(opts);
      // A folder that cannot take the model file fails now, not after the whole training run.
      await checkOutput({ flag: '--save', path: opts.save });
      await runTrain(opts, io);
    });
}
