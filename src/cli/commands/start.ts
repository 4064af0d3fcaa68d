// `wasmrec start` (npm start): the main job — train, evaluate, show recommendations.
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { runStart } from '../start-runner.js';

export function registerStart(program: Command, io: CliIO): void {
  program
    .command('start')
    .description('train and evaluate a model on MovieLens 100K (or generated data) and show recommendations')
    .option('--data <dir>', 'data folder (default: WASMREC_DATA, ../shared/data; else generated data)')
    .option('--backend <backend>', 'wasm | js', 'wasm')
    .action(async (opts: { data?: string; backend?: 'wasm' | 'js' }) => {
      await runStart(opts, io);
    });
}
