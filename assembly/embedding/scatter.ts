// Embedding backward: scatter-adding batch gradient rows into a table-shaped gradient.

import { axpy } from '../shared/simd';

/**
 * gradTable[idx[r]*dim + c] += gradRows[r*gradStride + c], r < n, c < dim: the backward
 * of embedding_gather_f32. Rows are processed one after the other, so an index repeated
 * in the batch accumulates every contribution. Layout: gradTable rows×dim row-major;
 * gradRows rows `gradStride` floats apart (≥ dim, a column block of a wider matrix).
 * gradTable must not alias gradRows.
 */
export function embedding_scatter_add_f32(gradTablePtr: usize, gradRowsPtr: usize, gradStride: i32, idxPtr: usize, n: i32, dim: i32): void {
  const rowBytes = <usize>dim << 2;
  const srcStep = <usize>gradStride << 2;
  const vecEnd = dim & ~3;
  for (let r = 0; r < n; r++) {
    const dst = gradTablePtr + <usize>load<i32>(idxPtr + (<usize>r << 2)) * rowBytes;
    const src = gradRowsPtr + <usize>r * srcStep;
    let c = 0;
    for (; c < vecEnd; c += 4) {
      const off = <usize>c << 2;
      v128.store(dst + off, f32x4.add(v128.load(dst + off), v128.load(src + off)));
    }
    for (; c < dim; c++) {
      const off = <usize>c << 2;
      store<f32>(dst + off, load<f32>(dst + off) + load<f32>(src + off));
    }
  }
}

/**
 * Backward of embedding_gather_mean_f32: for j in [offsets[r], offsets[r+1]),
 * gradTable[ids[j]*dim + c] += gradRows[r*gradStride + c] / count(r); empty rows add
 * nothing. CSR layout as in the forward (offsets has n+1 entries); repeated ids
 * accumulate. gradTable must not alias gradRows.
 */
export function embedding_scatter_add_mean_f32(gradTablePtr: usize, gradRowsPtr: usize, gradStride: i32, idsPtr: usize, offsetsPtr: usize, n: i32, dim: i32): void {
  const rowBytes = <usize>dim << 2;
  const srcStep = <usize>gradStride << 2;
  for (let r = 0; r < n; r++) {
    const begin = load<i32>(offsetsPtr + (<usize>r << 2));
    const end = load<i32>(offsetsPtr + (<usize>(r + 1) << 2));
    if (end <= begin) continue;
    // The same reciprocal as the forward, so gather-mean and its backward are exact transposes.
    const inv: f32 = <f32>1 / <f32>(end - begin);
    const src = gradRowsPtr + <usize>r * srcStep;
    for (let j = begin; j < end; j++) axpy(gradTablePtr + <usize>load<i32>(idsPtr + (<usize>j << 2)) * rowBytes, inv, src, dim);
  }
}

/** Backward of `gatherWeighted`: table row ids[j] receives w[j] · gradRows[r] for each j of row r. */
export function embedding_scatter_add_weighted_f32(gradTablePtr: usize, gradRowsPtr: usize, gradStride: i32, idsPtr: usize, weightsPtr: usize, offsetsPtr: usize, n: i32, dim: i32): void {
  const rowBytes = <usize>dim << 2;
  const srcStep = <usize>gradStride << 2;
  for (let r = 0; r < n; r++) {
    const begin = load<i32>(offsetsPtr + (<usize>r << 2));
    const end = load<i32>(offsetsPtr + (<usize>(r + 1) << 2));
    const src = gradRowsPtr + <usize>r * srcStep;
    for (let j = begin; j < end; j++) {
      const at = <usize>j << 2;
      axpy(gradTablePtr + <usize>load<i32>(idsPtr + at) * rowBytes, load<f32>(weightsPtr + at), src, dim);
    }
  }
}
