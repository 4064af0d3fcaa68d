// Symbolic counts in step programs (./program.ts): a step whose number of rows differs from
// batch to batch (BST scores only the window positions that have a next event, about three
// quarters of them on ML-100K) is recorded with its count set to SYMBOLIC_COUNT. Every
// argument computed from it, a·count + b (a row count, n·d values, a pointer n·d·4 bytes on),
// then arrives at the recorder as a value at or past SYMBOLIC_COUNT; the op list stores it
// as an i32 cell (ARG.i32Cell) and `set(count)` writes a·count + b into every such cell
// before a run. The layers between (BstNet, Tower, TargetAttention) stay count-agnostic:
// they do their usual arithmetic on the symbolic value.

import type { Heap } from './heap.js';

/**
 * The count a step is recorded with: far above any address or count (2^36 > 4·BATCH_BASE),
 * so a·SYMBOLIC_COUNT + b (a < 2^17, b < 2^32) is exact in an f64 and tells a and b apart.
 */
export const SYMBOLIC_COUNT = 2 ** 36;

/** The largest coefficient a of a·count + b that decodes exactly (a·2^36 + b stays below 2^53). */
const MAX_COEFFICIENT = 2 ** 17;

/** Whether `n` is (derived from) the symbolic count of a step being recorded. */
export function isSymbolicCount(n: number): boolean {
  return n >= SYMBOLIC_COUNT;
}

/** Cells per block of heap memory (a recorded cell's address never moves). */
const CELLS_PER_BLOCK = 32;

/** The i32 cells of one recorded program's count-derived arguments. */
export class CountCells {
  /** Per cell: its coefficient a, offset b and byte address. */
  private readonly a: number[] = [];
  private readonly b: number[] = [];
  private readonly ptrs: number[] = [];
  private readonly blocks: number[] = [];

  constructor(private readonly heap: Heap) {}

  /** The cell that will hold `value` = a·count + b (one per distinct a, b), allocated on first use. */
  cellOf(value: number, what: string): number {
    const a = Math.floor(value / SYMBOLIC_COUNT);
    const b = value - a * SYMBOLIC_COUNT;
    if (!Number.isInteger(value) || a >= MAX_COEFFICIENT || b >= 2 ** 32) {
      throw new Error(`step program: ${what} is not a·count + b of the symbolic count (a < 2^17, 0 ≤ b < 2^32)`);
    }
    for (let c = 0; c < this.a.length; c++) if (this.a[c] === a && this.b[c] === b) return this.ptrs[c];
    const slot = this.ptrs.length % CELLS_PER_BLOCK;
    if (slot === 0) this.blocks.push(this.heap.alloc(4 * CELLS_PER_BLOCK));
    const ptr = this.blocks[this.blocks.length - 1] + 4 * slot;
    this.a.push(a);
    this.b.push(b);
    this.ptrs.push(ptr);
    return ptr;
  }

  /** Writes a·count + b into every cell: the count of the batch about to run. */
  set(count: number): void {
    const i32 = this.heap.i32;
    for (let c = 0; c < this.ptrs.length; c++) {
      const v = this.a[c] * count + this.b[c];
      if (v > 0x7fffffff) throw new Error(`step program: a count-derived argument (${v}) does not fit an i32 cell`);
      i32[this.ptrs[c] >> 2] = v;
    }
  }

  dispose(): void {
    for (const ptr of this.blocks) this.heap.free(ptr);
    this.blocks.length = this.a.length = this.b.length = this.ptrs.length = 0;
  }
}
