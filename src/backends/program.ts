// Step programs: kernel calls recorded once and replayed inside WASM. A step's kernel calls
// become a list in backend memory, and one `runOps` call (assembly/program/) runs the whole
// list, so a step crosses the JS/WASM boundary once instead of once per kernel. Only the
// heap and the kernel ABI are used here; what a training step records (the optimizer's
// update) is in ../training/batch-steps.ts and ../training/optimizer.ts.
//
// What changes from batch to batch is not in the list as a value:
// - the batch's rows: the step is recorded with start = SYMBOLIC_START, which puts every
//   address inside the epoch's columns (one i32 or f32 per example) at or past BATCH_BASE;
//   those arguments are stored relative to the batch (mode 1) and runOps adds 4·start back;
// - per-step scalars (learning rate, Adam's bias corrections) and the rows a step touched:
//   read by runOps from memory cells the TypeScript side writes before the run (modes 2, 3);
// - random draws (dropout masks): `beforeRun` hooks redraw them before each run;
// - a row count that differs per batch: recorded as SYMBOLIC_COUNT, every argument derived
//   from it becomes an i32 cell that `setCount` fills before the run (./program-counts.ts).

import type { Heap } from './heap.js';
import { KERNEL_NAMES, type KernelName, type Kernels } from './kernels.js';
import { KERNEL_ABI } from './kernel-abi.js';
import { CountCells, isSymbolicCount } from './program-counts.js';

/** Byte offset added to every batch address while a step is recorded (above any real address of a 32-bit memory). */
export const BATCH_BASE = 2 ** 33;
/** The batch start a step is recorded with: 4·SYMBOLIC_START = BATCH_BASE. */
export const SYMBOLIC_START = BATCH_BASE / 4;

/** How runOps reads an argument (assembly/program/args.ts). */
export const ARG = { value: 0, batch: 1, f64Cell: 2, i32Cell: 3 } as const;
export type ArgMode = (typeof ARG)[keyof typeof ARG];

const INDEX = new Map(KERNEL_NAMES.map((name, i) => [name, i]));

/** What a program runs on: a backend's heap and kernels (a Backend is one). */
export interface ProgramHost {
  readonly heap: Heap;
  readonly kernels: Kernels;
}

/** A list of kernel calls in backend memory: [index, argument count, mode word, arguments…]… as f64. */
export class OpList {
  ptr = 0;
  length = 0;
  private capacity = 0;
  /** Cells of the arguments derived from a symbolic count (made on first use). */
  private counts: CountCells | null = null;

  constructor(private readonly heap: Heap) {}

  /** Appends a call; modes[a] says how runOps reads argument a (default: as is, or relative to the batch when at or past BATCH_BASE). */
  push(name: KernelName, args: readonly number[], modes: readonly ArgMode[] = []): void {
    const index = INDEX.get(name)!;
    const sig = KERNEL_ABI[index];
    if (args.length !== sig.params.length) throw new Error(`step program: ${name} takes ${sig.params.length} arguments, got ${args.length}`);
    const values = args.slice();
    let word = 0;
    for (let a = 0; a < args.length; a++) {
      let v = args[a];
      let mode: number = modes[a] ?? ARG.value;
      // Float arguments are never counts (a loss scale 1/count goes in an f64 cell).
      if (mode === ARG.value && isSymbolicCount(v) && (sig.params[a] === 'i32' || sig.params[a] === 'usize')) {
        this.counts ??= new CountCells(this.heap);
        v = this.counts.cellOf(v, `argument ${a} of ${name}`);
        mode = ARG.i32Cell;
      } else if (mode === ARG.value && v >= BATCH_BASE) {
        if (sig.params[a] !== 'usize') throw new Error(`step program: argument ${a} of ${name} (${sig.params[a]}) depends on the batch start`);
        if (v >= 2 * BATCH_BASE) throw new Error(`step program: argument ${a} of ${name} moves more than 4 bytes per batch row (batch columns hold one i32 or f32 per example)`);
        v -= BATCH_BASE;
        mode = ARG.batch;
      }
      word += mode * 4 ** a;
      values[a] = v;
    }
    // After the cells above: an allocation may grow the memory and detach older views.
    this.reserve(3 + args.length);
    const ops = new Float64Array(this.heap.u8.buffer, this.ptr, this.capacity);
    ops[this.length] = index;
    ops[this.length + 1] = args.length;
    ops.set(values, this.length + 3);
    ops[this.length + 2] = word;
    this.length += 3 + args.length;
  }

  /** Writes the count of the batch about to run into the cells of the arguments derived from it. */
  setCount(count: number): void {
    this.counts?.set(count);
  }

  dispose(): void {
    if (this.ptr) this.heap.free(this.ptr);
    this.ptr = 0;
    this.length = this.capacity = 0;
    this.counts?.dispose();
    this.counts = null;
  }

  private reserve(more: number): void {
    if (this.length + more <= this.capacity) return;
    const capacity = Math.max(this.length + more, 2 * this.capacity, 512);
    const ptr = this.heap.alloc(8 * capacity);
    if (this.ptr) {
      new Float64Array(this.heap.u8.buffer, ptr, this.length).set(new Float64Array(this.heap.u8.buffer, this.ptr, this.length));
      this.heap.free(this.ptr);
    }
    this.ptr = ptr;
    this.capacity = capacity;
  }
}

/**
 * A recorded step: its call list, the hooks that refresh its per-run inputs, and the pool
 * job that runs it on a worker (`runOps(ptr, length, base)`).
 */
export class StepProgram {
  readonly ops: OpList;
  private readonly hooks: (() => void)[] = [];
  readonly job = { args: [0, 0, 0] };

  constructor(private readonly backend: ProgramHost) {
    this.ops = new OpList(backend.heap);
  }

  /** Runs `hook` before every run (e.g. a dropout layer drawing its mask). */
  beforeRun(hook: () => void): void {
    this.hooks.push(hook);
  }

  /** Runs the hooks, then sets the job for the batch starting at `start`; a worker runs it. */
  prepare(start: number): { args: number[] } {
    for (const h of this.hooks) h();
    this.job.args[0] = this.ops.ptr;
    this.job.args[1] = this.ops.length;
    this.job.args[2] = 4 * start;
    return this.job;
  }

  /**
   * Runs the step for the batch starting at `start` on this thread: one call into the
   * kernels; returns the summed loss. (A property, so it can be handed to the pool
   * without a closure per step.)
   */
  readonly run = (start: number): number => {
    this.prepare(start);
    return this.backend.kernels.runOps(this.ops.ptr, this.ops.length, 4 * start);
  };

  dispose(): void {
    this.ops.dispose();
  }
}

/**
 * Kernels that append each call to a StepProgram while recording and run it otherwise. A
 * recorded step must use no kernel result (its loss is summed by runOps; rows are marked
 * with markRows, whose count stays in memory) and write backend memory only through
 * kernels or `beforeRun` hooks.
 */
export class KernelRecorder {
  readonly kernels: Kernels;
  private program: StepProgram | null = null;

  constructor(real: Kernels) {
    const kernels: Record<string, unknown> = {};
    KERNEL_NAMES.forEach((name, index) => {
      const fn = real[name] as unknown as (...a: number[]) => number | void;
      const arity = KERNEL_ABI[index].params.length;
      // Fixed parameters, no rest array: a call that is not recorded allocates nothing.
      kernels[name] = (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number, i: number, j: number, k: number, l: number, m: number, n: number, o: number, p: number) => {
        const program = this.program;
        if (program === null) return fn(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p);
        program.ops.push(name, [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p].slice(0, arity));
        return 0;
      };
    });
    this.kernels = kernels as unknown as Kernels;
  }

  /** The program being recorded, or null. */
  get recording(): StepProgram | null {
    return this.program;
  }

  /** Records what `step` calls into `program` (appending to what it holds). */
  record(program: StepProgram, step: () => void): void {
    if (this.program) throw new Error('step program: already recording');
    this.program = program;
    try {
      step();
    } finally {
      this.program = null;
    }
  }
}


/**
 * Recorded programs by batch size, recorded on first use; past `keep` sizes the oldest is
 * dropped (an epoch has its full batches and a tail, whose size may change per epoch).
 */
export class ProgramCache<P extends { dispose(): void }> {
  private readonly byRows = new Map<number, P>();

  /** `record(rows)` records the program of a batch of that many rows. */
  constructor(
    private readonly record: (rows: number) => P,
    private readonly keep = 3,
  ) {}

  get(rows: number): P {
    let p = this.byRows.get(rows);
    if (p) return p;
    if (this.byRows.size >= this.keep) {
      const [oldest, q] = this.byRows.entries().next().value!;
      q.dispose();
      this.byRows.delete(oldest);
    }
    p = this.record(rows);
    this.byRows.set(rows, p);
    return p;
  }

  clear(): void {
    for (const p of this.byRows.values()) p.dispose();
    this.byRows.clear();
  }
}

/** An argument a recorded call reads from memory: its index, how (ARG.i32Cell or ARG.f64Cell) and the cell's address. */
export type CellArg = readonly [index: number, mode: ArgMode, ptr: number];

/**
 * Calls kernel `name` with `values` now; while `recorder` records, appends the call instead,
 * with the arguments listed in `cells` read from their memory cells when the program runs
 * (per-batch counts and offsets, written before each run). Returns the kernel's result (0
 * when recorded).
 */
export function callWithCells(kernels: Kernels, recorder: KernelRecorder | null, name: KernelName, values: readonly number[], cells: readonly CellArg[]): number {
  const program = recorder?.recording;
  if (!program) return (kernels[name] as (...a: number[]) => number)(...values) ?? 0;
  const args = values.slice();
  const modes: ArgMode[] = [];
  for (const [i, mode, ptr] of cells) {
    args[i] = ptr;
    modes[i] = mode;
  }
  program.ops.push(name, args, modes);
  return 0;
}
