// Section 1: kernel throughput, js (reference) vs wasm SIMD vs wasm relaxed SIMD, and the
// cold-start cost. bench/run.js starts it with --experimental-wasm-relaxed-simd when the
// engine needs that flag; without it the relaxed column says why it is missing.

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from '../lib/args.js';
import { num, spread, table, times } from '../lib/format.js';
import { record } from '../lib/rows.js';
import { ratio, summarize } from '../lib/stats.js';
import { loadWasmrec } from '../lib/wasmrec.js';
import { kernelCases } from './cases.js';
import { measureAlternating, rateOf } from './measure.js';

const opts = parseArgs();
const lib = await loadWasmrec();
const timing = opts.quick ? { samples: 5, sampleMs: 20, warmupMs: 60 } : { samples: 11, sampleMs: 40, warmupMs: 150 };

const systems = [
  { id: 'js', label: 'js', backendOf: () => lib.createBackend('js') },
  { id: 'simd', label: 'wasm simd', backendOf: () => lib.createBackend('wasm', { flavor: 'simd' }) },
];
let relaxedNote = '';
try {
  await lib.createBackend('wasm', { flavor: 'relaxed' });
  systems.push({ id: 'relaxed', label: 'wasm relaxed', backendOf: () => lib.createBackend('wasm', { flavor: 'relaxed' }) });
} catch (err) {
  relaxedNote = `relaxed SIMD skipped: this engine rejects the relaxed build (${err.message.split('\n')[0]})`;
}

console.log(`\n## Kernels (single thread; median (min–max) of ${timing.samples} alternating samples of ~${timing.sampleMs} ms after ${timing.warmupMs} ms warm-up)\n`);
if (relaxedNote) console.log(`${relaxedNote}\n`);

const header = ['kernel', 'shape', 'unit', ...systems.map((s) => s.label), 'simd ÷ js'];
if (systems.length > 2) header.push('relaxed ÷ simd');
const lines = [];
// WASMREC_BENCH_KERNELS=softmaxXentRows,seqAttention runs only those cases.
const wantedKernels = process.env.WASMREC_BENCH_KERNELS?.split(',').filter(Boolean) ?? null;
for (const c of kernelCases().filter((k) => !wantedKernels || wantedKernels.includes(k.name))) {
  // A fresh backend per case and system: each case starts from an unfragmented heap.
  // A kernel still missing from one backend (e.g. a reference stub) leaves its cell empty
  // instead of stopping the run: the bench reports, it does not judge.
  const runners = [];
  const failed = {};
  for (const s of systems) {
    try {
      const be = await s.backendOf();
      const { run, output } = c.setup(be);
      const before = be.read(output);
      run();
      // A call that changes nothing is a stub, and timing it would print nonsense rates.
      if (sameBits(before, be.read(output))) failed[s.id] = 'no effect (stub?)';
      else runners.push({ name: s.id, run });
    } catch (err) {
      failed[s.id] = err.message.split('\n')[0];
    }
  }
  const measured = runners.length > 0 ? measureAlternating(runners, timing) : [];
  const bySystem = Object.fromEntries(runners.map((r, j) => [r.name, rateOf(measured[j], c.work)]));
  const cell = (id) => (bySystem[id] ? spread(bySystem[id]) : failed[id].startsWith('no effect') ? failed[id] : `failed: ${failed[id]}`);
  const line = [c.name + (c.note ? ` (${c.note})` : ''), c.shape, c.unit, ...systems.map((s) => cell(s.id)), times(ratio(bySystem.simd?.median, bySystem.js?.median))];
  if (systems.length > 2) line.push(times(ratio(bySystem.relaxed?.median, bySystem.simd?.median)));
  lines.push(line);
  for (const s of systems) {
    const r = bySystem[s.id];
    const system = s.id === 'js' ? 'wasmrec-js' : `wasmrec-wasm-${s.id}`;
    record(r
      ? { section: 'kernels', kernel: c.name, shape: c.shape, unit: c.unit, system, threads: 1, median: r.median, min: r.min, max: r.max, samples: r.n }
      : { section: 'kernels', kernel: c.name, shape: c.shape, unit: c.unit, system, threads: 1, error: failed[s.id] });
  }
  process.stderr.write(`  measured ${c.name} ${c.shape}\n`);
}
console.log(`\n${table(header, lines)}`);

// Cold start, each sample in a fresh process, systems alternating.
const coldRuns = opts.quick ? 3 : 7;
const script = fileURLToPath(new URL('./first-call.js', import.meta.url));
const cold = Object.fromEntries(systems.map((s) => [s.id, []]));
for (let i = 0; i < coldRuns; i++) {
  for (const s of systems) {
    const out = execFileSync(process.execPath, [...process.execArgv, script, s.id], { encoding: 'utf8' });
    cold[s.id].push(JSON.parse(out.trim().split('\n').pop()));
  }
}
const field = (runs, key) => summarize(runs.map((r) => r[key]).filter((v) => v !== undefined));
const coldHeader = ['system', '.wasm bytes', 'compile ms', 'instantiate ms', 'first gemm 256×64×64 ms', 'steady gemm ms'];
const coldLines = systems.map((s) => {
  const runs = cold[s.id];
  const row = {
    compile: field(runs, 'compile_ms'),
    instantiate: field(runs, 'instantiate_ms'),
    first: field(runs, 'first_call_ms'),
    steady: field(runs, 'steady_call_ms'),
  };
  record({ section: 'first-call', system: s.id === 'js' ? 'wasmrec-js' : `wasmrec-wasm-${s.id}`, compile_ms: row.compile.median, instantiate_ms: row.instantiate.median, first_call_ms: row.first.median, steady_call_ms: row.steady.median, samples: runs.length });
  return [s.label, runs[0].wasm_bytes ? num(runs[0].wasm_bytes) : '–', spread(row.compile), spread(row.instantiate), spread(row.first), spread(row.steady)];
});
console.log(`\n### First call (fresh process per sample, ${coldRuns} samples; WebAssembly.compile of the bytes, then createBackend on the module, then the first kernel call, which includes V8's lazy compilation of that function)\n`);
console.log(table(coldHeader, coldLines));

function sameBits(a, b) {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
