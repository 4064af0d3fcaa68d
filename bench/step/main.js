// Section 6: what one training step of the two-tower is made of, on the wasm
// backend. Every kernel call is counted and timed (wrapped, so the times include one
// performance.now pair per call), next to the cost of crossing the JS→WASM boundary alone
// (a kernel call with nothing to do). Answers "how much would fusing the step into fewer
// calls save?" with measurements instead of a guess.

import { parseArgs } from '../lib/args.js';
import { num, table } from '../lib/format.js';
import { record } from '../lib/rows.js';
import { loadMovieLens, loadWasmrec } from '../lib/wasmrec.js';
import { MODELS } from '../train/models.js';

const opts = parseArgs();
const lib = await loadWasmrec();
const { dataset, train } = await loadMovieLens(lib);
const EPOCHS = opts.quick ? 2 : 3;

/** ns per call of a kernel with no work (relu over 0 values): the boundary crossing itself. */
function crossingNs(be) {
  const x = be.allocF32(4);
  const relu = be.kernels.relu;
  const calls = 2_000_000;
  for (let i = 0; i < 200_000; i++) relu(x.ptr, x.ptr, 0);
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) relu(x.ptr, x.ptr, 0);
  return ((performance.now() - t0) * 1e6) / calls;
}

/** Wraps every kernel of `be` to count calls and time while `on()` is true. */
function instrument(be, on) {
  const stats = new Map();
  for (const [name, fn] of Object.entries(be.kernels)) {
    be.kernels[name] = (...a) => {
      if (!on()) return fn(...a);
      const t0 = performance.now();
      const r = fn(...a);
      const s = stats.get(name) ?? { calls: 0, ms: 0 };
      s.calls++;
      s.ms += performance.now() - t0;
      stats.set(name, s);
      return r;
    };
  }
  return stats;
}

const lines = [];
for (const id of ['two-tower-mlp', 'two-tower-dot']) {
  const spec = MODELS.find((m) => m.id === id);
  const be = await lib.createBackend('wasm');
  const crossing = crossingNs(be);
  let measuring = false;
  const stats = instrument(be, () => measuring);
  const model = spec.build(lib, be, dataset, train).compile(spec.compile);
  const epochMs = [];
  let t0 = 0;
  await model.fit(train, {
    ...spec.fit, epochs: EPOCHS, batchSize: spec.batchSize, seed: 42,
    callbacks: {
      onEpochEnd: () => {
        if (measuring) epochMs.push(performance.now() - t0);
        // Epoch 0 warms up (allocation, tier-up); the later ones are measured.
        measuring = true;
        t0 = performance.now();
      },
    },
  });
  model.dispose();
  const steps = epochMs.length * Math.ceil(train.length / spec.batchSize);
  const wall = epochMs.reduce((a, b) => a + b, 0);
  const all = [...stats.values()];
  const calls = all.reduce((a, s) => a + s.calls, 0) / steps;
  const kernelMs = all.reduce((a, s) => a + s.ms, 0);
  const top = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 3);
  const gemmMs = ['denseForward', 'gemm', 'gemmNt', 'gemmTn'].reduce((a, k) => a + (stats.get(k)?.ms ?? 0), 0);
  const stepUs = (wall * 1000) / steps;
  const crossingUs = (calls * crossing) / 1000;
  lines.push([
    spec.label, num(stepUs), num(calls), `${num(crossing)} ns`, `${num(crossingUs)} µs (${num((100 * crossingUs) / stepUs, 2)} %)`,
    `${num((100 * kernelMs) / wall, 3)} %`, `${num((100 * gemmMs) / wall, 3)} %`,
    top.map(([k, s]) => `${k} ${num((100 * s.ms) / wall, 2)} %`).join(', '),
  ]);
  record({ section: 'step', model: id, system: 'wasmrec-wasm', features: be.features, threads: 1, step_us: stepUs, kernel_calls_per_step: calls, crossing_ns: crossing, crossing_share: crossingUs / stepUs, kernel_share: kernelMs / wall, gemm_share: gemmMs / wall });
}

console.log(`\n## Anatomy of a two-tower training step (wasm, MovieLens u1, batch 256; ${EPOCHS - 1} epoch${EPOCHS > 2 ? 's' : ''} measured after one warm-up)\n`);
console.log('- kernel calls wrapped and timed one by one (the wrapper adds ≈ 0.1 µs per call to the step); boundary = a call to `relu` over 0 values, the cost of entering and leaving WASM');
console.log('- GEMM = denseForward, gemm, gemmNt, gemmTn: the tower and head layers forward, dX and dW\n');
console.log(table(['model', 'step µs', 'kernel calls per step', 'boundary per call', 'boundary per step', 'time in kernels', 'time in GEMM', 'top kernels'], lines));
