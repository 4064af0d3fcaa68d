// Embedding lookups: copying table rows (or the mean of several rows) into a batch matrix.
import { madd } from '../shared/simd';

/**
 * out[r*outStride + c] = table[idx[r]*dim + c], r < n, c < dim.
 * Layout: table rows×dim row-major; out rows at `outStride` floats apart (≥ dim), so rows
 * can land in a column block of a concatenated matrix. Indices are trusted (validated in
 * TypeScript). out must not alias table.
 */
export function embedding_gather_f32(outPtr: usize, outStride: i32, tablePtr: usize, idxPtr: usize, n: i32, dim: i32): void {
  const rowBytes = <usize>dim << 2;
  const outStep = <usize>outStride << 2;
  const vecEnd = dim & ~3;
  for (let r = 0; r < n; r++) {
    const src = tablePtr + <usize>load<i32>(idxPtr + (<usize>r << 2)) * rowBytes;
    const dst = outPtr + <usize>r * outStep;
    let c = 0;
    for (; c < vecEnd; c += 4) v128.store(dst + (<usize>c << 2), v128.load(src + (<usize>c << 2)));
    for (; c < dim; c++) store<f32>(dst + (<usize>c << 2), load<f32>(src + (<usize>c << 2)));
  }
}

/**
 * Mean pooling of a multi-valued feature: out[r] = mean of table[ids[j]] for j in
 * [offsets[r], offsets[r+1]) (CSR layout: offsets has n+1 entries); empty rows give 0.
 */
export function embedding_gather_mean_f32(outPtr: usize, outStride: i32, tablePtr: usize, idsPtr: usize, offsetsPtr: usize, n: i32, dim: i32): void {
  const rowBytes = <usize>dim << 2;
  const outStep = <usize>outStride << 2;
  const vecEnd = dim & ~3;
  for (let r = 0; r < n; r++) {
    const begin = load<i32>(offsetsPtr + (<usize>r << 2));
    const end = load<i32>(offsetsPtr + (<usize>(r + 1) << 2));
    const dst = outPtr + <usize>r * outStep;
    const inv: f32 = end > begin ? <f32>1 / <f32>(end - begin) : 0;
    const invV = f32x4.splat(inv);
    let c = 0;
    for (; c < vecEnd; c += 4) {
      let acc = f32x4.splat(0);
      for (let j = begin; j < end; j++) {
        const src = tablePtr + <usize>load<i32>(idsPtr + (<usize>j << 2)) * rowBytes;
        acc = f32x4.add(acc, v128.load(src + (<usize>c << 2)));
      }
      v128.store(dst + (<usize>c << 2), f32x4.mul(acc, invV));
    }
    for (; c < dim; c++) {
      let acc: f32 = 0;
      for (let j = begin; j < end; j++) {
        const src = tablePtr + <usize>load<i32>(idsPtr + (<usize>j << 2)) * rowBytes;
        acc += load<f32>(src + (<usize>c << 2));
      }
      store<f32>(dst + (<usize>c << 2), acc * inv);
    }
  }
}

/**
 * out[r] = Σ_j w[j] · table[ids[j]] over j in [offsets[r], offsets[r+1]): a weighted pooling
 * of a CSR id list (a graph convolution's normalised neighbours); rows with no ids get zeros.
 */
export function embedding_gather_weighted_f32(outPtr: usize, outStride: i32, tablePtr: usize, idsPtr: usize, weightsPtr: usize, offsetsPtr: usize, n: i32, dim: i32): void {
  const rowBytes = <usize>dim << 2;
  const outStep = <usize>outStride << 2;
  const vecEnd = dim & ~3;
  for (let r = 0; r < n; r++) {
    const begin = load<i32>(offsetsPtr + (<usize>r << 2));
    const end = load<i32>(offsetsPtr + (<usize>(r + 1) << 2));
    const dst = outPtr + <usize>r * outStep;
    let c = 0;
    for (; c < vecEnd; c += 4) {
      let acc = f32x4.splat(0);
      for (let j = begin; j < end; j++) {
        const at = <usize>j << 2;
        const src = tablePtr + <usize>load<i32>(idsPtr + at) * rowBytes;
        acc = f32x4.add(acc, f32x4.mul(v128.load(src + (<usize>c << 2)), f32x4.splat(load<f32>(weightsPtr + at))));
      }
      v128.store(dst + (<usize>c << 2), acc);
    }
    for (; c < dim; c++) {
      let acc: f32 = 0;
      for (let j = begin; j < end; j++) {
        const at = <usize>j << 2;
        const src = tablePtr + <usize>load<i32>(idsPtr + at) * rowBytes;
        acc += load<f32>(src + (<usize>c << 2)) * load<f32>(weightsPtr + at);
      }
      store<f32>(dst + (<usize>c << 2), acc);
    }
  }
}
