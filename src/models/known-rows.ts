// The one rule for which embedding row an id reads: its own when it had training
// interactions, else the "unknown" row that every table has after the last id (trained by
// id dropout in feature models, zero in MF). Used by predictions of every model.

/**
 * Rows of `indices` in a table of seen.length + 1 rows: v itself when seen[v] = 1, else
 * the unknown row seen.length (also for -1 and out-of-range indices).
 *
 * @example
 * knownRows(Int32Array.of(0, 1, -1), Uint8Array.of(1, 0)); // Int32Array [0, 2, 2]
 */
export function knownRows(indices: ArrayLike<number>, seen: Uint8Array): Int32Array {
  const unknown = seen.length;
  const out = new Int32Array(indices.length);
  for (let r = 0; r < indices.length; r++) {
    const v = indices[r];
    out[r] = v >= 0 && v < unknown && seen[v] === 1 ? v : unknown;
  }
  return out;
}
