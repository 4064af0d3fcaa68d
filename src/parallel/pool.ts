// Threads over one shared WASM memory: the main thread and n − 1 workers each run one
// kernel call per job, synchronised with Atomics on a control block in that memory (no
// message per job, so a job costs microseconds, not a postMessage round trip).

import type { Kernels, KernelName } from '../backends/kernels.js';
import { KERNEL_NAMES } from '../backends/kernels.js';
import { GEN, HEADER_BYTES, MAX_ARGS, PENDING, runChunked, SLOT, SLOT_ARGS, SLOT_CHUNK, SLOT_KERNEL, SLOT_NARGS, SLOT_RANGE, SLOT_RESULT, STOP, type WorkerInit } from './protocol.js';
import { spawnWorker, type WorkerHandle } from './port.js';
import { jobFunctions, TASK_NAMES, type TaskFn, type TaskName } from './tasks.js';

/** One thread's share of a job: the kernel's arguments (numbers only, as for any kernel). */
export interface ThreadJob {
  args: number[];
}

/**
 * A pool of `threads` threads (this one included) sharing a backend's memory.
 *
 * @example
 * const be = await createBackend('wasm', { threads: 2 });
 * be.pool?.run('mfSgdChunk', jobs, 8, 1024); // one share per thread, summed results
 */
export class ThreadPool {
  private closed = false;
  private readonly jobs: TaskFn[];
  private cached: { buffer: ArrayBufferLike; ctl: Int32Array; slots: Float64Array } | null = null;

  private constructor(
    readonly threads: number,
    private readonly memory: WebAssembly.Memory,
    private readonly controlPtr: number,
    kernels: Kernels,
    private readonly workers: WorkerHandle[],
  ) {
    this.jobs = jobFunctions(KERNEL_NAMES, kernels, memory);
  }

  /**
   * Spawns `threads − 1` workers on `memory` (shared) running `module`; `controlPtr` is a
   * zeroed block of ThreadPool.controlBytes(threads) bytes in that memory; `workerUrl`
   * is the worker script (default: worker.js beside this module).
   */
  static async start(threads: number, module: WebAssembly.Module, memory: WebAssembly.Memory, controlPtr: number, kernels: Kernels, workerUrl?: URL | string): Promise<ThreadPool> {
    const url = workerUrl ? new URL(workerUrl, import.meta.url) : new URL('./worker.js', import.meta.url);
    const workers: WorkerHandle[] = [];
    try {
      for (let slot = 1; slot < threads; slot++) {
        const w = await spawnWorker(url);
        workers.push(w);
        await new Promise<void>((resolve, reject) => {
          w.onError(reject);
          w.onMessage((msg) => {
            const m = msg as { ready?: boolean; error?: string };
            if (m.error) reject(new Error(`wasmrec: pool worker failed: ${m.error}`));
            else if (m.ready) resolve();
          });
          w.post({ module, memory, controlPtr, slot } satisfies WorkerInit);
        });
      }
    } catch (err) {
      for (const w of workers) w.terminate();
      throw err;
    }
    return new ThreadPool(threads, memory, controlPtr, kernels, workers);
  }

  static controlBytes(threads: number): number {
    return HEADER_BYTES + threads * SLOT * 8;
  }

  /**
   * Runs `kernel` (a kernel or a task of ./tasks.ts) once per thread with jobs[t].args (thread 0 is the caller) and returns
   * the sum of what the calls return. With rangeArg ≥ 0, args[rangeArg] and
   * args[rangeArg + 1] are (start, count) and each thread calls the kernel per `chunk`.
   * Blocks until every thread is done (Atomics.wait; a spin where the main thread of a
   * browser page may not wait).
   */
  run(kernel: KernelName | TaskName, jobs: readonly ThreadJob[], rangeArg = -1, chunk = 0): number {
    if (jobs.length !== this.threads) throw new Error(`pool.run: ${jobs.length} jobs for ${this.threads} threads`);
    return this.execute(kernel, jobs, 0, rangeArg, chunk, null, 0);
  }

  /** Worker t runs jobs[t − first]; this thread runs main(mainArg), or its own job jobs[0]. */
  private execute(kernel: KernelName | TaskName, jobs: readonly ThreadJob[], first: number, rangeArg: number, chunk: number, main: ((arg: number) => number) | null, mainArg: number): number {
    if (this.closed) throw new Error('wasmrec: the thread pool was disposed');
    const { ctl, slots } = this.views();
    const index = jobIndex(kernel);
    for (let t = 1; t < this.threads; t++) {
      const args = jobs[t - first].args;
      if (args.length > MAX_ARGS) throw new Error(`pool.run: at most ${MAX_ARGS} kernel arguments`);
      const s = t * SLOT;
      slots[s + SLOT_KERNEL] = index;
      slots[s + SLOT_NARGS] = args.length;
      slots[s + SLOT_RANGE] = rangeArg;
      slots[s + SLOT_CHUNK] = chunk;
      slots.set(args, s + SLOT_ARGS);
    }
    Atomics.store(ctl, PENDING, this.threads - 1);
    Atomics.add(ctl, GEN, 1);
    Atomics.notify(ctl, GEN);
    let total = 0;
    try {
      // runChunked rewrites the range arguments: only then does thread 0 need a copy.
      total = main ? main(mainArg) : runChunked(this.jobs[index], rangeArg >= 0 ? [...jobs[0].args] : (jobs[0].args as number[]), rangeArg, chunk);
    } finally {
      // Even when this thread's share throws, the workers' shares must end before anyone
      // reuses the memory they are writing.
      this.waitForWorkers(ctl);
    }
    for (let t = 1; t < this.threads; t++) total += slots[t * SLOT + SLOT_RESULT];
    return total;
  }

  private waitForWorkers(ctl: Int32Array): void {
    for (let p = Atomics.load(ctl, PENDING); p !== 0; p = Atomics.load(ctl, PENDING)) {
      try {
        Atomics.wait(ctl, PENDING, p);
      } catch {
        // A browser's main thread may not block: spin on the counter instead.
      }
    }
  }

  /**
   * Runs `kernel` on threads 1..n−1 with jobs[t − 1].args while this thread runs
   * main(mainArg); returns main's result plus the others' (data-parallel training: the
   * caller computes its share of a batch while the workers compute theirs). Allocates
   * nothing: `main` is a function the caller keeps, its argument passed along.
   */
  runAlongside(main: (arg: number) => number, mainArg: number, kernel: KernelName | TaskName, jobs: readonly ThreadJob[]): number {
    if (jobs.length !== this.threads - 1) throw new Error(`pool.runAlongside: ${jobs.length} jobs for ${this.threads - 1} workers`);
    return this.execute(kernel, jobs, 1, -1, 0, main, mainArg);
  }

  /** Views of the control block, made again only after the memory grew. */
  private views(): { ctl: Int32Array; slots: Float64Array } {
    const buf = this.memory.buffer;
    if (this.cached?.buffer !== buf) {
      this.cached = {
        buffer: buf,
        ctl: new Int32Array(buf, this.controlPtr, HEADER_BYTES >> 2),
        slots: new Float64Array(buf, this.controlPtr + HEADER_BYTES, this.threads * SLOT),
      };
    }
    return this.cached;
  }

  /** Stops the workers (they exit their wait loop). */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    const ctl = new Int32Array(this.memory.buffer, this.controlPtr, HEADER_BYTES >> 2);
    Atomics.store(ctl, STOP, 1);
    Atomics.add(ctl, GEN, 1);
    Atomics.notify(ctl, GEN);
    for (const w of this.workers) w.terminate();
  }
}

/** The index of a kernel or task in the order jobFunctions lists them. */
function jobIndex(name: KernelName | TaskName): number {
  const k = KERNEL_NAMES.indexOf(name as KernelName);
  if (k >= 0) return k;
  const t = TASK_NAMES.indexOf(name as TaskName);
  if (t < 0) throw new Error(`pool.run: no kernel or task named ${name}`);
  return KERNEL_NAMES.length + t;
}

/**
 * Whether this engine can run the pool: SharedArrayBuffer, shared WebAssembly.Memory and
 * (in browsers) cross-origin isolation, which pages get with the COOP/COEP headers.
 */
export function threadsSupported(): boolean {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return false;
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) return false;
  try {
    return new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}
