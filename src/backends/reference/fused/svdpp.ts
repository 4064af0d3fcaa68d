// Reference SVD++ with implicit sets (mirrors assembly/fused/svdpp.ts).
import type { Heap } from '../../heap.js';

const f32 = Math.fround;

/** Per-user SGD of SVD++ over users userOrder[start .. start+count); see the AssemblyScript kernel. Returns Σ e². */
export function svdppSgd(h: Heap, tablesPtr: number, dataPtr: number, start: number, count: number, k: number, mu: number, lr: number, regFactor: number, regBias: number, regImplicit: number, scratchPtr: number): number {
  const f = h.f32;
  const ints = h.i32;
  const [pPtr, qPtr, buPtr, biPtr, yPtr] = ints.subarray(tablesPtr >> 2, (tablesPtr >> 2) + 5);
  const [userOrderPtr, exStartPtr, itemsPtr, ratingsPtr, impStartPtr, impRowsPtr, impWeightsPtr] = ints.subarray(dataPtr >> 2, (dataPtr >> 2) + 7);
  [mu, lr, regFactor, regBias, regImplicit] = [mu, lr, regFactor, regBias, regImplicit].map(f32);
  const z = scratchPtr >> 2;
  const g = z + k;
  let sse = 0;
  for (let t = start; t < start + count; t++) {
    const u = ints[(userOrderPtr >> 2) + t];
    const p = (pPtr >> 2) + u * k;
    const bu = (buPtr >> 2) + u;
    const impFrom = ints[(impStartPtr >> 2) + u];
    const impTo = ints[(impStartPtr >> 2) + u + 1];
    for (let c = 0; c < k; c++) {
      f[z + c] = f[p + c];
      f[g + c] = 0;
    }
    for (let e = impFrom; e < impTo; e++) {
      const y = (yPtr >> 2) + ints[(impRowsPtr >> 2) + e] * k;
      const w = f[(impWeightsPtr >> 2) + e];
      for (let c = 0; c < k; c++) f[z + c] = f32(f[z + c] + f32(w * f[y + c]));
    }
    const decay = f32(regImplicit * (ints[(exStartPtr >> 2) + u + 1] - ints[(exStartPtr >> 2) + u]));
    for (let x = ints[(exStartPtr >> 2) + u]; x < ints[(exStartPtr >> 2) + u + 1]; x++) {
      const i = ints[(itemsPtr >> 2) + x];
      const q = (qPtr >> 2) + i * k;
      const bi = (biPtr >> 2) + i;
      let dot = 0;
      for (let c = 0; c < k; c++) dot = f32(dot + f32(f[z + c] * f[q + c]));
      const e = f32(f[(ratingsPtr >> 2) + x] - f32(f32(f32(mu + f[bu]) + f[bi]) + dot));
      sse += e * e;
      f[bu] = f32(f[bu] + f32(lr * f32(e - f32(regBias * f[bu]))));
      f[bi] = f32(f[bi] + f32(lr * f32(e - f32(regBias * f[bi]))));
      for (let c = 0; c < k; c++) {
        const pOld = f[p + c];
        const qOld = f[q + c];
        const zOld = f[z + c];
        const dp = f32(lr * f32(f32(e * qOld) - f32(regFactor * pOld)));
        f[p + c] = f32(pOld + dp);
        f[z + c] = f32(zOld + dp);
        f[q + c] = f32(qOld + f32(lr * f32(f32(e * zOld) - f32(regFactor * qOld))));
        f[g + c] = f32(f[g + c] + f32(e * qOld));
      }
    }
    for (let e = impFrom; e < impTo; e++) {
      const y = (yPtr >> 2) + ints[(impRowsPtr >> 2) + e] * k;
      const w = f[(impWeightsPtr >> 2) + e];
      for (let c = 0; c < k; c++) f[y + c] = f32(f[y + c] + f32(lr * f32(f32(w * f[g + c]) - f32(decay * f[y + c]))));
    }
  }
  return sse;
}

/** Z[u] = P[u] + Σ w Y[row] over u's implicit entries, u < nUsers. */
export function svdppFold(h: Heap, zPtr: number, pPtr: number, yPtr: number, impStartPtr: number, impRowsPtr: number, impWeightsPtr: number, nUsers: number, k: number): void {
  const f = h.f32;
  const ints = h.i32;
  for (let u = 0; u < nUsers; u++) {
    const zu = (zPtr >> 2) + u * k;
    for (let c = 0; c < k; c++) f[zu + c] = f[(pPtr >> 2) + u * k + c];
    for (let e = ints[(impStartPtr >> 2) + u]; e < ints[(impStartPtr >> 2) + u + 1]; e++) {
      const y = (yPtr >> 2) + ints[(impRowsPtr >> 2) + e] * k;
      const w = f[(impWeightsPtr >> 2) + e];
      for (let c = 0; c < k; c++) f[zu + c] = f32(f[zu + c] + f32(w * f[y + c]));
    }
  }
}
