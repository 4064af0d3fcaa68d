// Sparse (CSR) × dense propagation: the neighbour aggregation of graph convolutions
// (LightGCN, He et al., SIGIR 2020, https://arxiv.org/abs/2002.02126; GCN/GraphSAGE mean).
import { madd } from '../shared/simd';

/**
 * Y[r] = α Σ_{e ∈ [rowPtr[r], rowPtr[r+1])} val[e] X[col[e]] + β B[r] for r < nRows.
 * Layout: X, Y, B row-major f32 with `dim` columns (X has as many rows as col names; Y and B
 * nRows); rowPtr i32 (nRows + 1), col i32, val f32 (one weight per edge: the symmetric
 * normalisation 1/√(d_u d_i), or 1/d for a mean). Y must not alias X; it may alias B (each
 * element of B is read before the same element of Y is written). β = 0 ignores B (which may
 * then be any pointer). The backward of Y = ÂX is dX = Âᵀ dY: the same kernel over the
 * transposed CSR.
 */
export function graph_spmm_f32(yPtr: usize, rowPtrPtr: usize, colPtr: usize, valPtr: usize, xPtr: usize, bPtr: usize, nRows: i32, dim: i32, alpha: f32, beta: f32): void {
  const rowBytes = <usize>dim << 2;
  const vecEnd = dim & ~3;
  const alphaV = f32x4.splat(alpha);
  const betaV = f32x4.splat(beta);
  for (let r = 0; r < nRows; r++) {
    const y = yPtr + <usize>r * rowBytes;
    const b = bPtr + <usize>r * rowBytes;
    const e0 = load<i32>(rowPtrPtr + (<usize>r << 2));
    const e1 = load<i32>(rowPtrPtr + (<usize>(r + 1) << 2));
    // Columns in blocks of 4 lanes: each block walks the row's edges with the sum in a register.
    let c = 0;
    for (; c < vecEnd; c += 4) {
      const off = <usize>c << 2;
      let acc = f32x4.splat(0);
      for (let e = e0; e < e1; e++) {
        const x = xPtr + <usize>load<i32>(colPtr + (<usize>e << 2)) * rowBytes;
        acc = madd(f32x4.splat(load<f32>(valPtr + (<usize>e << 2))), v128.load(x + off), acc);
      }
      let out = f32x4.mul(alphaV, acc);
      if (beta != 0) out = f32x4.add(out, f32x4.mul(betaV, v128.load(b + off)));
      v128.store(y + off, out);
    }
    for (; c < dim; c++) {
      const off = <usize>c << 2;
      let acc: f32 = 0;
      for (let e = e0; e < e1; e++) {
        const x = xPtr + <usize>load<i32>(colPtr + (<usize>e << 2)) * rowBytes;
        acc += load<f32>(valPtr + (<usize>e << 2)) * load<f32>(x + off);
      }
      let out = alpha * acc;
      if (beta != 0) out += beta * load<f32>(b + off);
      store<f32>(y + off, out);
    }
  }
}
