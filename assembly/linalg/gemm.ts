// STUB: to be implemented.

export function linalg_gemm_f32(yPtr: usize, xPtr: usize, wPtr: usize, bPtr: usize, m: i32, k: i32, n: i32, accumulate: i32): void {
  
}

export function linalg_gemm_nt_f32(yPtr: usize, aPtr: usize, bPtr: usize, m: i32, k: i32, n: i32, accumulate: i32): void {
  
}

export function linalg_gemm_tn_f32(yPtr: usize, aPtr: usize, bPtr: usize, m: i32, k: i32, n: i32, accumulate: i32): void {
  
}
