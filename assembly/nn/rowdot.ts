// STUB: to be implemented.

export function nn_row_dot_f32(outPtr: usize, aPtr: usize, bPtr: usize, n: i32, dim: i32): void {
  
}

export function nn_row_dot_backward_f32(daPtr: usize, dbPtr: usize, dOutPtr: usize, aPtr: usize, bPtr: usize, n: i32, dim: i32, accumulate: i32): void {
  
}
