// Embedding tables as network blocks: one row per id (or code), gathered straight into a
// column block of a batch buffer (the output stride), and the mean-pooled variant for
// multi-valued features such as genres.

import type { Backend } from '../backends/index.js';
import type { Rng } from '../random.js';
import { Param } from '../training/param.js';

export interface EmbeddingOptions {
  /** Coupled L2 on the rows a batch touches (default 0). */
  l2?: number;
  /** Std of the normal initialisation (default 0.05; 0 = zeros). */
  initStd?: number;
}

/** Default std of embedding initialisation: small, so dot products start near zero. */
export const DEFAULT_EMBEDDING_INIT = 0.05;

/**
 * A rows×dim table; `forward` writes row idx[r] of the table to out[r·outStride ..], so
 * several embeddings fill the column blocks of one concatenation buffer.
 *
 * @example
 * const emb = new Embedding(be, 'genre', 19, 8, rng);
 * emb.forward(concat.ptr + 4 * offset, concat.width, idxPtr, m);
 * emb.backward(dConcat.ptr + 4 * offset, concat.width, idxPtr, m);
 */
export class Embedding {
  readonly table: Param;

  constructor(
    readonly backend: Backend,
    name: string,
    readonly rows: number,
    readonly dim: number,
    rng: Rng,
    options: EmbeddingOptions = {},
  ) {
    const std = options.initStd ?? DEFAULT_EMBEDDING_INIT;
    this.table = new Param(backend, name, rows, dim, rng, { sparse: true, l2: options.l2 ?? 0, init: std > 0 ? { normal: std } : 'zeros' });
  }

  /** out[r·outStride + c] = table[idx[r]·dim + c] for r < m. */
  forward(outPtr: number, outStride: number, idxPtr: number, m: number): void {
    this.backend.kernels.gather(outPtr, outStride, this.table.value.ptr, idxPtr, m, this.dim);
  }

  /** Adds the gradient rows into the table's gradient and marks them for the optimizer. */
  backward(dOutPtr: number, dOutStride: number, idxPtr: number, m: number): void {
    this.backend.kernels.scatterAdd(this.table.grad.ptr, dOutPtr, dOutStride, idxPtr, m, this.dim);
    this.table.markRows(idxPtr, m);
  }

  params(): Param[] {
    return [this.table];
  }
}

/**
 * Mean-pooled embedding of a multi-valued feature: row r is the mean of the table rows
 * ids[offsets[r] .. offsets[r+1]) (offsets are absolute positions in the ids buffer, so a
 * batch is a slice of the offsets of a whole epoch with the same ids pointer).
 */
export class PooledEmbedding extends Embedding {
  forwardPooled(outPtr: number, outStride: number, idsPtr: number, offsetsPtr: number, m: number): void {
    this.backend.kernels.gatherMean(outPtr, outStride, this.table.value.ptr, idsPtr, offsetsPtr, m, this.dim);
  }

  /** Spreads each row's gradient over its ids (divided by their count); the rows touched are the batch's ids, ids[offsets[0] .. offsets[m]). */
  backwardPooled(dOutPtr: number, dOutStride: number, idsPtr: number, offsetsPtr: number, m: number): void {
    this.backend.kernels.scatterAddMean(this.table.grad.ptr, dOutPtr, dOutStride, idsPtr, offsetsPtr, m, this.dim);
    this.table.markRows(idsPtr, m, offsetsPtr);
  }
}
