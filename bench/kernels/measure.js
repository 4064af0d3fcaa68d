// Times several systems on the same operation, alternating them sample by sample so that
// drift (frequency, other processes, GC) hits all of them alike.

import { summarize } from '../lib/stats.js';

/**
 * Each runner is { name, run } where run() makes one call. Returns, per runner, a summary
 * of seconds per call over `samples` samples of about `sampleMs` each, after `warmupMs`
 * of warm-up (V8 first runs WASM and JS with baseline tiers; docs/performance-notes.md: the
 * baseline tier runs ~4× slower, so unwarmed samples would measure the compiler, not the kernel).
 */
export function measureAlternating(runners, { samples, sampleMs, warmupMs }) {
  const iters = runners.map((r) => callsPerSample(r.run, sampleMs, warmupMs));
  const perCall = runners.map(() => []);
  for (let s = 0; s < samples; s++) {
    for (let j = 0; j < runners.length; j++) {
      // Rotate who goes first, so no system always runs right after the same other one.
      const k = (j + s) % runners.length;
      const { run } = runners[k];
      const n = iters[k];
      const t0 = performance.now();
      for (let i = 0; i < n; i++) run();
      perCall[k].push((performance.now() - t0) / 1000 / n);
    }
  }
  return perCall.map(summarize);
}

/** Warms `run` up for warmupMs, then sizes a sample to last about sampleMs. */
function callsPerSample(run, sampleMs, warmupMs) {
  const start = performance.now();
  let calls = 0;
  do {
    run();
    calls++;
  } while (performance.now() - start < warmupMs);
  let n = Math.max(1, calls >> 2);
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) run();
    const ms = performance.now() - t0;
    if (ms >= sampleMs / 4 || n >= 1 << 24) return Math.max(1, Math.round((n * sampleMs) / Math.max(ms, 1e-3)));
    n *= 2;
  }
}

/** Turns a seconds-per-call summary into a rate summary (work per second). */
export function rateOf(secondsPerCall, workPerCall) {
  return {
    median: workPerCall / secondsPerCall.median,
    min: workPerCall / secondsPerCall.max,
    max: workPerCall / secondsPerCall.min,
    n: secondsPerCall.n,
  };
}
