// `wasmrec summary`: the options of the summary contract.
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { checkInputs, checkOutput } from '../paths.js';
import { runSummary, type SummaryArgs } from '../summary-runner.js';

export function registerSummary(program: Command, io: CliIO): void {
  program
    .command('summary')
    .description("a saved model's network: its parts with output shapes and parameters (Keras' summary), or a diagram")
    .requiredOption('--model-file <file>', 'a model saved with `wasmrec train --save`')
    .option('--svg <file>', 'write the diagram as a standalone SVG to FILE (- = stdout)')
    .option('--dot', 'print the diagram as Graphviz DOT')
    .option('--mermaid', 'print the diagram as a Mermaid flowchart')
    .option('--json', 'print the summary as one JSON object')
    .action(async (opts: SummaryArgs) => {
      await checkInputs([{ flag: '--model-file', path: opts.modelFile }]);
      if (opts.svg !== '-') await checkOutput({ flag: '--svg', path: opts.svg });
      await runSummary(opts, io);
    });
}
