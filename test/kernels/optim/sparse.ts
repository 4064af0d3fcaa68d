// Shared parity check for the lazy sparse optimizers: several steps over changing row
// subsets, then the consumed gradients must be zero and unlisted rows untouched.
import { expect } from 'vitest';
import { Twin, testRng } from '../twin.js';
import type { Kernels } from '../../../src/backends/kernels.js';

export interface SparseStep {
  k: Kernels;
  p: (name: string) => number;
  grad: string;
  rows: string;
  nRows: number;
  /** 1-based step count (Adam's t). */
  t: number;
}

/** Table rows; the last NEVER_LISTED rows are never passed to the optimizer. */
const ROWS = 13;
const NEVER_LISTED = 2;
const STEPS = 4;

function bits(a: ArrayLike<number>): Int32Array {
  return new Int32Array(Float32Array.from(a).buffer);
}

/**
 * Runs `step` STEPS times on both backends. `states` names the optimizer's state
 * tensors (same shape as the parameter); `positive` ones start ≥ 0 (second moments).
 */
export async function checkSparseOptimizer(
  dim: number,
  seed: number,
  states: { name: string; positive?: boolean }[],
  step: (s: SparseStep) => void,
): Promise<void> {
  const rng = testRng(seed);
  const size = ROWS * dim;
  const t = await Twin.create();
  const initial = new Map<string, Float32Array>();
  initial.set('param', rng.f32(size));
  for (const s of states) {
    const x = rng.f32(size, 0.1);
    initial.set(s.name, s.positive ? x.map(Math.abs) : x);
  }
  for (const [name, data] of initial) t.put(name, data);

  for (let s = 0; s < STEPS; s++) {
    const candidates = Array.from({ length: ROWS - NEVER_LISTED }, (_, i) => i);
    for (let i = candidates.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [candidates[i], candidates[j]] = [candidates[j], candidates[i]];
    }
    const listed = Int32Array.from(candidates.slice(0, 1 + rng.int(candidates.length)));
    const grad = rng.f32(size);
    t.put(`rows${s}`, listed).put(`grad${s}`, grad);
    t.run((k, p) => step({ k, p, grad: `grad${s}`, rows: `rows${s}`, nRows: listed.length, t: s + 1 }));

    for (const name of initial.keys()) t.expectClose(name, { label: `${name} after step ${s + 1}` });
    for (const side of ['wasm', 'js'] as const) {
      const after = bits(t.get(side, `grad${s}`));
      const before = bits(grad);
      const isListed = new Set(listed);
      for (let r = 0; r < ROWS; r++) {
        const slice = (a: Int32Array) => Array.from(a.subarray(r * dim, (r + 1) * dim));
        if (isListed.has(r)) expect(slice(after), `${side} grad row ${r} consumed`).toEqual(new Array(dim).fill(0));
        else expect(slice(after), `${side} grad row ${r} untouched`).toEqual(slice(before));
      }
    }
  }

  for (const side of ['wasm', 'js'] as const) {
    for (const [name, data] of initial) {
      const unlisted = (a: ArrayLike<number>) => Array.from(bits(a).subarray((ROWS - NEVER_LISTED) * dim));
      expect(unlisted(t.get(side, name)), `${side} ${name}: unlisted rows bit-exact`).toEqual(unlisted(data));
    }
  }
}

/** l2 and decay on and off. */
export const REGULARISATION = [
  { l2: 0, decay: 0 },
  { l2: 0.05, decay: 0 },
  { l2: 0, decay: 0.1 },
  { l2: 0.05, decay: 0.1 },
];
