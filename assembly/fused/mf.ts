// Fused biased matrix factorisation: r̂ = mu + bu[u] + bi[i] + P[u]·Q[i].
// The per-example SGD epoch, batch prediction and the batch backward pass.
import { hsum } from '../shared/simd';

// @ts-ignore: decorator
@inline function dotRow(a: usize, b: usize, k: i32): f32 {
  const vecEnd = k & ~3;
  let acc = f32x4.splat(0);
  let c = 0;
  for (; c < vecEnd; c += 4) {
    const off = <usize>c << 2;
    acc = f32x4.add(acc, f32x4.mul(v128.load(a + off), v128.load(b + off)));
  }
  let dot = hsum(acc);
  for (; c < k; c++) {
    const off = <usize>c << 2;
    dot += load<f32>(a + off) * load<f32>(b + off);
  }
  return dot;
}

/**
 * The classic per-example SGD of biased MF (Funk-SVD; Koren, Bell & Volinsky, "Matrix
 * factorization techniques for recommender systems", IEEE Computer 2009) over the
 * examples order[start .. start+count), in that order (orderPtr = 0: examples start ..
 * start+count in storage order, for callers that lay each epoch out contiguously):
 *   e = r - (mu + bu[u] + bi[i] + P[u]·Q[i])
 *   bu[u] += lr (e - regBias bu[u]);  bi[i] += lr (e - regBias bi[i])
 *   P[u] += lr (e Q[i] - regFactor P[u]);  Q[i] += lr (e P[u]_old - regFactor Q[i])
 * Returns Σ e² (f64; e is the error before the update).
 * Layout: P nUsers×k, Q nItems×k row-major; bu, bi, ratings f32; users, items, order i32
 * (order indexes the example arrays). Updates are in place; the tables must not overlap.
 * Only the caller's chunk is processed so that it can call per few hundred examples:
 * V8 tiers the function up between calls (see docs/performance-notes.md).
 */
export function fused_mf_sgd_chunk_f32(pPtr: usize, qPtr: usize, buPtr: usize, biPtr: usize, usersPtr: usize, itemsPtr: usize, ratingsPtr: usize, orderPtr: usize, start: i32, count: i32, k: i32, mu: f32, lr: f32, regFactor: f32, regBias: f32): f64 {
  const rowBytes = <usize>k << 2;
  const vecEnd = k & ~3;
  const lrV = f32x4.splat(lr);
  const regV = f32x4.splat(regFactor);
  let sse: f64 = 0;
  const end = start + count;
  for (let t = start; t < end; t++) {
    // Storage order reads the example columns sequentially: through a shuffled order at
    // 1M ratings the three dependent cache misses per example halve the throughput.
    const ex = orderPtr ? <usize>load<i32>(orderPtr + (<usize>t << 2)) << 2 : <usize>t << 2;
    const u = <usize>load<i32>(usersPtr + ex);
    const i = <usize>load<i32>(itemsPtr + ex);
    const pu = pPtr + u * rowBytes;
    const qi = qPtr + i * rowBytes;
    const buAt = buPtr + (u << 2);
    const biAt = biPtr + (i << 2);
    const bu = load<f32>(buAt);
    const bi = load<f32>(biAt);
    const e: f32 = load<f32>(ratingsPtr + ex) - (mu + bu + bi + dotRow(pu, qi, k));
    sse += <f64>e * <f64>e;
    store<f32>(buAt, bu + lr * (e - regBias * bu));
    store<f32>(biAt, bi + lr * (e - regBias * bi));
    const eV = f32x4.splat(e);
    let c = 0;
    for (; c < vecEnd; c += 4) {
      const off = <usize>c << 2;
      const p = v128.load(pu + off);
      const q = v128.load(qi + off);
      v128.store(pu + off, f32x4.add(p, f32x4.mul(lrV, f32x4.sub(f32x4.mul(eV, q), f32x4.mul(regV, p)))));
      v128.store(qi + off, f32x4.add(q, f32x4.mul(lrV, f32x4.sub(f32x4.mul(eV, p), f32x4.mul(regV, q)))));
    }
    for (; c < k; c++) {
      const off = <usize>c << 2;
      const p = load<f32>(pu + off);
      const q = load<f32>(qi + off);
      store<f32>(pu + off, p + lr * (e * q - regFactor * p));
      store<f32>(qi + off, q + lr * (e * p - regFactor * q));
    }
  }
  return sse;
}

/**
 * pred[r] = mu + bu[users[r]] + bi[items[r]] + P[users[r]]·Q[items[r]], r < n.
 * Layout as in fused_mf_sgd_chunk_f32; pred (n floats) must not alias the tables.
 */
export function fused_mf_predict_f32(predPtr: usize, pPtr: usize, qPtr: usize, buPtr: usize, biPtr: usize, usersPtr: usize, itemsPtr: usize, n: i32, k: i32, mu: f32): void {
  const rowBytes = <usize>k << 2;
  for (let r = 0; r < n; r++) {
    const at = <usize>r << 2;
    const u = <usize>load<i32>(usersPtr + at);
    const i = <usize>load<i32>(itemsPtr + at);
    const dot = dotRow(pPtr + u * rowBytes, qPtr + i * rowBytes, k);
    store<f32>(predPtr + at, mu + load<f32>(buPtr + (u << 2)) + load<f32>(biPtr + (i << 2)) + dot);
  }
}

/**
 * Backward of fused_mf_predict_f32 given d = dLoss/dpred[r], accumulated (never
 * overwritten) so that a user or item seen twice in the batch gets both contributions:
 *   gP[u] += d Q[i];  gQ[i] += d P[u];  gBu[u] += d;  gBi[i] += d.
 * Gradient tables have the shapes of P, Q, bu, bi and must not alias them.
 */
export function fused_mf_backward_f32(gPPtr: usize, gQPtr: usize, gBuPtr: usize, gBiPtr: usize, dPredPtr: usize, pPtr: usize, qPtr: usize, usersPtr: usize, itemsPtr: usize, n: i32, k: i32): void {
  const rowBytes = <usize>k << 2;
  const vecEnd = k & ~3;
  for (let r = 0; r < n; r++) {
    const at = <usize>r << 2;
    const u = <usize>load<i32>(usersPtr + at);
    const i = <usize>load<i32>(itemsPtr + at);
    const d = load<f32>(dPredPtr + at);
    const pu = pPtr + u * rowBytes;
    const qi = qPtr + i * rowBytes;
    const gpu = gPPtr + u * rowBytes;
    const gqi = gQPtr + i * rowBytes;
    store<f32>(gBuPtr + (u << 2), load<f32>(gBuPtr + (u << 2)) + d);
    store<f32>(gBiPtr + (i << 2), load<f32>(gBiPtr + (i << 2)) + d);
    const dV = f32x4.splat(d);
    let c = 0;
    for (; c < vecEnd; c += 4) {
      const off = <usize>c << 2;
      v128.store(gpu + off, f32x4.add(v128.load(gpu + off), f32x4.mul(dV, v128.load(qi + off))));
      v128.store(gqi + off, f32x4.add(v128.load(gqi + off), f32x4.mul(dV, v128.load(pu + off))));
    }
    for (; c < k; c++) {
      const off = <usize>c << 2;
      store<f32>(gpu + off, load<f32>(gpu + off) + d * load<f32>(qi + off));
      store<f32>(gqi + off, load<f32>(gqi + off) + d * load<f32>(pu + off));
    }
  }
}
