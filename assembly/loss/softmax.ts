// Row-wise softmax cross-entropy: in-batch sampled softmax for two-tower retrieval.

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
 * gradient row. Scalar: exp has no SIMD instruction; m·n exps cost about as much as the m×n×dim GEMM
 * that produced the logits for dim ≈ 32.
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
