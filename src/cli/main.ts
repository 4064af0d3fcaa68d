// The `wasmrec` command line (Node only). Each subcommand lives in ./commands/.
import { Command } from 'commander';
import { registerFetch } from './commands/fetch.js';
import { registerEda } from './commands/eda.js';

/** Builds the program; exported so tests can run commands in-process. */
export function buildProgram(): Command {
  const program = new Command('wasmrec')
    .description('Neural recommenders with side information on a SIMD WebAssembly core')
    .showHelpAfterError();
  registerFetch(program);
  registerEda(program);
  return program;
}

/** Runs the CLI on `argv` (as in process.argv). */
export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
