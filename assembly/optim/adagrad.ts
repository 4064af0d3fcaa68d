// STUB: to be implemented.

export function optim_adagrad_sparse_f32(paramPtr: usize, gradPtr: usize, accPtr: usize, rowsPtr: usize, nRows: i32, dim: i32, lr: f32, eps: f32, l2: f32, decay: f32): void {
  
}
