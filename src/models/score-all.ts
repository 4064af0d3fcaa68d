// Scoring every item for many users with one matrix product per block of users, for models
// whose score is μ + b_u + b_i + u·v (MF, two-tower with the dot head).

import type { Backend } from '../backends/index.js';

/** Most floats of the users × items output one GEMM call writes (4 MB), bounding memory for large catalogues. */
const MAX_BLOCK_FLOATS = 1 << 20;

export interface DotScoringInput {
  /** One row per user, in output order (users × dim). */
  userVectors: Float32Array;
  /** One bias per user, in output order. */
  userBias: Float32Array;
  /** One row per item, in output order (items × dim). */
  itemVectors: Float32Array;
  itemBias: Float32Array;
  /** Width of the vectors. */
  dim: number;
  mu: number;
  /**
   * `dotItemRows(x)` computed earlier, for callers that score one user per call against an
   * unchanged catalogue (`recommend`): rebuilding it was most of such a call's time.
   */
  itemRows?: Float32Array;
}

/**
 * The items' augmented rows [v | 1 | b_i + μ] (items × (dim + 2)) that `scoreAllItems`
 * multiplies the users' rows [u | b_u | 1] with.
 *
 * @example
 * const itemRows = dotItemRows({ itemVectors, itemBias, dim, mu });
 */
export function dotItemRows(x: Pick<DotScoringInput, 'itemVectors' | 'itemBias' | 'dim' | 'mu'>): Float32Array {
  const w = x.dim + 2;
  const nItems = x.itemBias.length;
  // Element loops, not a `subarray` view per row: creating nItems views per call took most
  // of a one-user call's time.
  const b = new Float32Array(nItems * w);
  for (let j = 0; j < nItems; j++) {
    for (let c = 0; c < x.dim; c++) b[j * w + c] = x.itemVectors[j * x.dim + c];
    b[j * w + x.dim] = 1;
    b[j * w + x.dim + 1] = x.itemBias[j] + x.mu;
  }
  return b;
}

/**
 * users × items scores, row-major: μ + b_u + b_i + u·v via one `gemmNt` per block of
 * users, over augmented rows [u | b_u | 1] and [v | 1 | b_i + μ]. The inputs may be views
 * of backend memory: they are copied before anything is allocated.
 *
 * @example
 * const scores = scoreAllItems(backend, { userVectors, userBias, itemVectors, itemBias, dim, mu });
 */
export function scoreAllItems(be: Backend, x: DotScoringInput): Float32Array {
  const w = x.dim + 2;
  const nItems = x.itemBias.length;
  const nUsers = x.userBias.length;
  const b = x.itemRows ?? dotItemRows(x);
  const a = new Float32Array(nUsers * w);
  for (let r = 0; r < nUsers; r++) {
    for (let c = 0; c < x.dim; c++) a[r * w + c] = x.userVectors[r * x.dim + c];
    a[r * w + x.dim] = x.userBias[r];
    a[r * w + x.dim + 1] = 1;
  }
  const out = new Float32Array(nUsers * nItems);
  if (nUsers === 0 || nItems === 0) return out;
  const block = Math.max(1, Math.min(nUsers, Math.floor(MAX_BLOCK_FLOATS / nItems)));
  const bBuf = be.allocF32(b.length, b);
  const aBuf = be.allocF32(block * w);
  const yBuf = be.allocF32(block * nItems);
  try {
    for (let start = 0; start < nUsers; start += block) {
      const m = Math.min(block, nUsers - start);
      be.write(aBuf, a.subarray(start * w, (start + m) * w));
      be.kernels.gemmNt(yBuf.ptr, aBuf.ptr, bBuf.ptr, m, nItems, w, 0);
      out.set(be.f32(yBuf).subarray(0, m * nItems), start * nItems);
    }
  } finally {
    for (const buf of [bBuf, aBuf, yBuf]) be.free(buf);
  }
  return out;
}

/** Rows `idx` of a rows × dim table, gathered into a new array (idx.length × dim). */
export function takeRows(table: Float32Array, dim: number, idx: Int32Array): Float32Array {
  const out = new Float32Array(idx.length * dim);
  for (let r = 0; r < idx.length; r++) out.set(table.subarray(idx[r] * dim, (idx[r] + 1) * dim), r * dim);
  return out;
}
