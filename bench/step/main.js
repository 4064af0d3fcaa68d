// Section 6: what one training step of the two-tower is made of, on the wasm
// backend. The step as wasmrec runs it (a recorded step program: one call into WASM per
// batch) is timed next to the same step called kernel by kernel from TypeScript
// (stepPrograms: false); in a third run every kernel call of that kernel-by-kernel step is
// counted and timed (wrapped, so the times include one performance.now pair per call),
// next to the cost of crossing the JS→WASM boundary alone (a kernel call with nothing to do).

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

/** Trains EPOCHS epochs; returns the summed time of the epochs after the first and the number of steps in them. */
async function timeSteps(spec, be, extra, onMeasure = () => {}) {
  const model = spec.build(lib, be, dataset, train, extra).compile(spec.compile);
  const epochMs = [];
  let t0 = 0;
  let measuring = false;
  await model.fit(train, {
    ...spec.fit, epochs: EPOCHS, batchSize: spec.batchSize, seed: 42,
    callbacks: {
      onEpochEnd: () => {
        if (measuring) epochMs.push(performance.now() - t0);
        // Epoch 0 warms up (allocation, recording, tier-up); the later ones are measured.
        measuring = true;
        onMeasure();
        t0 = performance.now();
      },
    },
  });
  model.dispose();
  return { wall: epochMs.reduce((a, b) => a + b, 0), steps: epochMs.length * Math.ceil(train.length / spec.batchSize) };
}

const lines = [];
for (const id of ['two-tower-mlp', 'two-tower-dot']) {
  const spec = MODELS.find((m) => m.id === id);
  // The step as trained: counted (one wrapper call per crossing costs ≈ nothing at one call per step).
  const be = await lib.createBackend('wasm');
  const crossing = crossingNs(be);
  let countingProgram = false;
  const programStats = instrument(be, () => countingProgram);
  const program = await timeSteps(spec, be, {}, () => (countingProgram = true));
  const programCalls = [...programStats.values()].reduce((a, s) => a + s.calls, 0) / program.steps;
  // The same step kernel by kernel, untouched, then instrumented.
  const direct = await timeSteps(spec, await lib.createBackend('wasm'), { stepPrograms: false });
  const beI = await lib.createBackend('wasm');
  let measuring = false;
  const stats = instrument(beI, () => measuring);
  const timed = await timeSteps(spec, beI, { stepPrograms: false }, () => (measuring = true));
  const all = [...stats.values()];
  const calls = all.reduce((a, s) => a + s.calls, 0) / timed.steps;
  const kernelMs = all.reduce((a, s) => a + s.ms, 0);
  const top = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 3);
  const gemmMs = ['denseForward', 'gemm', 'gemmNt', 'gemmTn'].reduce((a, k) => a + (stats.get(k)?.ms ?? 0), 0);
  const programUs = (program.wall * 1000) / program.steps;
  const directUs = (direct.wall * 1000) / direct.steps;
  lines.push([
    spec.label, num(programUs), num(programCalls), num(directUs), num(calls), `${num(directUs / programUs, 3)}×`, `${num(crossing)} ns`,
    `${num((100 * kernelMs) / timed.wall, 3)} %`, `${num((100 * gemmMs) / timed.wall, 3)} %`,
    top.map(([k, s]) => `${k} ${num((100 * s.ms) / timed.wall, 2)} %`).join(', '),
  ]);
  record({
    section: 'step', model: id, system: 'wasmrec-wasm', features: be.features, threads: 1,
    step_us: programUs, crossings_per_step: programCalls, direct_step_us: directUs, kernel_calls_per_step: calls,
    program_speedup: directUs / programUs, crossing_ns: crossing, kernel_share: kernelMs / timed.wall, gemm_share: gemmMs / timed.wall,
  });
}

console.log(`\n## Anatomy of a two-tower training step (wasm, MovieLens u1, batch 256; ${EPOCHS - 1} epoch${EPOCHS > 2 ? 's' : ''} measured after one warm-up)\n`);
console.log('- program: the step as wasmrec trains it, recorded once and run per batch by one `runOps` call (forward, loss, backward, Adam update); crossings = calls from JS into WASM per step');
console.log('- kernel by kernel: the same step with `stepPrograms: false`, each kernel called from TypeScript; its calls are then wrapped and timed one by one (≈ 0.1 µs added per call) for the shares');
console.log('- boundary = a call to `relu` over 0 values, the cost of entering and leaving WASM; GEMM = denseForward, gemm, gemmNt, gemmTn\n');
console.log(table(['model', 'program step µs', 'crossings per step', 'kernel-by-kernel step µs', 'kernel calls per step', 'program speed-up', 'boundary per call', 'time in kernels', 'time in GEMM', 'top kernels'], lines));
