// The layout of the control block that the main thread and the workers of a ThreadPool
// share in WASM memory: a job generation counter, a pending count and per-thread slots.

/** Int32 indices into the control block. */
export const GEN = 0;
export const PENDING = 1;
export const STOP = 2;
/** Bytes before the first slot (keeps the Float64 slots 8-byte aligned). */
export const HEADER_BYTES = 16;
/** Float64 cells per thread: kernel index, arg count, range arg index, chunk, 20 args, result. */
export const SLOT = 32;
export const MAX_ARGS = 24;
export const SLOT_KERNEL = 0;
export const SLOT_NARGS = 1;
export const SLOT_RANGE = 2;
export const SLOT_CHUNK = 3;
export const SLOT_ARGS = 4;
export const SLOT_RESULT = SLOT - 1;

/** The first message a worker receives. */
export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  controlPtr: number;
  slot: number;
}

/**
 * Runs kernel `fn` over examples [start, start + count) in calls of at most `chunk`
 * examples (start and count are args[rangeArg] and args[rangeArg + 1]), summing what the
 * calls return. Per-chunk calls let V8 tier the kernel up between calls (docs/performance-notes.md).
 */
export function runChunked(fn: (...args: number[]) => number | void, args: number[], rangeArg: number, chunk: number): number {
  if (rangeArg < 0 || chunk <= 0) return Number(fn.apply(null, args) ?? 0);
  const start = args[rangeArg];
  const end = start + args[rangeArg + 1];
  let total = 0;
  for (let s = start; s < end; s += chunk) {
    args[rangeArg] = s;
    args[rangeArg + 1] = Math.min(chunk, end - s);
    total += Number(fn.apply(null, args) ?? 0);
  }
  return total;
}
