// Pooling of padded behaviour sequences (YouTube's mean of watched items; sum; max), with
// optional per-event weights (time decay). A sequence is L item ids, −1 = padding; event j of
// row r is at ids[r·rowStride + j·slotStride] (row-major: L, 1; one column per slot: 1, N —
// the layout step programs replay, since a batch is then a plain offset of every column).

/** Pooling modes (src/backends/kernels.ts SEQ_POOL uses the same numbers). */
const MEAN = 0;
const SUM = 1;
const MAX = 2;

/**
 * out[r·outStride + c] for r < m: over the events j < L of row r with id_rj ≥ 0 (at
 * ids[r·rowStride + j·slotStride]; weights laid out alike, or weightsPtr 0 for w = 1),
 * x_j = table[id_rj]:
 *   mean: Σ w_j x_j / Σ w_j;  sum: Σ w_j x_j;  max: max_j w_j x_j (per column).
 * A row without events gives zeros. out must not alias table.
 */
export function nn_seq_pool_f32(outPtr: usize, outStride: i32, tablePtr: usize, idsPtr: usize, weightsPtr: usize, rowStride: i32, slotStride: i32, m: i32, L: i32, dim: i32, mode: i32): void {
  const rowBytes = <usize>dim << 2;
  const vecEnd = dim & ~3;
  for (let r = 0; r < m; r++) {
    const dst = outPtr + <usize>r * (<usize>outStride << 2);
    memory.fill(dst, 0, rowBytes);
    let total: f32 = 0;
    let first = true;
    for (let j = 0; j < L; j++) {
      const at = (<usize>r * <usize>rowStride + <usize>j * <usize>slotStride) << 2;
      const id = load<i32>(idsPtr + at);
      if (id < 0) continue;
      const w: f32 = weightsPtr ? load<f32>(weightsPtr + at) : 1;
      total += w;
      const src = tablePtr + <usize>id * rowBytes;
      const wV = f32x4.splat(w);
      let c = 0;
      if (mode == MAX) {
        for (; c < vecEnd; c += 4) {
          const x = f32x4.mul(wV, v128.load(src + (<usize>c << 2)));
          v128.store(dst + (<usize>c << 2), first ? x : f32x4.max(v128.load(dst + (<usize>c << 2)), x));
        }
        for (; c < dim; c++) {
          const x = w * load<f32>(src + (<usize>c << 2));
          store<f32>(dst + (<usize>c << 2), first ? x : max(load<f32>(dst + (<usize>c << 2)), x));
        }
      } else {
        for (; c < vecEnd; c += 4) v128.store(dst + (<usize>c << 2), f32x4.add(v128.load(dst + (<usize>c << 2)), f32x4.mul(wV, v128.load(src + (<usize>c << 2)))));
        for (; c < dim; c++) store<f32>(dst + (<usize>c << 2), load<f32>(dst + (<usize>c << 2)) + w * load<f32>(src + (<usize>c << 2)));
      }
      first = false;
    }
    if (mode == MEAN && total != 0) {
      const inv = f32x4.splat(<f32>1 / total);
      let c = 0;
      for (; c < vecEnd; c += 4) v128.store(dst + (<usize>c << 2), f32x4.mul(inv, v128.load(dst + (<usize>c << 2))));
      for (; c < dim; c++) store<f32>(dst + (<usize>c << 2), load<f32>(dst + (<usize>c << 2)) / total);
    }
  }
}

/**
 * The backward of nn_seq_pool_f32: gradTable[id] += dOut[r] scaled by the event's share
 * (mean: w_j / Σ w; sum: w_j; max: w_j on the columns where that event was the maximum —
 * the first such event on ties — found again from the table and the forward output).
 */
export function nn_seq_pool_backward_f32(gradTablePtr: usize, dOutPtr: usize, dOutStride: i32, outPtr: usize, outStride: i32, tablePtr: usize, idsPtr: usize, weightsPtr: usize, rowStride: i32, slotStride: i32, m: i32, L: i32, dim: i32, mode: i32): void {
  const rowBytes = <usize>dim << 2;
  const vecEnd = dim & ~3;
  for (let r = 0; r < m; r++) {
    const g = dOutPtr + <usize>r * (<usize>dOutStride << 2);
    let total: f32 = 0;
    if (mode == MEAN) {
      for (let j = 0; j < L; j++) {
        const at = (<usize>r * <usize>rowStride + <usize>j * <usize>slotStride) << 2;
        if (load<i32>(idsPtr + at) >= 0) total += weightsPtr ? load<f32>(weightsPtr + at) : 1;
      }
      if (total == 0) continue;
    }
    const y = outPtr + <usize>r * (<usize>outStride << 2);
    for (let j = 0; j < L; j++) {
      const at = (<usize>r * <usize>rowStride + <usize>j * <usize>slotStride) << 2;
      const id = load<i32>(idsPtr + at);
      if (id < 0) continue;
      const w: f32 = weightsPtr ? load<f32>(weightsPtr + at) : 1;
      const dst = gradTablePtr + <usize>id * rowBytes;
      if (mode == MAX) {
        const src = tablePtr + <usize>id * rowBytes;
        for (let c = 0; c < dim; c++) {
          const off = <usize>c << 2;
          // The gradient goes to the first event that reaches the maximum (exact comparison: the same product as the forward).
          if (w * load<f32>(src + off) == load<f32>(y + off) && !earlierMax(tablePtr, idsPtr, weightsPtr, r, j, rowStride, slotStride, rowBytes, off, load<f32>(y + off))) {
            store<f32>(dst + off, load<f32>(dst + off) + w * load<f32>(g + off));
          }
        }
        continue;
      }
      const s: f32 = mode == MEAN ? w / total : w;
      const sV = f32x4.splat(s);
      let c = 0;
      for (; c < vecEnd; c += 4) v128.store(dst + (<usize>c << 2), f32x4.add(v128.load(dst + (<usize>c << 2)), f32x4.mul(sV, v128.load(g + (<usize>c << 2)))));
      for (; c < dim; c++) store<f32>(dst + (<usize>c << 2), load<f32>(dst + (<usize>c << 2)) + s * load<f32>(g + (<usize>c << 2)));
    }
  }
}

/** Whether an event before j in row r already reaches the maximum `y` in column `off`. */
function earlierMax(tablePtr: usize, idsPtr: usize, weightsPtr: usize, r: i32, j: i32, rowStride: i32, slotStride: i32, rowBytes: usize, off: usize, y: f32): bool {
  for (let k = 0; k < j; k++) {
    const at = (<usize>r * <usize>rowStride + <usize>k * <usize>slotStride) << 2;
    const id = load<i32>(idsPtr + at);
    if (id < 0) continue;
    const w: f32 = weightsPtr ? load<f32>(weightsPtr + at) : 1;
    if (w * load<f32>(tablePtr + <usize>id * rowBytes + off) == y) return true;
  }
  return false;
}
