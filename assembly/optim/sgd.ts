// STUB: to be implemented.

export function optim_sgd_sparse_f32(paramPtr: usize, gradPtr: usize, rowsPtr: usize, nRows: i32, dim: i32, lr: f32, l2: f32, decay: f32): void {
  
}

export function optim_momentum_sparse_f32(paramPtr: usize, gradPtr: usize, velPtr: usize, rowsPtr: usize, nRows: i32, dim: i32, lr: f32, momentum: f32, l2: f32, decay: f32): void {
  
}
