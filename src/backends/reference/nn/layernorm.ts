// Reference layer normalisation (mirrors assembly/nn/layernorm.ts).
import type { Heap } from '../../heap.js';

const f32 = Math.fround;

/** z = x + res (resPtr 0: x); xhat = (z − μ)/√(σ² + eps), y = gain ⊙ xhat + bias per row; stores xhat and rstd. */
export function layerNorm(h: Heap, yPtr: number, xhatPtr: number, rstdPtr: number, xPtr: number, resPtr: number, gainPtr: number, biasPtr: number, rows: number, d: number, eps: number): void {
  const f = h.f32;
  for (let r = 0; r < rows; r++) {
    const z = Array.from({ length: d }, (_, c) => f32(f[(xPtr >> 2) + r * d + c] + (resPtr ? f[(resPtr >> 2) + r * d + c] : 0)));
    let mean = 0;
    for (let c = 0; c < d; c++) mean += z[c];
    mean /= d;
    let v = 0;
    for (let c = 0; c < d; c++) v += (z[c] - mean) ** 2;
    const rstd = 1 / Math.sqrt(v / d + eps);
    f[(rstdPtr >> 2) + r] = rstd;
    for (let c = 0; c < d; c++) {
      const xh = f32((z[c] - mean) * rstd);
      f[(xhatPtr >> 2) + r * d + c] = xh;
      f[(yPtr >> 2) + r * d + c] = f32(xh * f[(gainPtr >> 2) + c] + f[(biasPtr >> 2) + c]);
    }
  }
}

/** g = dy ⊙ gain; dx = rstd (g − mean g − xhat mean(g ⊙ xhat)); dGain += Σ dy ⊙ xhat; dBias += Σ dy. */
export function layerNormBackward(h: Heap, dxPtr: number, dGainPtr: number, dBiasPtr: number, dyPtr: number, xhatPtr: number, rstdPtr: number, gainPtr: number, rows: number, d: number): void {
  const f = h.f32;
  for (let r = 0; r < rows; r++) {
    const dy = (dyPtr >> 2) + r * d;
    const xh = (xhatPtr >> 2) + r * d;
    let a = 0;
    let b = 0;
    const g: number[] = [];
    for (let c = 0; c < d; c++) {
      g.push(f[dy + c] * f[(gainPtr >> 2) + c]);
      a += g[c];
      b += g[c] * f[xh + c];
      f[(dGainPtr >> 2) + c] = f32(f[(dGainPtr >> 2) + c] + f[dy + c] * f[xh + c]);
      f[(dBiasPtr >> 2) + c] = f32(f[(dBiasPtr >> 2) + c] + f[dy + c]);
    }
    const rstd = f[(rstdPtr >> 2) + r];
    for (let c = 0; c < d; c++) f[(dxPtr >> 2) + r * d + c] = f32(rstd * (g[c] - a / d - f[xh + c] * (b / d)));
  }
}
