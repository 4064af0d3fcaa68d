// The backend contract: one heap, one set of kernels, and typed handles to storage.
// Both backends are this class; only the kernels and the kind of memory differ.

import type { Kernels } from './kernels.js';
import type { Heap } from './heap.js';
import type { ThreadPool } from '../parallel/pool.js';
import { KernelRecorder } from './program.js';

export type BackendName = 'wasm' | 'js';

/**
 * What a backend's kernels were compiled for: 'relaxed-simd' and 'simd' (the bundled builds,
 * SimdFlavor 'relaxed' and 'simd'), 'simd-shared' (the shared-memory build behind threads),
 * 'custom' (a module or bytes the caller handed in without naming its flavor), 'scalar' (the
 * js backend: plain TypeScript).
 */
export type BackendFeatures = 'relaxed-simd' | 'simd' | 'simd-shared' | 'custom' | 'scalar';

/** A block of float32 storage owned by a backend. Models pass `ptr` only to kernels. */
export interface F32Buf {
  readonly dtype: 'f32';
  readonly ptr: number;
  readonly length: number;
}

/** A block of int32 storage owned by a backend. */
export interface I32Buf {
  readonly dtype: 'i32';
  readonly ptr: number;
  readonly length: number;
}

export type Buf = F32Buf | I32Buf;

/**
 * A compute backend: `wasm` (AssemblyScript, SIMD) or `js` (the plain TypeScript reference).
 *
 * @example
 * const be = await createBackend('wasm');
 * const x = be.allocF32(8, [1, 2, 3, 4, 5, 6, 7, 8]);
 * be.kernels.relu(x.ptr, x.ptr, x.length);
 */
export class Backend {
  constructor(
    readonly name: BackendName,
    readonly kernels: Kernels,
    readonly heap: Heap,
    /** What the kernels were compiled for (see BackendFeatures). */
    readonly features: BackendFeatures,
    /** Worker threads sharing this backend's memory (createBackend's `threads`), or null. */
    readonly pool: ThreadPool | null = null,
    /** Set when `kernels` can record a training step (see withRecorder); null for plain backends. */
    readonly recorder: KernelRecorder | null = null,
  ) {}

  /**
   * This backend (same memory, pool and kernels) with kernels that a KernelRecorder can
   * record into step programs: what models that train by replaying a recorded step use.
   */
  withRecorder(recorder: KernelRecorder): Backend {
    return new Backend(this.name, recorder.kernels, this.heap, this.features, this.pool, recorder);
  }

  /** This backend with kernels a KernelRecorder can record (itself when it already has them). */
  recordable(): Backend {
    return this.recorder ? this : this.withRecorder(new KernelRecorder(this.kernels));
  }

  /** Threads that kernels of this backend can run on (1 without a pool). */
  get threads(): number {
    return this.pool?.threads ?? 1;
  }

  /** Stops the backend's worker threads, if any (the memory stays usable on this thread). */
  dispose(): void {
    this.pool?.dispose();
  }

  allocF32(length: number, init?: ArrayLike<number>): F32Buf {
    const buf: F32Buf = { dtype: 'f32', ptr: this.heap.alloc(4 * length), length };
    if (init) this.write(buf, init);
    return buf;
  }

  allocI32(length: number, init?: ArrayLike<number>): I32Buf {
    const buf: I32Buf = { dtype: 'i32', ptr: this.heap.alloc(4 * length), length };
    if (init) this.write(buf, init);
    return buf;
  }

  free(buf: Buf): void {
    this.heap.free(buf.ptr);
  }

  /** A live view of `buf`: valid only until the next allocation on this backend. */
  f32(buf: F32Buf): Float32Array {
    return this.heap.f32.subarray(buf.ptr >> 2, (buf.ptr >> 2) + buf.length);
  }

  /** A live view of `buf`: valid only until the next allocation on this backend. */
  i32(buf: I32Buf): Int32Array {
    return this.heap.i32.subarray(buf.ptr >> 2, (buf.ptr >> 2) + buf.length);
  }

  /** A copy of the contents of `buf`, safe to keep. */
  read(buf: F32Buf): Float32Array;
  read(buf: I32Buf): Int32Array;
  read(buf: Buf): Float32Array | Int32Array {
    return buf.dtype === 'f32' ? this.f32(buf).slice() : this.i32(buf).slice();
  }

  write(buf: Buf, data: ArrayLike<number>, offset = 0): void {
    if (offset + data.length > buf.length) {
      throw new RangeError(`write: ${data.length} values at offset ${offset} do not fit in ${buf.length}`);
    }
    const view = buf.dtype === 'f32' ? this.f32(buf) : this.i32(buf);
    view.set(data, offset);
  }
}
