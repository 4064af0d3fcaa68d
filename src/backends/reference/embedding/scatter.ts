// Reference embedding backward (mirrors assembly/embedding/scatter.ts).
import type { Heap } from '../../heap.js';

/** gradTable[idx[r]*dim + c] += gradRows[r*gradStride + c]; repeated indices accumulate. */
export function scatterAdd(h: Heap, gradTablePtr: number, gradRowsPtr: number, gradStride: number, idxPtr: number, n: number, dim: number): void {
  const f = h.f32;
  const idx = h.i32;
  for (let r = 0; r < n; r++) {
    const row = idx[(idxPtr >> 2) + r];
    for (let c = 0; c < dim; c++) {
      f[(gradTablePtr >> 2) + row * dim + c] += f[(gradRowsPtr >> 2) + r * gradStride + c];
    }
  }
}

/** Each id j of row r: gradTable[ids[j]] += gradRows[r] / count(r); empty rows add nothing. */
export function scatterAddMean(h: Heap, gradTablePtr: number, gradRowsPtr: number, gradStride: number, idsPtr: number, offsetsPtr: number, n: number, dim: number): void {
  const f = h.f32;
  const i32 = h.i32;
  for (let r = 0; r < n; r++) {
    const begin = i32[(offsetsPtr >> 2) + r];
    const end = i32[(offsetsPtr >> 2) + r + 1];
    if (end <= begin) continue;
    const inv = Math.fround(1 / (end - begin));
    for (let j = begin; j < end; j++) {
      const row = i32[(idsPtr >> 2) + j];
      for (let c = 0; c < dim; c++) {
        f[(gradTablePtr >> 2) + row * dim + c] += Math.fround(f[(gradRowsPtr >> 2) + r * gradStride + c] * inv);
      }
    }
  }
}

/** Backward of `gatherWeighted`: table row ids[j] += w[j] · gradRows[r]. */
export function scatterAddWeighted(h: Heap, gradTablePtr: number, gradRowsPtr: number, gradStride: number, idsPtr: number, weightsPtr: number, offsetsPtr: number, n: number, dim: number): void {
  const f = h.f32;
  const i32 = h.i32;
  for (let r = 0; r < n; r++) {
    const begin = i32[(offsetsPtr >> 2) + r];
    const end = i32[(offsetsPtr >> 2) + r + 1];
    for (let j = begin; j < end; j++) {
      const row = i32[(idsPtr >> 2) + j];
      const w = f[(weightsPtr >> 2) + j];
      for (let c = 0; c < dim; c++) {
        f[(gradTablePtr >> 2) + row * dim + c] += Math.fround(f[(gradRowsPtr >> 2) + r * gradStride + c] * w);
      }
    }
  }
}
