// `npm run bench`: runs each section in its own Node process (so each gets its own flags
// and a JIT not warmed by another section), prints Markdown tables, and with --json
// collects every row into bench/results.json.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, USAGE } from './lib/args.js';
import { describeMachine, machine } from './lib/env.js';

// Node 20 validates relaxed-SIMD modules only behind this V8 flag; later versions ship
// relaxed SIMD and may drop the flag, so it is passed only where Node accepts it.
const RELAXED_FLAG = '--experimental-wasm-relaxed-simd';

const SCRIPTS = {
  kernels: 'kernels/main.js',
  mf: 'train/main.js',
  tfjs: 'tfjs/main.js',
  loaders: 'loaders/main.js',
  scaling: 'scaling/main.js',
  step: 'step/main.js',
  embed: 'embed/main.js',
  interop: 'interop/main.js',
};

let opts;
try {
  opts = parseArgs();
} catch (err) {
  console.error(`bench: ${err.message}\n\n${USAGE}`);
  process.exit(2);
}
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}

const m = machine();
const start = performance.now();
console.log('# wasmrec benchmarks\n');
console.log(`machine: ${describeMachine(m)}`);
console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(', ')} (other work on the machine widens the min–max ranges)`);
console.log(`options: ${opts.quick ? 'quick' : 'full'}; sections: ${opts.only.join(', ')}`);

const dir = mkdtempSync(join(tmpdir(), 'wasmrec-bench-'));
const rowsFile = join(dir, 'rows.jsonl');
const forwarded = [...(opts.quick ? ['--quick'] : [])];
const relaxedOk = spawnSync(process.execPath, [RELAXED_FLAG, '-e', '0']).status === 0;
const failures = [];

for (const section of opts.only) {
  const script = fileURLToPath(new URL(SCRIPTS[section], import.meta.url));
  const flags = section === 'kernels' && relaxedOk ? [RELAXED_FLAG] : [];
  const res = spawnSync(process.execPath, [...flags, script, ...forwarded], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_ROWS: rowsFile },
  });
  if (res.status !== 0) failures.push(`${section} (exit ${res.status ?? res.signal})`);
}

const rows = existsSync(rowsFile)
  ? readFileSync(rowsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
  : [];
rmSync(dir, { recursive: true, force: true });
const minutes = (performance.now() - start) / 60000;
console.log(`\ntotal: ${minutes.toFixed(1)} min${failures.length ? `; sections that failed: ${failures.join(', ')}` : ''}`);
if (opts.json) {
  const out = fileURLToPath(new URL('./results.json', import.meta.url));
  writeFileSync(out, `${JSON.stringify({ machine: m, options: opts, rows }, null, 1)}\n`);
  console.log(`wrote ${rows.length} rows to bench/results.json`);
}
// A failed section is reported, not fatal: the bench never asserts, but scripts
// should still see that something did not run.
process.exitCode = failures.length ? 1 : 0;
