// Reference pooling of padded sequences (mirrors assembly/seq/pool.ts).
import type { Heap } from '../../heap.js';

const f32 = Math.fround;

/** mean (0), sum (1) or max (2) of the weighted rows of each row's events (id −1 = padding); no events → zeros. */
export function seqPool(h: Heap, outPtr: number, outStride: number, tablePtr: number, idsPtr: number, weightsPtr: number, rowStride: number, slotStride: number, m: number, L: number, dim: number, mode: number): void {
  const f = h.f32;
  const ids = h.i32;
  for (let r = 0; r < m; r++) {
    const dst = (outPtr >> 2) + r * outStride;
    f.fill(0, dst, dst + dim);
    let total = 0;
    let first = true;
    for (let j = 0; j < L; j++) {
      const id = ids[(idsPtr >> 2) + r * rowStride + j * slotStride];
      if (id < 0) continue;
      const w = weightsPtr ? f[(weightsPtr >> 2) + r * rowStride + j * slotStride] : 1;
      total = f32(total + w);
      const src = (tablePtr >> 2) + id * dim;
      for (let c = 0; c < dim; c++) {
        const x = f32(w * f[src + c]);
        f[dst + c] = mode === 2 ? (first ? x : Math.max(f[dst + c], x)) : f32(f[dst + c] + x);
      }
      first = false;
    }
    if (mode === 0 && total !== 0) for (let c = 0; c < dim; c++) f[dst + c] = f32(f[dst + c] / total);
  }
}

/** The backward: each event's table row gets dOut scaled by its share (max: on the columns where it was the first maximum). */
export function seqPoolBackward(h: Heap, gradTablePtr: number, dOutPtr: number, dOutStride: number, outPtr: number, outStride: number, tablePtr: number, idsPtr: number, weightsPtr: number, rowStride: number, slotStride: number, m: number, L: number, dim: number, mode: number): void {
  const f = h.f32;
  const ids = h.i32;
  const at = (r: number, j: number) => r * rowStride + j * slotStride;
  const weight = (r: number, j: number) => (weightsPtr ? f[(weightsPtr >> 2) + at(r, j)] : 1);
  for (let r = 0; r < m; r++) {
    const g = (dOutPtr >> 2) + r * dOutStride;
    const y = (outPtr >> 2) + r * outStride;
    let total = 0;
    for (let j = 0; j < L; j++) if (ids[(idsPtr >> 2) + at(r, j)] >= 0) total = f32(total + weight(r, j));
    if (mode === 0 && total === 0) continue;
    const taken = new Uint8Array(mode === 2 ? dim : 0);
    for (let j = 0; j < L; j++) {
      const id = ids[(idsPtr >> 2) + at(r, j)];
      if (id < 0) continue;
      const w = weight(r, j);
      const dst = (gradTablePtr >> 2) + id * dim;
      const src = (tablePtr >> 2) + id * dim;
      const s = mode === 0 ? f32(w / total) : w;
      for (let c = 0; c < dim; c++) {
        if (mode === 2) {
          if (taken[c] || f32(w * f[src + c]) !== f[y + c]) continue;
          taken[c] = 1;
        }
        f[dst + c] = f32(f[dst + c] + f32(s * f[g + c]));
      }
    }
  }
}
