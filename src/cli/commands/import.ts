// `wasmrec import`: models trained elsewhere, saved as wasmrec model files.
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { floatOption } from '../options.js';
import { checkInputs, checkOutput } from '../paths.js';
import { runImportSpark, runImportTowers, runImportTowerWeights } from '../import-runner.js';

export function registerImport(program: Command, io: CliIO): void {
  const cmd = program.command('import').description('models trained elsewhere → wasmrec model files');
  cmd
    .command('spark-als')
    .description("a Spark MLlib ALSModel folder (ALSModel.save) → an MF model predicting Spark's dot products")
    .argument('<dir>', 'the folder ALSModel.save wrote (metadata/, userFactors/, itemFactors/)')
    .requiredOption('--out <file>', 'the wasmrec model file to write (whole or not at all)')
    .option('--global-mean <x>', 'μ added to every prediction (default 0, as Spark predicts)', floatOption(-Infinity))
    .option('--data <dir>', 'a data set (MovieLens folder) whose user and item features give ids Spark never saw a vector (ridge map from features to factors)')
    .option('--lambda <x>', 'ridge strength of that map (default 1)', floatOption(0))
    .option('--json', 'print one JSON object describing the import on the last line of stdout')
    .showHelpAfterError('see wasmrec import spark-als --help')
    .action(async (dir: string, opts: { out: string; globalMean?: number; data?: string; lambda?: number; json?: boolean }) => {
      await checkOutput({ flag: '--out', path: opts.out });
      await runImportSpark({ dir, ...opts }, io);
    });
  cmd
    .command('two-tower')
    .description("a two-tower's tower outputs from PyTorch or Keras (safetensors: user_vectors, item_vectors, ids in the metadata; docs/model-file.md) → an MF model")
    .argument('<file>', 'the safetensors file (examples/export-two-tower.py writes one)')
    .requiredOption('--out <file>', 'the wasmrec model file to write (whole or not at all)')
    .option('--json', 'print one JSON object describing the import on the last line of stdout')
    .showHelpAfterError('see wasmrec import two-tower --help')
    .action(async (file: string, opts: { out: string; json?: boolean }) => {
      await checkInputs([{ flag: '<file>', path: file }]);
      await checkOutput({ flag: '--out', path: opts.out });
      await runImportTowers({ file, ...opts }, io);
    });
  cmd
    .command('two-tower-weights')
    .description("a two-tower's weights from PyTorch or Keras (safetensors: id and feature embeddings, Dense layers, ids and vocabularies in the metadata; docs/model-file.md) → a two-tower model that also scores new users and items from their features")
    .argument('<file>', 'the safetensors file (examples/export-two-tower-weights.py writes one)')
    .requiredOption('--out <file>', 'the wasmrec model file to write (whole or not at all)')
    .option('--json', 'print one JSON object describing the import on the last line of stdout')
    .showHelpAfterError('see wasmrec import two-tower-weights --help')
    .action(async (file: string, opts: { out: string; json?: boolean }) => {
      await checkInputs([{ flag: '<file>', path: file }]);
      await checkOutput({ flag: '--out', path: opts.out });
      await runImportTowerWeights({ file, ...opts }, io);
    });
}
