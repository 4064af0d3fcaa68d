// Choosing and creating a backend.

import type { Backend, BackendName } from './backend.js';
import { createReferenceBackend } from './reference/index.js';
import { createWasmBackend, type WasmOptions } from './wasm/index.js';

export type { Backend, BackendFeatures, BackendName, F32Buf, I32Buf, Buf } from './backend.js';
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
  if (name === 'wasm') {
    const threads = options.threads ?? 1;
    if (!(Number.isInteger(threads) && threads >= 1)) throw new Error(`wasmrec: threads must be an integer ≥ 1, got ${threads}`);
    if (threads > 1) {
      const { threadsSupported } = await import('../parallel/pool.js');
      if (threadsSupported()) {
        const { createSharedWasmBackend } = await import('../parallel/shared-backend.js');
        return createSharedWasmBackend(threads, options.sharedWasm, options.workerUrl);
      }
    }
    return createWasmBackend(options);
  }
  throw new Error(`wasmrec: unknown backend '${String(name)}' (expected 'wasm' or 'js')`);
}
