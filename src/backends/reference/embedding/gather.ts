// Reference embedding lookups (mirrors assembly/embedding/gather.ts).
import type { Heap } from '../../heap.js';

/** out[r*outStride + c] = table[idx[r]*dim + c]. */
export function gather(h: Heap, outPtr: number, outStride: number, tablePtr: number, idxPtr: number, n: number, dim: number): void {
  const f = h.f32;
  const idx = h.i32;
  const out = outPtr >> 2;
  const table = tablePtr >> 2;
  for (let r = 0; r < n; r++) {
    const row = idx[(idxPtr >> 2) + r];
    for (let c = 0; c < dim; c++) f[out + r * outStride + c] = f[table + row * dim + c];
  }
}

/** out[r] = mean of table rows ids[offsets[r] .. offsets[r+1]), zeros when empty. */
export function gatherMean(h: Heap, outPtr: number, outStride: number, tablePtr: number, idsPtr: number, offsetsPtr: number, n: number, dim: number): void {
  const f = h.f32;
  const i32 = h.i32;
  for (let r = 0; r < n; r++) {
    const begin = i32[(offsetsPtr >> 2) + r];
    const end = i32[(offsetsPtr >> 2) + r + 1];
    const inv = end > begin ? Math.fround(1 / (end - begin)) : 0;
    for (let c = 0; c < dim; c++) {
      let acc = 0;
      for (let j = begin; j < end; j++) {
        acc = Math.fround(acc + f[(tablePtr >> 2) + i32[(idsPtr >> 2) + j] * dim + c]);
      }
      f[(outPtr >> 2) + r * outStride + c] = Math.fround(acc * inv);
    }
  }
}

/** out[r] = Σ_j w[j] · table[ids[j]], j in [offsets[r], offsets[r+1]) (mirrors assembly/embedding/gather.ts). */
export function gatherWeighted(h: Heap, outPtr: number, outStride: number, tablePtr: number, idsPtr: number, weightsPtr: number, offsetsPtr: number, n: number, dim: number): void {
  const f = h.f32;
  const i32 = h.i32;
  for (let r = 0; r < n; r++) {
    const begin = i32[(offsetsPtr >> 2) + r];
    const end = i32[(offsetsPtr >> 2) + r + 1];
    for (let c = 0; c < dim; c++) {
      let acc = 0;
      for (let j = begin; j < end; j++) {
        acc = Math.fround(acc + Math.fround(f[(tablePtr >> 2) + i32[(idsPtr >> 2) + j] * dim + c] * f[(weightsPtr >> 2) + j]));
      }
      f[(outPtr >> 2) + r * outStride + c] = acc;
    }
  }
}
