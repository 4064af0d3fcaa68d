// How many generated cases each property test runs, and with which seed: a bounded number in
// `npm test`, ≥ 10,000 per target in `npm run fuzz` (WASMREC_FUZZ_RUNS), reproducible by seed.

/** Cases per property: WASMREC_FUZZ_RUNS, else `quick` (what `npm test` runs). */
export function fuzzRuns(quick = 200): number {
  const n = Number(process.env.WASMREC_FUZZ_RUNS);
  return Number.isInteger(n) && n > 0 ? n : quick;
}

/** The seed fast-check starts from: WASMREC_FUZZ_SEED, else a fixed one so CI is repeatable. */
export function fuzzSeed(): number {
  const n = Number(process.env.WASMREC_FUZZ_SEED);
  return Number.isInteger(n) ? n : 20261203;
}

/** Whether this run is `npm run fuzz` (long runs print a summary per target). */
export const FUZZING = process.env.WASMREC_FUZZ_RUNS !== undefined;
