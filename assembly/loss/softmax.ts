// Row-wise softmax cross-entropy: in-batch sampled softmax for two-tower retrieval, and the
// full softmax over the catalogue of MF and the sequence models (rows × every item).

import { expV } from '../shared/exp';

/**
 * For each row r < m of the m×n logits (row-major, contiguous) with positive column t_r =
 * target[r]: z[r,c] = logits[r,c] − logQ[c] (the sampling-bias correction of Yi et al. 2019,
 * https://research.google/pubs/sampling-bias-corrected-neural-modeling-for-large-corpus-item-recommendations/,
 * skipped when logQPtr = 0). Columns c ≠ t_r with key[c] = key[t_r] are excluded (another copy
 * of the positive item in the batch is not a negative; skipped when keyPtr = 0). Returns
 * Σ_r [logsumexp_c z[r,c] − z[r,t_r]] over the kept columns, in f64, and writes
 * grad[r,c] = scale · (softmax(z[r])_c − [c = t_r]) (0 for excluded columns).
 * Stable: every exp sees z − max ≤ 0. grad may alias logits (a row's values are read before
 * it is overwritten). target: m i32 in [0, n); key: n i32; logQ: n f32.
 * A row whose target is −1 (a padded position of a sequence) adds no loss and gets a zero
 * gradient row. Without keys and logQ (the full softmax), a row runs in f32x4 with a polynomial
 * exp (../shared/exp.ts; sums in f64): the scalar Mathf.exp made the softmax cost as much as
 * the GEMM that produced its logits (sasrec on ML-100K: 0.77 s of a 3.8 s epoch).
 */
export function loss_softmax_xent_rows_f32(gradPtr: usize, logitsPtr: usize, targetPtr: usize, keyPtr: usize, logQPtr: usize, m: i32, n: i32, scale: f32): f64 {
  const rowBytes = <usize>n << 2;
  let total: f64 = 0;
  for (let r = 0; r < m; r++) {
    const x = logitsPtr + <usize>r * rowBytes;
    const g = gradPtr + <usize>r * rowBytes;
    const t = load<i32>(targetPtr + (<usize>r << 2));
    if (t < 0) {
      memory.fill(g, 0, rowBytes);
      continue;
    }
    if (!keyPtr && !logQPtr) {
      total += plainRow(g, x, t, n, scale);
      continue;
    }
    const tKey = keyPtr ? load<i32>(keyPtr + (<usize>t << 2)) : 0;
    let zMax: f32 = -Infinity;
    for (let c = 0; c < n; c++) {
      if (keyPtr && c != t && load<i32>(keyPtr + (<usize>c << 2)) == tKey) continue;
      const z = load<f32>(x + (<usize>c << 2)) - (logQPtr ? load<f32>(logQPtr + (<usize>c << 2)) : 0);
      zMax = Mathf.max(zMax, z);
    }
    const zPos = load<f32>(x + (<usize>t << 2)) - (logQPtr ? load<f32>(logQPtr + (<usize>t << 2)) : 0);
    let sum: f64 = 0;
    for (let c = 0; c < n; c++) {
      const off = <usize>c << 2;
      let e: f32 = 0;
      if (!(keyPtr && c != t && load<i32>(keyPtr + off) == tKey)) {
        e = Mathf.exp(load<f32>(x + off) - (logQPtr ? load<f32>(logQPtr + off) : 0) - zMax);
      }
      store<f32>(g + off, e);
      sum += <f64>e;
    }
    const k = <f32>(<f64>scale / sum);
    for (let c = 0; c < n; c++) {
      const off = <usize>c << 2;
      store<f32>(g + off, load<f32>(g + off) * k);
    }
    store<f32>(g + (<usize>t << 2), load<f32>(g + (<usize>t << 2)) - scale);
    total += Math.log(sum) + <f64>zMax - <f64>zPos;
  }
  return total;
}

/** One row of the full softmax (no keys, no logQ) in f32x4: writes its gradient, returns its loss. */
// @ts-ignore: decorator
@inline function plainRow(g: usize, x: usize, t: i32, n: i32, scale: f32): f64 {
  const n4 = n & ~3;
  let mx = f32x4.splat(-Infinity);
  for (let c = 0; c < n4; c += 4) mx = f32x4.max(mx, v128.load(x + (<usize>c << 2)));
  let zMax = Mathf.max(Mathf.max(f32x4.extract_lane(mx, 0), f32x4.extract_lane(mx, 1)), Mathf.max(f32x4.extract_lane(mx, 2), f32x4.extract_lane(mx, 3)));
  for (let c = n4; c < n; c++) zMax = Mathf.max(zMax, load<f32>(x + (<usize>c << 2)));
  const zPos = load<f32>(x + (<usize>t << 2));
  const shift = f32x4.splat(zMax);
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  for (let c = 0; c < n4; c += 4) {
    const off = <usize>c << 2;
    const e = expV(f32x4.sub(v128.load(x + off), shift));
    v128.store(g + off, e);
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(e));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(i32x4.shuffle(e, e, 2, 3, 0, 1)));
  }
  let sum: f64 = f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1) + f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1);
  for (let c = n4; c < n; c++) {
    const off = <usize>c << 2;
    const e = f32x4.extract_lane(expV(f32x4.splat(load<f32>(x + off) - zMax)), 0);
    store<f32>(g + off, e);
    sum += <f64>e;
  }
  const k = f32x4.splat(<f32>(<f64>scale / sum));
  for (let c = 0; c < n4; c += 4) {
    const off = <usize>c << 2;
    v128.store(g + off, f32x4.mul(v128.load(g + off), k));
  }
  const ks = <f32>(<f64>scale / sum);
  for (let c = n4; c < n; c++) {
    const off = <usize>c << 2;
    store<f32>(g + off, load<f32>(g + off) * ks);
  }
  store<f32>(g + (<usize>t << 2), load<f32>(g + (<usize>t << 2)) - scale);
  return Math.log(sum) + <f64>zMax - <f64>zPos;
}
