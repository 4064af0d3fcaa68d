// Reference skip-gram with negative sampling (mirrors assembly/embed/skipgram.ts).
import type { Heap } from '../../heap.js';

const f32 = Math.fround;

/**
 * For each pair p, in order: v = IN[centers[p]]; for the context (label 1) and each negative
 * (label 0): s = v·OUT[t], g = lr (label − σ(s)), acc += g OUT[t], OUT[t] += g v; then
 * IN[centers[p]] += acc. Returns Σ −log σ(±s). Products rounded to f32 like the WASM core.
 */
export function skipgramSgd(h: Heap, inPtr: number, outPtr: number, centersPtr: number, contextsPtr: number, negativesPtr: number, nPairs: number, nNeg: number, dim: number, lr: number, scratchPtr: number): number {
  const f = h.f32;
  const ints = h.i32;
  lr = f32(lr);
  const acc = scratchPtr >> 2;
  let loss = 0;
  for (let p = 0; p < nPairs; p++) {
    const v = (inPtr >> 2) + ints[(centersPtr >> 2) + p] * dim;
    f.fill(0, acc, acc + dim);
    for (let j = -1; j < nNeg; j++) {
      const target = j < 0 ? ints[(contextsPtr >> 2) + p] : ints[(negativesPtr >> 2) + p * nNeg + j];
      const u = (outPtr >> 2) + target * dim;
      let s = 0;
      for (let c = 0; c < dim; c++) s = f32(s + f32(f[v + c] * f[u + c]));
      const z = j < 0 ? s : -s;
      loss += z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
      const g = f32(lr * f32((j < 0 ? 1 : 0) - f32(1 / (1 + Math.exp(-s)))));
      for (let c = 0; c < dim; c++) f[acc + c] = f32(f[acc + c] + f32(g * f[u + c]));
      for (let c = 0; c < dim; c++) f[u + c] = f32(f[u + c] + f32(g * f[v + c]));
    }
    for (let c = 0; c < dim; c++) f[v + c] = f32(f[v + c] + f[acc + c]);
  }
  return loss;
}
