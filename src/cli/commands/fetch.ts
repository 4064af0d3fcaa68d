// STUB: `wasmrec fetch`, to be implemented.
import type { Command } from 'commander';

export function registerFetch(program: Command): void {
  void program;
}
