// The `wasmrec` command line (Node only). Each subcommand lives in ./commands/.
import { createRequire } from 'node:module';
import { Command } from 'commander';
import { registerFetch } from './commands/fetch.js';
import { registerEda } from './commands/eda.js';
import { registerTrain } from './commands/train.js';
import { registerStart } from './commands/start.js';
import { registerCv } from './commands/cv.js';
import { registerPredict } from './commands/predict.js';
import { registerRecommend } from './commands/recommend.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerSummary } from './commands/summary.js';
import { registerEmbed } from './commands/embed.js';
import { registerExport } from './commands/export.js';
import { registerScore } from './commands/score.js';
import { registerImport } from './commands/import.js';
import { processIO, type CliIO } from './io.js';

/** Builds the program; exported so tests can run commands in-process. */
export function buildProgram(io: CliIO = processIO): Command {
  const program = new Command('wasmrec')
    .description('Neural recommenders with side information on a SIMD WebAssembly core')
    .version(packageVersion())
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  registerStart(program, io);
  registerTrain(program, io);
  registerCv(program, io);
  registerPredict(program, io);
  registerRecommend(program, io);
  registerEvaluate(program, io);
  registerSummary(program, io);
  registerEmbed(program, io);
  registerExport(program, io);
  registerScore(program, io);
  registerImport(program, io);
  registerFetch(program);
  registerEda(program, io);
  // A flag error is one line and a pointer to the command's help, not the whole help.
  for (const cmd of program.commands) cmd.showHelpAfterError(`see wasmrec ${cmd.name()} --help`);
  program.showHelpAfterError('see wasmrec --help');
  return program;
}

/** Runs the CLI on `argv` (as in process.argv). */
export async function main(argv: string[], io: CliIO = processIO): Promise<void> {
  await buildProgram(io).parseAsync(argv);
}

/** The version in package.json (two levels up from both src/cli and dist/cli). */
function packageVersion(): string {
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}
