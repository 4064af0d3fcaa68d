// The WASM backend: compiles (once per flavour) and instantiates the AssemblyScript core.

import { instantiate } from '@assemblyscript/loader';
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

/** Instantiates a fresh WASM core with its own memory and returns a backend over it. */
export async function createWasmBackend(options: WasmOptions = {}): Promise<Backend> {
  const flavor = options.flavor ?? detectSimdFlavor();
  const module = options.wasm ? await compileWasm(options.wasm) : await bundledModule(flavor);
  const { exports } = await instantiate<Record<string, unknown>>(module, {});
  const memory = exports.memory as WebAssembly.Memory;
  const heapBase = (exports.heapBase as () => number)();
  const heap = new Heap(wasmLinearMemory(memory), heapBase);
  const features = options.wasm && !options.flavor ? 'custom' : flavor === 'relaxed' ? 'relaxed-simd' : 'simd';
  return new Backend('wasm', kernelsFromExports(exports), heap, features);
}
