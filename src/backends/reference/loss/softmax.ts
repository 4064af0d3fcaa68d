// Reference row-wise softmax cross-entropy (mirrors assembly/loss/softmax.ts).
import type { Heap } from '../../heap.js';

/**
 * Per row r of the m×n logits, with positive column t = target[r]:
 * z[c] = logits[r,c] − logQ[c] (when logQPtr ≠ 0); columns c ≠ t with key[c] = key[t] are
 * left out (when keyPtr ≠ 0). Returns Σ_r logsumexp(z) − z[t] (in f64);
 * grad[r,c] = scale · (softmax(z)_c − [c = t]), 0 for left-out columns. A row with t = −1
 * (padding) adds nothing and gets a zero gradient row.
 */
export function softmaxXentRows(h: Heap, gradPtr: number, logitsPtr: number, targetPtr: number, keyPtr: number, logQPtr: number, m: number, n: number, scale: number): number {
  const f = h.f32;
  const i = h.i32;
  let total = 0;
  for (let r = 0; r < m; r++) {
    const t = i[(targetPtr >> 2) + r];
    if (t < 0) {
      f.fill(0, (gradPtr >> 2) + r * n, (gradPtr >> 2) + (r + 1) * n);
      continue;
    }
    const kept = (c: number) => keyPtr === 0 || c === t || i[(keyPtr >> 2) + c] !== i[(keyPtr >> 2) + t];
    const z = (c: number) => Math.fround(f[(logitsPtr >> 2) + r * n + c] - (logQPtr !== 0 ? f[(logQPtr >> 2) + c] : 0));
    const zPos = z(t); // read before grad (which may alias logits) overwrites the row
    let zMax = -Infinity;
    for (let c = 0; c < n; c++) if (kept(c)) zMax = Math.max(zMax, z(c));
    let sum = 0;
    for (let c = 0; c < n; c++) if (kept(c)) sum += Math.exp(z(c) - zMax);
    for (let c = 0; c < n; c++) {
      const p = kept(c) ? Math.exp(z(c) - zMax) / sum : 0;
      f[(gradPtr >> 2) + r * n + c] = scale * (p - (c === t ? 1 : 0));
    }
    total += Math.log(sum) + zMax - zPos;
  }
  return total;
}
