// STUB: to be implemented.

export function fused_mf_sgd_epoch_f32(pPtr: usize, qPtr: usize, buPtr: usize, biPtr: usize, usersPtr: usize, itemsPtr: usize, ratingsPtr: usize, orderPtr: usize, start: i32, count: i32, k: i32, mu: f32, lr: f32, regFactor: f32, regBias: f32): f64 {
  return 0;
}

export function fused_mf_predict_f32(predPtr: usize, pPtr: usize, qPtr: usize, buPtr: usize, biPtr: usize, usersPtr: usize, itemsPtr: usize, n: i32, k: i32, mu: f32): void {
  
}

export function fused_mf_backward_f32(gPPtr: usize, gQPtr: usize, gBuPtr: usize, gBiPtr: usize, dPredPtr: usize, pPtr: usize, qPtr: usize, usersPtr: usize, itemsPtr: usize, n: i32, k: i32): void {
  
}
