// One measured job of the interop section in a fresh process, so its peak RSS is its own:
//   node job.js score MODEL USERS BACKEND [f32|int8] → top-10 lists for every user of USERS
//   node job.js import DIR                  → wasmrec import spark-als DIR
//   node job.js export MODEL FORMAT DTYPE   → wasmrec export --what item-vectors
// Prints one JSON line: seconds, peak_mb (process max RSS), and the job's own numbers.

import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [job, ...args] = process.argv.slice(2);
const dist = (path) => import(new URL(`../../dist/${path}`, import.meta.url).href);
const quiet = { out: () => {}, err: () => {}, interactive: false };
const out = join(tmpdir(), `wasmrec-bench-interop-${process.pid}.out`);
const started = performance.now();
let extra = {};
if (job === 'score') {
  const { runScore } = await dist('cli/score-runner.js');
  const [modelFile, usersFrom, backend, quantize = 'f32'] = args;
  const s = await runScore({ modelFile, usersFrom, k: 10, excludeSeen: false, minSupport: 0, backend, out, quantize }, quiet);
  extra = { users: s.users, lines: s.lines, block: s.block };
} else if (job === 'import') {
  const { runImportSpark } = await dist('cli/import-runner.js');
  const s = await runImportSpark({ dir: args[0], out }, quiet);
  extra = { users: s.users, items: s.items, rank: s.rank, read_seconds: s.read_seconds };
} else if (job === 'export') {
  const { runExport } = await dist('cli/export-runner.js');
  const [modelFile, format, quantize] = args;
  const s = await runExport({ modelFile, what: 'item-vectors', format, quantize, bias: true, backend: 'wasm', out: `${out}.${format}`, ids: `${out}.ids.txt` }, quiet);
  for (const f of [s.out, s.ids, s.scales]) if (f) rmSync(f, { force: true });
  extra = { rows: s.rows, bytes: s.bytes };
} else {
  throw new Error(`job: expected score, import or export, got ${job}`);
}
const seconds = (performance.now() - started) / 1000;
rmSync(out, { force: true });
console.log(JSON.stringify({ seconds, peak_mb: process.resourceUsage().maxRSS / 1024, ...extra }));
