// Result rows travel from the section processes to bench/run.js as JSON lines in a file
// named by BENCH_ROWS, so each section can run in its own process (own flags, clean JIT).

import { appendFileSync } from 'node:fs';

/** Appends one result row; a no-op when the section runs on its own without run.js. */
export function record(row) {
  const file = process.env.BENCH_ROWS;
  if (file) appendFileSync(file, `${JSON.stringify(row)}\n`);
}
