// One graph convolution over a side graph (GraphSAGE's mean aggregator, Hamilton et al.,
// NeurIPS 2017): row r is the mean of the id embeddings of r's linked entities, read from the
// tower's own id table, so that a user is also described by whom she links to and those
// users' vectors learn from her ratings too. The CSR ids are id-table rows (EncodedMulti.of 'ids').
// With weights per link (EncodedMulti.weights) it is GCN's symmetric-normalised sum instead
// (Kipf & Welling, ICLR 2017): Σ_v e_v / √((d_u + 1)(d_v + 1)).

import type { Param } from '../training/param.js';
import type { Embedding } from './embedding.js';

export class NeighbourMean {
  constructor(private readonly ids: Embedding) {}

  get dim(): number {
    return this.ids.dim;
  }

  /** out[r·outStride ..] = mean of the id rows ids[offsets[r] .. offsets[r+1]), or their sum weighted by weights[j] (weightsPtr ≠ 0). */
  forwardPooled(outPtr: number, outStride: number, idsPtr: number, offsetsPtr: number, m: number, weightsPtr = 0): void {
    const k = this.ids.backend.kernels;
    if (weightsPtr) k.gatherWeighted(outPtr, outStride, this.ids.table.value.ptr, idsPtr, weightsPtr, offsetsPtr, m, this.ids.dim);
    else k.gatherMean(outPtr, outStride, this.ids.table.value.ptr, idsPtr, offsetsPtr, m, this.ids.dim);
  }

  /** Spreads each row's gradient over its neighbours' id rows (the shared table's gradient). */
  backwardPooled(dOutPtr: number, dOutStride: number, idsPtr: number, offsetsPtr: number, m: number, weightsPtr = 0): void {
    const t = this.ids.table;
    const k = this.ids.backend.kernels;
    if (weightsPtr) k.scatterAddWeighted(t.grad.ptr, dOutPtr, dOutStride, idsPtr, weightsPtr, offsetsPtr, m, this.ids.dim);
    else k.scatterAddMean(t.grad.ptr, dOutPtr, dOutStride, idsPtr, offsetsPtr, m, this.ids.dim);
    t.markRows(idsPtr, m, offsetsPtr);
  }

  /** None of its own: the id table belongs to the id embedding. */
  params(): Param[] {
    return [];
  }
}
