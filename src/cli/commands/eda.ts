// STUB: `wasmrec eda`, to be implemented.
import type { Command } from 'commander';

export function registerEda(program: Command): void {
  void program;
}
