// A small allocator over one growable linear memory: the WASM instance's memory or, for
// the reference backend, a plain ArrayBuffer, so both backends address data the same way.

/** Byte alignment of every allocation: one f32x4 vector. */
export const ALIGN = 16;

/** Something whose bytes can grow: WebAssembly.Memory or an ArrayBuffer we replace. */
export interface LinearMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Makes the memory at least `bytes` long; existing contents stay where they are. */
  ensure(bytes: number): void;
}

const WASM_PAGE = 65536;

/** Wraps a WebAssembly.Memory; growing it detaches every typed-array view on it. */
export function wasmLinearMemory(memory: WebAssembly.Memory): LinearMemory {
  return {
    get buffer() {
      return memory.buffer;
    },
    ensure(bytes: number) {
      const have = memory.buffer.byteLength;
      if (bytes <= have) return;
      // Grow geometrically so that many small allocations do not each pay a grow.
      const want = Math.max(bytes, have * 1.5);
      memory.grow(Math.ceil((want - have) / WASM_PAGE));
    },
  };
}

/** A plain ArrayBuffer that is copied into a larger one when it must grow. */
export function arrayLinearMemory(initialBytes = 1 << 20): LinearMemory {
  let buffer = new ArrayBuffer(initialBytes);
  return {
    get buffer() {
      return buffer;
    },
    ensure(bytes: number) {
      if (bytes <= buffer.byteLength) return;
      // Whole ALIGN blocks: 1.5× of a multiple of 16 is not always a multiple of 4, and a
      // Float32Array cannot view a buffer of 378 bytes.
      const next = new ArrayBuffer(roundUp(Math.max(bytes, buffer.byteLength * 1.5), ALIGN));
      new Uint8Array(next).set(new Uint8Array(buffer));
      buffer = next;
    },
  };
}

/**
 * Hands out 16-byte-aligned blocks of a LinearMemory. Freed blocks are kept in per-size
 * lists and reused for requests of the same rounded size: models allocate the same
 * shapes over and over (batch buffers), so exact-size reuse covers the common case.
 *
 * Views (`f32`, `i32`, `u8`) are re-created whenever the underlying buffer changed,
 * because growing WASM memory detaches the old ones: never keep a view across a call
 * that may allocate.
 */
export class Heap {
  private top: number;
  private readonly sizes = new Map<number, number>();
  private readonly freeLists = new Map<number, number[]>();
  private viewBuffer: ArrayBuffer | SharedArrayBuffer | null = null;
  private f32View = new Float32Array(0);
  private i32View = new Int32Array(0);
  private u8View = new Uint8Array(0);

  constructor(
    readonly memory: LinearMemory,
    base: number,
  ) {
    // Never hand out address 0: kernels read pointer 0 as "absent" (e.g. no bias).
    this.top = roundUp(Math.max(base, ALIGN), ALIGN);
  }

  /** Returns the byte offset of a zero-filled block of at least `bytes` bytes. */
  alloc(bytes: number): number {
    if (!Number.isInteger(bytes) || bytes < 0) throw new RangeError(`alloc: invalid size ${bytes}`);
    const size = roundUp(Math.max(bytes, ALIGN), ALIGN);
    const list = this.freeLists.get(size);
    let ptr: number;
    if (list && list.length > 0) {
      ptr = list.pop()!;
      this.u8.fill(0, ptr, ptr + size);
    } else {
      ptr = this.top;
      this.memory.ensure(ptr + size);
      this.top = ptr + size;
    }
    this.sizes.set(ptr, size);
    return ptr;
  }

  free(ptr: number): void {
    const size = this.sizes.get(ptr);
    if (size === undefined) throw new Error(`free: ${ptr} is not an allocated block`);
    this.sizes.delete(ptr);
    let list = this.freeLists.get(size);
    if (!list) this.freeLists.set(size, (list = []));
    list.push(ptr);
  }

  /** Bytes currently handed out (not counting freed blocks kept for reuse). */
  get bytesInUse(): number {
    let total = 0;
    for (const size of this.sizes.values()) total += size;
    return total;
  }

  get f32(): Float32Array {
    this.refresh();
    return this.f32View;
  }

  get i32(): Int32Array {
    this.refresh();
    return this.i32View;
  }

  get u8(): Uint8Array {
    this.refresh();
    return this.u8View;
  }

  private refresh(): void {
    const buffer = this.memory.buffer;
    if (buffer === this.viewBuffer && this.u8View.byteLength === buffer.byteLength) return;
    this.viewBuffer = buffer;
    // Typed as ArrayBuffer-backed even when shared: callers only index the views.
    const bytes = buffer as ArrayBuffer;
    this.f32View = new Float32Array(bytes);
    this.i32View = new Int32Array(bytes);
    this.u8View = new Uint8Array(bytes);
  }
}

function roundUp(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}
