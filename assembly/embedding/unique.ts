// STUB: to be implemented.

export function embedding_unique_rows_i32(outPtr: usize, stampPtr: usize, idxPtr: usize, n: i32, stampValue: i32): f64 {
  return 0;
}

export function embedding_take_b32(outPtr: usize, srcPtr: usize, idxPtr: usize, n: i32): void {
  
}
