// SVD++ (Koren, "Factorization meets the neighborhood", KDD 2008) with any implicit sets: a
// user's vector is p_u plus weighted rows of a table Y — the items she rated (SVD++'s N(u))
// and, for social data, the users she trusts (the user half of TrustSVD, Guo et al. AAAI
// 2015). Per-user SGD as Koren implements it: the implicit sum is built once per user and its
// gradient applied once after her examples, so a user costs O((|N(u)| + n_u) k), not O(|N(u)| n_u k).
import { hsum } from '../shared/simd';

// @ts-ignore: decorator
@inline function dotRow(a: usize, b: usize, k: i32): f32 {
  const vecEnd = k & ~3;
  let acc = f32x4.splat(0);
  let c = 0;
  for (; c < vecEnd; c += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(a + (<usize>c << 2)), v128.load(b + (<usize>c << 2))));
  let dot = hsum(acc);
  for (; c < k; c++) dot += load<f32>(a + (<usize>c << 2)) * load<f32>(b + (<usize>c << 2));
  return dot;
}

/**
 * For each user u = userOrder[t], t in [start, start+count), with examples exStart[u] ..
 * exStart[u+1] of (items, ratings) and implicit entries impStart[u] .. impStart[u+1] of
 * (impRows into Y, impWeights):
 *   z = P[u] + Σ w_j Y[j];  g = 0
 *   per example (i, r):  e = r − (mu + bu[u] + bi[i] + z·Q[i])
 *     bu[u] += lr (e − regBias bu[u]);  bi[i] += lr (e − regBias bi[i]);  g += e Q[i]
 *     Δp = lr (e Q[i] − regFactor P[u]);  P[u] += Δp;  z += Δp;  Q[i] += lr (e z_old − regFactor Q[i])
 *   then per implicit entry:  Y[j] += lr (w_j g − n_u regImplicit Y[j])  (n_u: her examples,
 *   so that the step equals per-example SGD's, whose decay acts once per example)
 * Returns Σ e² (f64, errors before each update). scratch holds 2k f32 (z, g). tablesPtr holds
 * the addresses (u32) of P, Q, bu, bi, Y; dataPtr those of userOrder, exStart, items, ratings,
 * impStart, impRows, impWeights (i32, i32, i32, f32, i32, i32, f32).
 */
export function fused_svdpp_sgd_f32(tablesPtr: usize, dataPtr: usize, start: i32, count: i32, k: i32, mu: f32, lr: f32, regFactor: f32, regBias: f32, regImplicit: f32, scratchPtr: usize): f64 {
  // Two address blocks keep the signature within a step program's 16 arguments.
  const pPtr = <usize>load<u32>(tablesPtr);
  const qPtr = <usize>load<u32>(tablesPtr, 4);
  const buPtr = <usize>load<u32>(tablesPtr, 8);
  const biPtr = <usize>load<u32>(tablesPtr, 12);
  const yPtr = <usize>load<u32>(tablesPtr, 16);
  const userOrderPtr = <usize>load<u32>(dataPtr);
  const exStartPtr = <usize>load<u32>(dataPtr, 4);
  const itemsPtr = <usize>load<u32>(dataPtr, 8);
  const ratingsPtr = <usize>load<u32>(dataPtr, 12);
  const impStartPtr = <usize>load<u32>(dataPtr, 16);
  const impRowsPtr = <usize>load<u32>(dataPtr, 20);
  const impWeightsPtr = <usize>load<u32>(dataPtr, 24);
  const rowBytes = <usize>k << 2;
  const vecEnd = k & ~3;
  const z = scratchPtr;
  const g = scratchPtr + rowBytes;
  const lrV = f32x4.splat(lr);
  const regV = f32x4.splat(regFactor);
  let sse: f64 = 0;
  for (let t = start; t < start + count; t++) {
    const u = <usize>load<i32>(userOrderPtr + (<usize>t << 2));
    const pu = pPtr + u * rowBytes;
    const buAt = buPtr + (u << 2);
    const impFrom = load<i32>(impStartPtr + (u << 2));
    const impTo = load<i32>(impStartPtr + ((u + 1) << 2));
    memory.copy(z, pu, rowBytes);
    memory.fill(g, 0, rowBytes);
    for (let e = impFrom; e < impTo; e++) {
      const yj = yPtr + <usize>load<i32>(impRowsPtr + (<usize>e << 2)) * rowBytes;
      const wV = f32x4.splat(load<f32>(impWeightsPtr + (<usize>e << 2)));
      let c = 0;
      for (; c < vecEnd; c += 4) v128.store(z + (<usize>c << 2), f32x4.add(v128.load(z + (<usize>c << 2)), f32x4.mul(wV, v128.load(yj + (<usize>c << 2)))));
      const w = load<f32>(impWeightsPtr + (<usize>e << 2));
      for (; c < k; c++) store<f32>(z + (<usize>c << 2), load<f32>(z + (<usize>c << 2)) + w * load<f32>(yj + (<usize>c << 2)));
    }
    const exFrom = load<i32>(exStartPtr + (u << 2));
    const exTo = load<i32>(exStartPtr + ((u + 1) << 2));
    const decay: f32 = regImplicit * <f32>(exTo - exFrom);
    for (let x = exFrom; x < exTo; x++) {
      const i = <usize>load<i32>(itemsPtr + (<usize>x << 2));
      const qi = qPtr + i * rowBytes;
      const biAt = biPtr + (i << 2);
      const bu = load<f32>(buAt);
      const bi = load<f32>(biAt);
      const err: f32 = load<f32>(ratingsPtr + (<usize>x << 2)) - (mu + bu + bi + dotRow(z, qi, k));
      sse += <f64>err * <f64>err;
      store<f32>(buAt, bu + lr * (err - regBias * bu));
      store<f32>(biAt, bi + lr * (err - regBias * bi));
      const eV = f32x4.splat(err);
      let c = 0;
      for (; c < vecEnd; c += 4) {
        const off = <usize>c << 2;
        const p = v128.load(pu + off);
        const q = v128.load(qi + off);
        const zc = v128.load(z + off);
        const dp = f32x4.mul(lrV, f32x4.sub(f32x4.mul(eV, q), f32x4.mul(regV, p)));
        v128.store(pu + off, f32x4.add(p, dp));
        v128.store(z + off, f32x4.add(zc, dp));
        v128.store(qi + off, f32x4.add(q, f32x4.mul(lrV, f32x4.sub(f32x4.mul(eV, zc), f32x4.mul(regV, q)))));
        v128.store(g + off, f32x4.add(v128.load(g + off), f32x4.mul(eV, q)));
      }
      for (; c < k; c++) {
        const off = <usize>c << 2;
        const p = load<f32>(pu + off);
        const q = load<f32>(qi + off);
        const zc = load<f32>(z + off);
        const dp = lr * (err * q - regFactor * p);
        store<f32>(pu + off, p + dp);
        store<f32>(z + off, zc + dp);
        store<f32>(qi + off, q + lr * (err * zc - regFactor * q));
        store<f32>(g + off, load<f32>(g + off) + err * q);
      }
    }
    for (let e = impFrom; e < impTo; e++) {
      const yj = yPtr + <usize>load<i32>(impRowsPtr + (<usize>e << 2)) * rowBytes;
      const w = load<f32>(impWeightsPtr + (<usize>e << 2));
      for (let c = 0; c < k; c++) {
        const off = <usize>c << 2;
        const y = load<f32>(yj + off);
        store<f32>(yj + off, y + lr * (w * load<f32>(g + off) - decay * y));
      }
    }
  }
  return sse;
}

/**
 * Z[u] = P[u] + Σ_{e in impStart[u]..impStart[u+1]} impWeights[e] Y[impRows[e]] for u < nUsers:
 * the effective user vectors, so that a trained SVD++ serves as plain MF.
 */
export function fused_svdpp_fold_f32(zPtr: usize, pPtr: usize, yPtr: usize, impStartPtr: usize, impRowsPtr: usize, impWeightsPtr: usize, nUsers: i32, k: i32): void {
  const rowBytes = <usize>k << 2;
  for (let u = 0; u < nUsers; u++) {
    const zu = zPtr + <usize>u * rowBytes;
    memory.copy(zu, pPtr + <usize>u * rowBytes, rowBytes);
    const to = load<i32>(impStartPtr + (<usize>(u + 1) << 2));
    for (let e = load<i32>(impStartPtr + (<usize>u << 2)); e < to; e++) {
      const yj = yPtr + <usize>load<i32>(impRowsPtr + (<usize>e << 2)) * rowBytes;
      const w = load<f32>(impWeightsPtr + (<usize>e << 2));
      for (let c = 0; c < k; c++) store<f32>(zu + (<usize>c << 2), load<f32>(zu + (<usize>c << 2)) + w * load<f32>(yj + (<usize>c << 2)));
    }
  }
}
