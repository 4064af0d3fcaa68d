// Index utilities: the distinct rows of a batch (for lazy optimizer updates) and 32-bit takes.

/**
 * Writes the distinct values of idx[0..n) to out in first-seen order; returns how many.
 * stamp holds one i32 per table row: stamp[v] == stampValue marks v as seen. Callers bump
 * stampValue on every call, so the table-sized array never needs clearing and the cost
 * stays O(n) however large the table (a generation counter instead of a clear).
 * out may alias idx (out[j] is written only after idx[r] was read, j ≤ r); stamp must
 * not overlap either.
 */
export function embedding_unique_rows_i32(outPtr: usize, stampPtr: usize, idxPtr: usize, n: i32, stampValue: i32): i32 {
  let count = 0;
  for (let r = 0; r < n; r++) {
    const v = load<i32>(idxPtr + (<usize>r << 2));
    const at = stampPtr + (<usize>v << 2);
    if (load<i32>(at) != stampValue) {
      store<i32>(at, stampValue);
      store<i32>(outPtr + (<usize>count << 2), v);
      count++;
    }
  }
  return count;
}

/**
 * out[r] = src[idx[r]], r < n, on 32-bit elements. Copied as i32, never as f32, so that
 * every bit pattern (NaN payloads, -0, integer ids) survives. out must not alias src.
 */
export function embedding_take_b32(outPtr: usize, srcPtr: usize, idxPtr: usize, n: i32): void {
  for (let r = 0; r < n; r++) {
    const at = <usize>r << 2;
    store<i32>(outPtr + at, load<i32>(srcPtr + (<usize>load<i32>(idxPtr + at) << 2)));
  }
}
