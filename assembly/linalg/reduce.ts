// Reductions over the batch dimension: the bias gradient of a dense layer.

/**
 * y[j] (+)= Σ_r X[r,j] for X[m×n] row-major (db = Σ over the batch of dY); accumulate = 1
 * adds into y, 0 overwrites it. Columns go 16 at a time (4 accumulators walking down the
 * rows), then 4, then one by one. y must not alias X.
 */
export function linalg_col_sum_f32(yPtr: usize, xPtr: usize, m: i32, n: i32, accumulate: i32): void {
  const rowBytes = <usize>n << 2;
  let j = 0;
  for (; j + 16 <= n; j += 16) {
    const y = yPtr + (<usize>j << 2);
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    let x = xPtr + (<usize>j << 2);
    for (let r = 0; r < m; r++) {
      s0 = f32x4.add(s0, v128.load(x));
      s1 = f32x4.add(s1, v128.load(x, 16));
      s2 = f32x4.add(s2, v128.load(x, 32));
      s3 = f32x4.add(s3, v128.load(x, 48));
      x += rowBytes;
    }
    if (accumulate) {
      s0 = f32x4.add(s0, v128.load(y));
      s1 = f32x4.add(s1, v128.load(y, 16));
      s2 = f32x4.add(s2, v128.load(y, 32));
      s3 = f32x4.add(s3, v128.load(y, 48));
    }
    v128.store(y, s0);
    v128.store(y, s1, 16);
    v128.store(y, s2, 32);
    v128.store(y, s3, 48);
  }
  for (; j + 4 <= n; j += 4) {
    const y = yPtr + (<usize>j << 2);
    let s = f32x4.splat(0);
    let x = xPtr + (<usize>j << 2);
    for (let r = 0; r < m; r++) {
      s = f32x4.add(s, v128.load(x));
      x += rowBytes;
    }
    v128.store(y, accumulate ? f32x4.add(s, v128.load(y)) : s);
  }
  for (; j < n; j++) {
    const y = yPtr + (<usize>j << 2);
    let s: f32 = 0;
    let x = xPtr + (<usize>j << 2);
    for (let r = 0; r < m; r++) {
      s += load<f32>(x);
      x += rowBytes;
    }
    store<f32>(y, accumulate ? s + load<f32>(y) : s);
  }
}
