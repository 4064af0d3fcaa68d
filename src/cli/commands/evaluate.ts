// `wasmrec evaluate`: the options of the evaluate contract.
import type { Command } from 'commander';
import { runEvaluate, type EvaluateArgs } from '../evaluate-runner.js';
import type { CliIO } from '../io.js';
import { choiceOption, floatOption } from '../options.js';
import { checkInputs } from '../paths.js';
import { dataOptions } from '../shared-options.js';

export function registerEvaluate(program: Command, io: CliIO): void {
  const cmd = program.command('evaluate').description("a saved model's RMSE/MAE (rating models) and top-10 list metrics on a split's test part");
  dataOptions(cmd)
    .requiredOption('--model-file <file>', 'a model saved with `wasmrec train --save`')
    .option('--threshold <x>', 'test ratings ≥ x are relevant (default: the model\'s: 4 on 1–5 stars)', floatOption(-Infinity))
    .option('--backend <backend>', 'wasm | js', choiceOption(['wasm', 'js'] as const), 'wasm')
    .option('--against <what>', "popularity (trained on the split's training positives) or another model file: each list metric's difference, paired over the same test users, with its standard error")
    .option('--json', 'print one JSON object with the results on the last line of stdout')
    .action(async (opts: EvaluateArgs) => {
      await checkInputs([{ flag: '--model-file', path: opts.modelFile }, ...(opts.against && opts.against !== 'popularity' ? [{ flag: '--against', path: opts.against }] : [])]);
      await runEvaluate(opts, io);
    });
}
