// `wasmrec export`: the options of the export contract (vectors for nearest-neighbour indexes).
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { choiceOption } from '../options.js';
import { checkInputs, checkOutput } from '../paths.js';
import { EXPORT_FORMATS, EXPORT_TARGETS, QUANTIZE, runExport, type ExportArgs } from '../export-runner.js';

export function registerExport(program: Command, io: CliIO): void {
  program
    .command('export')
    .description('user or item vectors of a saved dot-product model (mf, svdpp, lightgcn, youtube, two-tower with the dot head) for a vector index, or a two-tower\'s user tower alone for request-time serving')
    .requiredOption('--model-file <file>', 'a model saved with `wasmrec train --save`')
    .requiredOption('--what <what>', `${EXPORT_TARGETS.join(' | ')} (user-tower: a safetensors file for loadUserTower)`, choiceOption(EXPORT_TARGETS))
    .option('--format <format>', `vectors: ${EXPORT_FORMATS.join(' | ')} (npy: ids beside it in FILE.ids.txt)`, choiceOption(EXPORT_FORMATS))
    .option('--out <file>', 'where to write (written whole or not at all; jsonl and csv default to stdout)')
    .option('--ids <file>', 'npy: where the ids go, one per line in row order (default: beside --out)')
    .option('--quantize <dtype>', 'f32 | f16 | int8 (int8: one scale per row, value = scale × integer)', choiceOption(QUANTIZE), 'f32')
    .option('--no-bias', 'leave out the bias column (users: 1, items: b_i) that makes inner products rank as the model')
    .option('--backend <backend>', 'wasm | js (runs the two-tower towers)', choiceOption(['wasm', 'js'] as const), 'wasm')
    .option('--json', 'print one JSON object describing what was written on the last line of stdout')
    .action(async (opts: ExportArgs) => {
      await checkInputs([{ flag: '--model-file', path: opts.modelFile }]);
      if (opts.out !== undefined && opts.out !== '-') await checkOutput({ flag: '--out', path: opts.out });
      await checkOutput({ flag: '--ids', path: opts.ids });
      await runExport(opts, io);
    });
}
