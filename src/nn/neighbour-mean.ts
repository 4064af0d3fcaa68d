// One graph convolution over a side graph (GraphSAGE's mean aggregator, Hamilton et al.,
// NeurIPS 2017): row r is the mean of the id embeddings of r's linked entities, read from the
// tower's own id table, so that a user is also described by whom she links to and those
// users' vectors learn from her ratings too. The CSR ids are id-table rows (EncodedMulti.of 'ids').

import type { Param } from '../training/param.js';
import type { Embedding } from './embedding.js';

export class NeighbourMean {
  constructor(private readonly ids: Embedding) {}

  get dim(): number {
    return this.ids.dim;
  }

  /** out[r·outStride ..] = mean of the id rows ids[offsets[r] .. offsets[r+1]). */
  forwardPooled(outPtr: number, outStride: number, idsPtr: number, offsetsPtr: number, m: number): void {
    this.ids.backend.kernels.gatherMean(outPtr, outStride, this.ids.table.value.ptr, idsPtr, offsetsPtr, m, this.ids.dim);
  }

  /** Spreads each row's gradient over its neighbours' id rows (the shared table's gradient). */
  backwardPooled(dOutPtr: number, dOutStride: number, idsPtr: number, offsetsPtr: number, m: number): void {
    const t = this.ids.table;
    this.ids.backend.kernels.scatterAddMean(t.grad.ptr, dOutPtr, dOutStride, idsPtr, offsetsPtr, m, this.ids.dim);
    t.markRows(idsPtr, m, offsetsPtr);
  }

  /** None of its own: the id table belongs to the id embedding. */
  params(): Param[] {
    return [];
  }
}
