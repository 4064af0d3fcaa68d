// STUB: to be implemented.

export function embedding_scatter_add_f32(gradTablePtr: usize, gradRowsPtr: usize, gradStride: i32, idxPtr: usize, n: i32, dim: i32): void {
  
}

export function embedding_scatter_add_mean_f32(gradTablePtr: usize, gradRowsPtr: usize, gradStride: i32, idsPtr: usize, offsetsPtr: usize, n: i32, dim: i32): void {
  
}
