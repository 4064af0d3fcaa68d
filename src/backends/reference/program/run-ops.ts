// Reference step-program interpreter (mirrors assembly/program/run-ops.ts and args.ts).
import type { Heap } from '../../heap.js';
import { KERNEL_NAMES, type Kernels } from '../../kernels.js';
import { KERNEL_ABI } from '../../kernel-abi.js';

/**
 * Runs the kernel calls listed at opsPtr ([index, argument count, mode word, arguments…]…)
 * on `kernels`; returns the sum of the f64 results. Arguments reach the kernels as the f64
 * values they are, exactly as a direct call from TypeScript passes them.
 */
export function runOps(h: Heap, kernels: Kernels, opsPtr: number, nValues: number, base: number): number {
  const buffer = h.u8.buffer;
  const ops = new Float64Array(buffer, opsPtr, nValues);
  const args: number[] = [];
  let total = 0;
  for (let p = 0; p < nValues; ) {
    const index = ops[p];
    const n = ops[p + 1];
    const modes = ops[p + 2];
    args.length = n;
    for (let a = 0; a < n; a++) {
      const v = ops[p + 3 + a];
      const mode = Math.floor(modes / 4 ** a) % 4;
      args[a] = mode === 0 ? v : mode === 1 ? v + base : mode === 2 ? new Float64Array(buffer, v, 1)[0] : new Int32Array(buffer, v, 1)[0];
    }
    const name = KERNEL_NAMES[index];
    if (name === 'runOps') throw new Error('runOps: step programs do not nest');
    const result = (kernels[name] as unknown as (...a: number[]) => number | void)(...args);
    if (KERNEL_ABI[index].result === 'f64') total += result as number;
    p += 3 + n;
  }
  return total;
}
