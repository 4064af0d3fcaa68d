// The WASM backend: compiles (once per flavour) and instantiates the AssemblyScript core.

import { Backend } from '../backend.js';
import { Heap, wasmLinearMemory } from '../heap.js';
import { kernelsFromExports } from './exports.js';
import { detectSimdFlavor, type SimdFlavor } from './features.js';
import { compileWasm, defaultWasmUrl, type WasmInput } from './source.js';

export interface WasmOptions {
  /** A compiled module, bytes, or a URL of the .wasm file; defaults to the bundled build. */
  wasm?: WasmInput;
  /**
   * Force a build; by default relaxed SIMD where the engine supports it, else SIMD. Given
   * with `wasm`, names the build handed in, so that `backend.features` can report it.
   */
  flavor?: SimdFlavor;
  /**
   * Threads (default 1). With n > 1 the backend uses the shared-memory build and n − 1
   * workers (Node worker_threads or Web Workers; browsers need cross-origin isolation);
   * where shared memory is unavailable it silently stays on one thread (see
   * `backend.threads`). Models that can use the threads do: MF's per-example SGD (DSGD)
   * and the two-tower with mse, bce or bpr at ≥ 256 batch rows per thread (data-parallel
   * replicas).
   */
  threads?: number;
  /** The shared-memory build (bytes, Module or URL) for `threads`; defaults to the bundled one. */
  sharedWasm?: WasmInput;
  /**
   * URL of the pool's worker script (dist/parallel/worker.js); by default the one beside the
   * library. Bundles for browsers pass the URL of the worker chunk they emit.
   */
  workerUrl?: URL | string;
}

// A compiled Module is immutable and safe to share; instances (and their memories) are not.
const compiled = new Map<SimdFlavor, Promise<WebAssembly.Module>>();

/** Compiles the bundled build of `flavor`, once per process or worker. */
export function bundledModule(flavor: SimdFlavor): Promise<WebAssembly.Module> {
  let mod = compiled.get(flavor);
  if (!mod) {
    mod = compileWasm(defaultWasmUrl(flavor));
    compiled.set(flavor, mod);
    mod.catch(() => compiled.delete(flavor));
  }
  return mod;
}

/**
 * AssemblyScript's `abort(message, file, line, column)` import. The kernels are built with
 * assertions off and never abort on data; this only reports a bug in the core clearly.
 * Strings are AssemblyScript's: UTF-16 with the byte length stored just before them.
 */
function abortImport(memory: () => WebAssembly.Memory) {
  const text = (ptr: number) => {
    if (!ptr) return '';
    const buf = memory().buffer;
    const bytes = new Uint32Array(buf, ptr - 4, 1)[0];
    return String.fromCharCode(...new Uint16Array(buf, ptr, bytes >>> 1));
  };
  return (message: number, file: number, line: number, column: number): never => {
    throw new Error(`wasmrec core aborted: ${text(message)} at ${text(file)}:${line}:${column}`);
  };
}

/** Instantiates a fresh WASM core with its own memory and returns a backend over it. */
export async function createWasmBackend(options: WasmOptions = {}): Promise<Backend> {
  const flavor = options.flavor ?? detectSimdFlavor();
  const module = options.wasm ? await compileWasm(options.wasm) : await bundledModule(flavor);
  let memoryOf: () => WebAssembly.Memory = () => {
    throw new Error('wasmrec core aborted while instantiating');
  };
  const instance: WebAssembly.Instance = await WebAssembly.instantiate(module, { env: { abort: abortImport(() => memoryOf()) } });
  memoryOf = () => instance.exports.memory as WebAssembly.Memory;
  const exports = instance.exports as Record<string, unknown>;
  const memory = exports.memory as WebAssembly.Memory;
  const heapBase = (exports.heapBase as () => number)();
  const heap = new Heap(wasmLinearMemory(memory), heapBase);
  const features = options.wasm && !options.flavor ? 'custom' : flavor === 'relaxed' ? 'relaxed-simd' : 'simd';
  return new Backend('wasm', kernelsFromExports(exports), heap, features);
}
