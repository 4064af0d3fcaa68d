// Runs a recorded step program (src/backends/program.ts) in one call from JavaScript.

import { dispatch } from './dispatch';

/**
 * Runs the kernel calls listed at opsPtr: nValues f64 of [kernel index, argument count,
 * mode word, arguments…]… (see ./args.ts for the modes; `base` is added to mode-1
 * arguments). Returns the sum of the f64 results (the step's loss).
 */
export function program_run_ops_f64(opsPtr: usize, nValues: i32, base: f64): f64 {
  const end = opsPtr + (<usize>nValues << 3);
  let p = opsPtr;
  let total: f64 = 0;
  while (p < end) {
    const index = <i32>load<f64>(p);
    const n = <i32>load<f64>(p, 8);
    const modes = <u32>load<f64>(p, 16);
    total += dispatch(index, p + 24, modes, base);
    p += 24 + (<usize>n << 3);
  }
  return total;
}
