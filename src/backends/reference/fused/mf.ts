// Reference biased matrix factorisation (mirrors assembly/fused/mf.ts):
// r̂ = mu + bu[u] + bi[i] + P[u]·Q[i].
import type { Heap } from '../../heap.js';

const f32 = Math.fround;

/**
 * Per-example SGD (Funk-SVD) over examples order[start .. start+count):
 *   e = r - r̂
 *   bu[u] += lr (e - regBias bu[u]);  bi[i] += lr (e - regBias bi[i])
 *   P[u] += lr (e Q[i] - regFactor P[u]);  Q[i] += lr (e P[u]_old - regFactor Q[i])
 * Returns Σ e². Every intermediate is rounded to f32 like the WASM core: each update is
 * stored to f32 storage anyway, and matching roundings keeps the two close over an epoch.
 */
export function mfSgdChunk(h: Heap, pPtr: number, qPtr: number, buPtr: number, biPtr: number, usersPtr: number, itemsPtr: number, ratingsPtr: number, orderPtr: number, start: number, count: number, k: number, mu: number, lr: number, regFactor: number, regBias: number): number {
  const f = h.f32;
  const ints = h.i32;
  mu = f32(mu);
  lr = f32(lr);
  regFactor = f32(regFactor);
  regBias = f32(regBias);
  let sse = 0;
  for (let t = start; t < start + count; t++) {
    const ex = orderPtr ? ints[(orderPtr >> 2) + t] : t;
    const u = ints[(usersPtr >> 2) + ex];
    const i = ints[(itemsPtr >> 2) + ex];
    const p = (pPtr >> 2) + u * k;
    const q = (qPtr >> 2) + i * k;
    const bu = (buPtr >> 2) + u;
    const bi = (biPtr >> 2) + i;
    let dot = 0;
    for (let c = 0; c < k; c++) dot = f32(dot + f32(f[p + c] * f[q + c]));
    const pred = f32(f32(f32(mu + f[bu]) + f[bi]) + dot);
    const e = f32(f[(ratingsPtr >> 2) + ex] - pred);
    sse += e * e;
    f[bu] = f32(f[bu] + f32(lr * f32(e - f32(regBias * f[bu]))));
    f[bi] = f32(f[bi] + f32(lr * f32(e - f32(regBias * f[bi]))));
    for (let c = 0; c < k; c++) {
      const pOld = f[p + c];
      const qOld = f[q + c];
      f[p + c] = f32(pOld + f32(lr * f32(f32(e * qOld) - f32(regFactor * pOld))));
      f[q + c] = f32(qOld + f32(lr * f32(f32(e * pOld) - f32(regFactor * qOld))));
    }
  }
  return sse;
}

/** pred[r] = mu + bu[users[r]] + bi[items[r]] + P[users[r]]·Q[items[r]]. */
export function mfPredict(h: Heap, predPtr: number, pPtr: number, qPtr: number, buPtr: number, biPtr: number, usersPtr: number, itemsPtr: number, n: number, k: number, mu: number): void {
  const f = h.f32;
  const ints = h.i32;
  for (let r = 0; r < n; r++) {
    const u = ints[(usersPtr >> 2) + r];
    const i = ints[(itemsPtr >> 2) + r];
    let dot = 0;
    for (let c = 0; c < k; c++) dot = f32(dot + f32(f[(pPtr >> 2) + u * k + c] * f[(qPtr >> 2) + i * k + c]));
    f[(predPtr >> 2) + r] = f32(f32(f32(f32(mu) + f[(buPtr >> 2) + u]) + f[(biPtr >> 2) + i]) + dot);
  }
}

/** gP[u] += d Q[i]; gQ[i] += d P[u]; gBu[u] += d; gBi[i] += d, with d = dPred[r]. */
export function mfBackward(h: Heap, gPPtr: number, gQPtr: number, gBuPtr: number, gBiPtr: number, dPredPtr: number, pPtr: number, qPtr: number, usersPtr: number, itemsPtr: number, n: number, k: number): void {
  const f = h.f32;
  const ints = h.i32;
  for (let r = 0; r < n; r++) {
    const u = ints[(usersPtr >> 2) + r];
    const i = ints[(itemsPtr >> 2) + r];
    const d = f[(dPredPtr >> 2) + r];
    f[(gBuPtr >> 2) + u] += d;
    f[(gBiPtr >> 2) + i] += d;
    for (let c = 0; c < k; c++) {
      f[(gPPtr >> 2) + u * k + c] += f32(d * f[(qPtr >> 2) + i * k + c]);
      f[(gQPtr >> 2) + i * k + c] += f32(d * f[(pPtr >> 2) + u * k + c]);
    }
  }
}
