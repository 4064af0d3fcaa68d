// Concatenation as layout: named column blocks of one batch buffer. Producers write their
// block with an output stride (gather, gatherMean); consumers read the whole buffer.

import type { Backend, F32Buf } from '../backends/index.js';

/** A column block: columns [offset, offset + width) of every row. */
export interface Block {
  readonly name: string;
  readonly offset: number;
  readonly width: number;
}

/**
 * A maxBatch×width buffer (and its gradient) split into column blocks. A block's pointer
 * is `blockPtr(b)` and its row stride is `width`, so `gather(concat.blockPtr(b), concat.width, …)`
 * writes an embedding into place with no copy.
 *
 * @example
 * const c = new Concatenate(be, 256, [['age', 1], ['gender', 4], ['genres', 8]]);
 * c.blockPtr(c.block('gender')); // byte pointer of column 1 of row 0
 */
export class Concatenate {
  readonly blocks: Block[] = [];
  readonly width: number;
  readonly x: F32Buf;
  readonly dx: F32Buf;

  constructor(
    readonly backend: Backend,
    readonly maxBatch: number,
    parts: readonly (readonly [name: string, width: number])[],
  ) {
    let offset = 0;
    for (const [name, width] of parts) {
      this.blocks.push({ name, offset, width });
      offset += width;
    }
    this.width = offset;
    this.x = backend.allocF32(Math.max(1, maxBatch * offset));
    this.dx = backend.allocF32(Math.max(1, maxBatch * offset));
  }

  block(name: string): Block {
    const b = this.blocks.find((x) => x.name === name);
    if (!b) throw new Error(`concatenate: no block '${name}'`);
    return b;
  }

  /** Pointer to the block's first column in the forward buffer. */
  blockPtr(b: Block): number {
    return this.x.ptr + 4 * b.offset;
  }

  /** Pointer to the block's first column in the gradient buffer. */
  gradPtr(b: Block): number {
    return this.dx.ptr + 4 * b.offset;
  }

  dispose(): void {
    this.backend.free(this.x);
    this.backend.free(this.dx);
  }
}
