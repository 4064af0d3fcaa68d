// `wasmrec recommend`: the options of the recommend contract.
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { choiceOption, intOption } from '../options.js';
import { checkInputs } from '../paths.js';
import { runRecommend, type RecommendArgs } from '../recommend-runner.js';

export function registerRecommend(program: Command, io: CliIO): void {
  program
    .command('recommend')
    .description("top-k items for a known user (their training items excluded) or a new user's features")
    .requiredOption('--model-file <file>', 'a model saved with `wasmrec train --save`')
    .option('--user <id>', 'a user id as in the data')
    .option('--user-features <list>', "a new user's features, e.g. 'age=25,gender=F,occupation=student'")
    .option('--history <items>', "an anonymous session's items, oldest first, e.g. '50,172,181' (sequence models: youtube, sequence-two-tower, gru4rec, sasrec, bst); they are left out of the list")
    .option('--history-times <times>', "the session's event times in seconds, one per --history item (models trained with --time-gaps; without, the session happens now)")
    .option('--k <n>', 'how many items', intOption(1), 10)
    .option('--min-support <n>', 'leave out items with fewer training interactions (default 5; 0 = none)', intOption(0))
    .option('--backend <backend>', 'wasm | js', choiceOption(['wasm', 'js'] as const), 'wasm')
    .option('--json', 'print one JSON object')
    .action(async (opts: RecommendArgs) => {
      await checkInputs([{ flag: '--model-file', path: opts.modelFile }]);
      await runRecommend(opts, io);
    });
}
