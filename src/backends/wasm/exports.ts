// Maps WASM export names (`family_op_words_dtype`) to kernel names (`opWords`).

import type { Kernels, KernelName } from '../kernels.js';
import { KERNEL_NAMES } from '../kernels.js';

/** Exports of the module that are not kernels. */
export const NON_KERNEL_EXPORTS = new Set(['memory', 'heapBase']);

/** `optim_adam_sparse_f32` → `adamSparse`: drop the family and the dtype, camelCase the rest. */
export function kernelNameOf(exportName: string): string {
  const words = exportName.split('_').slice(1, -1);
  return words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
}

/** Picks the kernels out of an instance's exports, failing loudly if one is missing. */
export function kernelsFromExports(exports: Record<string, unknown>): Kernels {
  const found = new Map<string, unknown>();
  for (const [name, value] of Object.entries(exports)) {
    if (NON_KERNEL_EXPORTS.has(name) || typeof value !== 'function') continue;
    found.set(kernelNameOf(name), value);
  }
  const kernels: Partial<Record<KernelName, unknown>> = {};
  for (const name of KERNEL_NAMES) {
    const fn = found.get(name);
    if (!fn) throw new Error(`wasmrec: the WASM module has no export for kernel '${name}'`);
    kernels[name] = fn;
  }
  return kernels as Kernels;
}
