// Choosing and creating a backend.

import type { Backend, BackendName } from './backend.js';
import { createReferenceBackend } from './reference/index.js';
import { createWasmBackend, type WasmOptions } from './wasm/index.js';

export type { Backend, BackendName, F32Buf, I32Buf, Buf } from './backend.js';
export type { WasmOptions } from './wasm/index.js';
export type { WasmInput } from './wasm/source.js';

/**
 * Creates a compute backend. Each call returns an independent one (own memory), so
 * several models and workers can coexist.
 *
 * @example
 * const wasm = await createBackend('wasm');
 * const js = await createBackend('js'); // plain TypeScript reference
 */
export async function createBackend(name: BackendName = 'wasm', options: WasmOptions = {}): Promise<Backend> {
  if (name === 'js') return createReferenceBackend();
  if (name === 'wasm') return createWasmBackend(options);
  throw new Error(`wasmrec: unknown backend '${String(name)}' (expected 'wasm' or 'js')`);
}
