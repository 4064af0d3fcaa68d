// Row bookkeeping: the update list of the rows a batch touched (markRows, for lazy optimizer
// updates) and 32-bit takes (permuting example columns).

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

/**
 * out[r·width + c] = src[idx[r]·width + c]: whole rows of a 32-bit table (a text's padded
 * token ids per entity), copied as bytes. out must not alias src.
 */
export function embedding_take_rows_b32(outPtr: usize, srcPtr: usize, idxPtr: usize, n: i32, width: i32): void {
  const bytes = <usize>width << 2;
  for (let r = 0; r < n; r++) {
    const row = <usize>load<i32>(idxPtr + (<usize>r << 2));
    memory.copy(outPtr + <usize>r * bytes, srcPtr + row * bytes, bytes);
  }
}

/**
 * Appends to a sparse tensor's update list the rows of idx not yet in it, in first-seen
 * order. state holds two i32: [count, stampValue]; out[0..count) is the list so far and
 * stamp[v] == stampValue marks v as listed. Callers bump stampValue for each new list, so
 * the table-sized stamp array never needs clearing and the cost stays O(n) however large
 * the table (a generation counter instead of a clear). With offsetsPtr ≠ 0, idx is a CSR
 * id list and the rows read are idx[offsets[0] .. offsets[n]) (a batch's multi-valued ids).
 * Negative ids (the padding of sequences) are skipped. Keeping the count in memory lets a recorded step program mark rows without handing a
 * count back to its caller. stamp must not overlap out or idx.
 */
export function embedding_mark_rows_i32(statePtr: usize, outPtr: usize, stampPtr: usize, idxPtr: usize, offsetsPtr: usize, n: i32): void {
  let from = 0;
  let to = n;
  if (offsetsPtr != 0) {
    from = load<i32>(offsetsPtr);
    to = load<i32>(offsetsPtr + (<usize>n << 2));
  }
  let count = load<i32>(statePtr);
  const stampValue = load<i32>(statePtr, 4);
  for (let r = from; r < to; r++) {
    const v = load<i32>(idxPtr + (<usize>r << 2));
    // Padding of a behaviour sequence (−1) is no row.
    if (v < 0) continue;
    const at = stampPtr + (<usize>v << 2);
    if (load<i32>(at) != stampValue) {
      store<i32>(at, stampValue);
      store<i32>(outPtr + (<usize>count << 2), v);
      count++;
    }
  }
  store<i32>(statePtr, count);
}
