// A behaviour sequence as one vector: item embeddings of the last L events pooled by mean
// (YouTube's choice, Covington et al. 2016), sum or max, optionally weighted per event (time
// decay). Sequences arrive padded: L ids per row, −1 where a user has fewer events.

import type { Backend } from '../backends/index.js';
import { SEQ_POOL } from '../backends/kernels.js';
import type { Rng } from '../random.js';
import type { Param } from '../training/param.js';
import { Embedding, type EmbeddingOptions } from './embedding.js';

export type SequencePoolMode = keyof typeof SEQ_POOL;

/**
 * Pools padded id sequences through an item table of its own; `forward` writes m rows of
 * width dim into a (possibly wider) output, `backward` sends the gradient to the rows the
 * events used and marks them for the row-sparse optimizer.
 *
 * @example
 * const pool = new SequencePooling(be, 'history', nItems, 32, 50, 256, rng, { mode: 'mean' });
 * pool.forward(outPtr, outStride, idsPtr, 0, m);
 */
export class SequencePooling {
  readonly items: Embedding;
  readonly mode: SequencePoolMode;

  constructor(
    readonly backend: Backend,
    name: string,
    nItems: number,
    readonly dim: number,
    readonly length: number,
    readonly maxBatch: number,
    rng: Rng,
    options: EmbeddingOptions & { mode?: SequencePoolMode } = {},
  ) {
    if (!(Number.isInteger(length) && length >= 1)) throw new Error(`${name}: the sequence length must be an integer ≥ 1, got ${length}`);
    this.mode = options.mode ?? 'mean';
    if (!(this.mode in SEQ_POOL)) throw new Error(`${name}: unknown pooling '${this.mode}' (mean, sum or max)`);
    this.items = new Embedding(backend, `${name}/items`, nItems, dim, rng, options);
  }

  /**
   * out[r] (r < m, rows outStride apart) = the pooled row r of ids (−1 = padding); weightsPtr
   * 0 = unweighted. Layout: row-major m × length by default; `slotStride` N for one column of
   * N ids per slot (then a batch is an offset of every column: what step programs replay).
   */
  forward(outPtr: number, outStride: number, idsPtr: number, weightsPtr: number, m: number, slotStride = 0): void {
    this.check(m);
    const [rs, ss] = slotStride > 0 ? [1, slotStride] : [this.length, 1];
    this.backend.kernels.seqPool(outPtr, outStride, this.items.table.value.ptr, idsPtr, weightsPtr, rs, ss, m, this.length, this.dim, SEQ_POOL[this.mode]);
  }

  /**
   * Adds the gradient dOut (rows dOutStride apart) to the event rows; `outPtr`/`outStride`
   * are the forward's output (max pooling finds its winners there) and must be unchanged.
   */
  backward(dOutPtr: number, dOutStride: number, outPtr: number, outStride: number, idsPtr: number, weightsPtr: number, m: number, slotStride = 0): void {
    this.check(m);
    const t = this.items.table;
    const [rs, ss] = slotStride > 0 ? [1, slotStride] : [this.length, 1];
    this.backend.kernels.seqPoolBackward(t.grad.ptr, dOutPtr, dOutStride, outPtr, outStride, t.value.ptr, idsPtr, weightsPtr, rs, ss, m, this.length, this.dim, SEQ_POOL[this.mode]);
    // Padding (−1) is skipped by markRows: only the events' rows are updated.
    if (slotStride === 0) t.markRows(idsPtr, m * this.length);
    else for (let j = 0; j < this.length; j++) t.markRows(idsPtr + 4 * j * slotStride, m);
  }

  params(): Param[] {
    return [this.items.table];
  }

  dispose(): void {
    this.items.table.dispose();
  }

  private check(m: number): void {
    if (!(Number.isInteger(m) && m >= 0 && m <= this.maxBatch)) throw new Error(`sequence pooling: batch of ${m} rows; built for at most ${this.maxBatch}`);
  }
}
