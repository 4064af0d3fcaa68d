// A wasm backend over shared memory with a ThreadPool: the build made with
// `--sharedMemory --importMemory` (asconfig target "shared") on a shared WebAssembly.Memory
// that every worker instantiates the same module on.

import { Backend } from '../backends/backend.js';
import { Heap, wasmLinearMemory } from '../backends/heap.js';
import { kernelsFromExports } from '../backends/wasm/exports.js';
import { compileWasm, type WasmInput } from '../backends/wasm/source.js';
import { ThreadPool } from './pool.js';

/** Pages of the shared memory: asconfig's shared target declares the same bounds. */
const INITIAL_PAGES = 16;
/** 1 GiB: a shared memory must declare its maximum, which engines reserve up front. */
const MAXIMUM_PAGES = 16384;

let bundled: Promise<WebAssembly.Module> | null = null;

/** Compiles the bundled shared-memory build once per process or worker. */
function sharedModule(): Promise<WebAssembly.Module> {
  bundled ??= compileWasm(new URL('../../build/wasmrec.shared.wasm', import.meta.url));
  return bundled;
}

/** Instantiates the shared-memory core and starts `threads − 1` workers on its memory. */
export async function createSharedWasmBackend(threads: number, wasm?: WasmInput, workerUrl?: URL | string): Promise<Backend> {
  const module = wasm ? await compileWasm(wasm) : await sharedModule();
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const exports = instance.exports as Record<string, unknown>;
  const heap = new Heap(wasmLinearMemory(memory), (exports.heapBase as () => number)());
  const kernels = kernelsFromExports(exports);
  const controlPtr = heap.alloc(ThreadPool.controlBytes(threads));
  const pool = await ThreadPool.start(threads, module, memory, controlPtr, kernels, workerUrl);
  return new Backend('wasm', kernels, heap, 'simd-shared', pool);
}
