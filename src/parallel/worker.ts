// A ThreadPool worker (Node worker_threads or a browser Web Worker, same code): it
// instantiates the shared-memory core on the pool's memory, then waits on the control
// block for jobs and runs its slot's kernel call or task. No Node API is imported here.

import { kernelsFromExports } from '../backends/wasm/exports.js';
import { KERNEL_NAMES } from '../backends/kernels.js';
import { GEN, HEADER_BYTES, PENDING, runChunked, SLOT, SLOT_ARGS, SLOT_CHUNK, SLOT_KERNEL, SLOT_NARGS, SLOT_RANGE, SLOT_RESULT, STOP, type WorkerInit } from './protocol.js';
import { workerPort } from './port.js';
import { jobFunctions } from './tasks.js';

async function serve(init: WorkerInit, reply: (msg: unknown) => void): Promise<void> {
  const instance = await WebAssembly.instantiate(init.module, { env: { memory: init.memory } });
  const jobs = jobFunctions(KERNEL_NAMES, kernelsFromExports(instance.exports as Record<string, unknown>), init.memory);
  // Views made again only after the memory grew (a job per training step must not allocate).
  let views: { buffer: ArrayBufferLike; ctl: Int32Array; slot: Float64Array } | null = null;
  const current = () => {
    const buffer = init.memory.buffer;
    if (views?.buffer !== buffer) {
      views = { buffer, ctl: new Int32Array(buffer, init.controlPtr, HEADER_BYTES >> 2), slot: new Float64Array(buffer, init.controlPtr + HEADER_BYTES + init.slot * SLOT * 8, SLOT) };
    }
    return views;
  };
  const args: number[] = [];
  let seen = Atomics.load(current().ctl, GEN);
  reply({ ready: true });
  for (;;) {
    Atomics.wait(current().ctl, GEN, seen);
    const { ctl: c, slot } = current();
    seen = Atomics.load(c, GEN);
    if (Atomics.load(c, STOP)) return;
    const nArgs = slot[SLOT_NARGS];
    if (nArgs >= 0) {
      args.length = nArgs;
      for (let a = 0; a < nArgs; a++) args[a] = slot[SLOT_ARGS + a];
      slot[SLOT_RESULT] = runChunked(jobs[slot[SLOT_KERNEL]], args, slot[SLOT_RANGE], slot[SLOT_CHUNK]);
    }
    if (Atomics.sub(c, PENDING, 1) === 1) Atomics.notify(c, PENDING);
  }
}

const port = await workerPort();
port.onMessage((msg) => {
  serve(msg as WorkerInit, port.post).catch((err: unknown) => port.post({ error: String((err as Error)?.stack ?? err) }));
});
