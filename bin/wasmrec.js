#!/usr/bin/env node
// Thin launcher so that `npx wasmrec` and `npm start` run the compiled CLI.
import { main } from '../dist/cli/main.js';

main(process.argv).catch((err) => {
  process.stderr.write(`wasmrec: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
