// STUB: to be implemented.

export function linalg_col_sum_f32(yPtr: usize, xPtr: usize, m: i32, n: i32, accumulate: i32): void {
  
}
