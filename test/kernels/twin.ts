// Runs a kernel on both backends over identical inputs and compares the outputs.
import { expect } from 'vitest';
import { createBackend, type Backend } from '../../src/backends/index.js';
import type { Kernels } from '../../src/backends/kernels.js';
import { Rng } from '../../src/random.js';

/** Sizes that take several SIMD iterations plus a tail, and the degenerate ones. */
export const SIZES = [1, 3, 4, 5, 8, 15, 16, 17, 64, 65, 257];

/** The library's seeded generator (src/random.ts) with helpers that fill test buffers. */
export function testRng(seed: number) {
  const rng = new Rng(seed);
  return {
    uniform: () => rng.uniform(),
    normal: () => rng.normal(),
    int: (n: number) => rng.int(n),
    f32(n: number, scale = 1): Float32Array {
      const a = new Float32Array(n);
      for (let i = 0; i < n; i++) a[i] = rng.normal() * scale;
      return a;
    },
    i32(n: number, max: number): Int32Array {
      const a = new Int32Array(n);
      for (let i = 0; i < n; i++) a[i] = rng.int(max);
      return a;
    },
    /** CSR offsets of n rows (n + 1 entries from 0): every fourth row empty, the others 1–5 ids. */
    csrOffsets(n: number): Int32Array {
      const offsets = new Int32Array(n + 1);
      for (let r = 0; r < n; r++) offsets[r + 1] = offsets[r] + (r % 4 === 0 ? 0 : rng.int(5) + 1);
      return offsets;
    },
  };
}

type Data = Float32Array | Int32Array;
type Side = 'wasm' | 'js';

/** The same named buffers on the wasm and js backends. */
export class Twin {
  private readonly bufs = new Map<string, { wasm: number; js: number; data: Data }>();

  private constructor(readonly wasm: Backend, readonly js: Backend) {}

  static async create(): Promise<Twin> {
    return new Twin(await createBackend('wasm'), await createBackend('js'));
  }

  /** Allocates `name` on both backends with a copy of `data`. */
  put(name: string, data: Data): this {
    const alloc = (be: Backend) => (data instanceof Float32Array ? be.allocF32(data.length, data) : be.allocI32(data.length, data));
    this.bufs.set(name, { wasm: alloc(this.wasm).ptr, js: alloc(this.js).ptr, data });
    return this;
  }

  /** Allocates `name` on both backends holding the addresses of the named buffers (for kernels taking address blocks). */
  putAddresses(name: string, names: readonly string[]): this {
    const at = (side: Side) => Int32Array.from(names, (n) => this.entry(n)[side]);
    this.bufs.set(name, { wasm: this.wasm.allocI32(names.length, at('wasm')).ptr, js: this.js.allocI32(names.length, at('js')).ptr, data: at('js') });
    return this;
  }

  /** Calls `fn` once per backend with that backend's kernels and pointers. */
  run<R>(fn: (k: Kernels, ptr: (name: string) => number) => R): { wasm: R; js: R } {
    const call = (side: Side) => fn(this[side].kernels, (name) => this.entry(name)[side]);
    return { wasm: call('wasm'), js: call('js') };
  }

  /** A copy of buffer `name` as it is now on one side. */
  get(side: Side, name: string): Data {
    const e = this.entry(name);
    const heap = this[side].heap;
    const start = e[side] >> 2;
    return e.data instanceof Float32Array
      ? heap.f32.slice(start, start + e.data.length)
      : heap.i32.slice(start, start + e.data.length);
  }

  /** Asserts the wasm result matches the reference (see expectClose). */
  expectClose(name: string, opts: CloseOptions = {}): void {
    expectClose(this.get('wasm', name), this.get('js', name), { ...opts, label: name });
  }

  private entry(name: string) {
    const e = this.bufs.get(name);
    if (!e) throw new Error(`twin: no buffer '${name}'`);
    return e;
  }
}

export interface CloseOptions {
  /** Relative tolerance per element (default 1e-5). */
  rel?: number;
  /** Length of the longest reduction behind each value; the tolerance grows with √len. */
  reduction?: number;
  label?: string;
}

/**
 * |actual - expected| ≤ rel·√reduction·(|expected| + rms(expected)) element-wise: a
 * relative bound that stays meaningful for values near zero produced by cancellation.
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, opts: CloseOptions = {}): void {
  const rel = (opts.rel ?? 1e-5) * Math.sqrt(Math.max(1, opts.reduction ?? 1));
  expect(actual.length, `${opts.label ?? ''} length`).toBe(expected.length);
  let ss = 0;
  for (let i = 0; i < expected.length; i++) ss += expected[i] * expected[i];
  const rms = Math.sqrt(ss / Math.max(1, expected.length));
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const tol = rel * (Math.abs(e) + rms) + 1e-30;
    const excess = Math.abs(a - e) / tol;
    if (!(excess <= 1)) {
      if (worst < 0 || !(excess <= worstExcess)) {
        worst = i;
        worstExcess = excess;
      }
    }
  }
  if (worst >= 0) {
    expect.fail(`${opts.label ?? 'values'}[${worst}]: ${actual[worst]} vs reference ${expected[worst]} (${worstExcess.toFixed(1)}× the tolerance)`);
  }
}
