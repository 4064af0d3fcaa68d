// Summing gradients across data-parallel replicas: each thread's copy of the network
// accumulates its share of a batch into its own gradient tables; these are then added into
// the primary's rows (the ones the optimizer will update) and cleared for the next batch.

/** dst[row] += src[row]; src[row] = 0 on the listed rows (dim floats each) of two rows×dim tensors. */
export function optim_accumulate_rows_f32(dstPtr: usize, srcPtr: usize, rowsPtr: usize, nRows: i32, dim: i32): void {
  const rowBytes = <usize>dim << 2;
  const vecEnd = dim & ~3;
  const zero = f32x4.splat(0);
  for (let r = 0; r < nRows; r++) {
    const at = <usize>load<i32>(rowsPtr + (<usize>r << 2)) * rowBytes;
    const d = dstPtr + at;
    const s = srcPtr + at;
    let c = 0;
    for (; c < vecEnd; c += 4) {
      const off = <usize>c << 2;
      v128.store(d + off, f32x4.add(v128.load(d + off), v128.load(s + off)));
      v128.store(s + off, zero);
    }
    for (; c < dim; c++) {
      const off = <usize>c << 2;
      store<f32>(d + off, load<f32>(d + off) + load<f32>(s + off));
      store<f32>(s + off, 0);
    }
  }
}
