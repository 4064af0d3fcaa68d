// STUB: to be implemented.

export function loss_mse_f32(gradPtr: usize, predPtr: usize, targetPtr: usize, n: i32, scale: f32): f64 {
  return 0;
}
