// `wasmrec score`: the options of the batch-scoring contract (top-k lists for a shard of users).
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { choiceOption, intOption } from '../options.js';
import { checkInputs, checkOutput } from '../paths.js';
import { runScore, type ScoreArgs } from '../score-runner.js';
import { SCORING_DTYPES } from '../../io/int8-ranking.js';

export function registerScore(program: Command, io: CliIO): void {
  program
    .command('score')
    .description('top-k lists for a shard of users, streamed as user,rank,item,score with bounded memory (run shards in parallel)')
    .requiredOption('--model-file <file>', 'a model saved with `wasmrec train --save`')
    .requiredOption('--users-from <file>', 'CSV/TSV whose header names a user column (raw ids as in the data)')
    .option('--k <n>', 'items per user', intOption(1), 10)
    .option('--exclude-seen', "leave out each user's training items")
    .option('--min-support <n>', "leave out items with fewer training interactions (default: the model's, 5)", intOption(0))
    .option('--block <n>', 'users scored per block (default: 8M scores per block, 83 users at 100k items)', intOption(1))
    .option('--quantize <dtype>', 'f32 | int8 (int8: score against an int8 copy of the item table, 4× smaller; dot-product models)', choiceOption(SCORING_DTYPES), 'f32')
    .option('--out <file>', 'where to write (whole or not at all; default stdout)')
    .option('--backend <backend>', 'wasm | js', choiceOption(['wasm', 'js'] as const), 'wasm')
    .action(async (opts: ScoreArgs) => {
      await checkInputs([{ flag: '--model-file', path: opts.modelFile }, { flag: '--users-from', path: opts.usersFrom }]);
      if (opts.out !== undefined && opts.out !== '-') await checkOutput({ flag: '--out', path: opts.out });
      await runScore(opts, io);
    });
}
