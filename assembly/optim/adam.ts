// STUB: to be implemented.

export function optim_adam_sparse_f32(paramPtr: usize, gradPtr: usize, mPtr: usize, vPtr: usize, rowsPtr: usize, nRows: i32, dim: i32, lr: f32, beta1: f32, beta2: f32, eps: f32, l2: f32, decay: f32, c1: f32, c2: f32): void {
  
}
