// A per-event attribute (e.g. the event's rating, bucketed) embedded and added to each
// position's token: the sequence encoders' way of seeing more than which item came when.

import type { Backend, F32Buf, I32Buf } from '../backends/index.js';
import type { Rng } from '../random.js';
import { Param } from '../training/param.js';

/** A small dense table of `buckets` rows (row 0: attribute unknown) added to up to `rows` tokens of width d. */
export class EventEmbedding {
  readonly table: Param;
  private readonly gathered: F32Buf;
  private readonly iota: I32Buf;

  constructor(private readonly backend: Backend, name: string, readonly buckets: number, private readonly d: number, rows: number, rng: Rng) {
    this.table = new Param(backend, name, buckets, d, rng, { init: { normal: 0.05 } });
    this.gathered = backend.allocF32(rows * d);
    this.iota = backend.allocI32(rows, Int32Array.from({ length: rows }, (_, r) => r));
  }

  /** X[r] += table[attr[r]] for r < rows (attr: bucket ids in [0, buckets)). */
  addTo(xPtr: number, attrPtr: number, rows: number): void {
    const k = this.backend.kernels;
    k.gather(this.gathered.ptr, this.d, this.table.value.ptr, attrPtr, rows, this.d);
    k.scatterAdd(xPtr, this.gathered.ptr, this.d, this.iota.ptr, rows, this.d);
  }

  /** The table's gradient from dLoss/dX (rows × d). */
  backward(dxPtr: number, attrPtr: number, rows: number): void {
    this.backend.kernels.scatterAdd(this.table.grad.ptr, dxPtr, this.d, attrPtr, rows, this.d);
  }

  dispose(): void {
    this.table.dispose();
    this.backend.free(this.gathered);
    this.backend.free(this.iota);
  }
}

/** Buckets of a rating on a half-star grid: 0 unknown, 1 + round(2r) clamped to [1, 11] (0.5 … 5 stars → 2 … 11). */
export const RATING_BUCKETS = 12;

export function ratingBucket(rating: number): number {
  if (!Number.isFinite(rating)) return 0;
  return Math.min(RATING_BUCKETS - 1, Math.max(1, 1 + Math.round(2 * rating)));
}
