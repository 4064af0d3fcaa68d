// Squared-error loss: its value and its gradient with respect to the predictions.

/**
 * Returns Σ_r (pred[r] - target[r])², summed in f64 so that the sum over a large batch or
 * an epoch loses no precision; writes grad[r] = scale · 2 · (pred[r] - target[r]) (scale
 * is typically 1/n for a mean). Layout: three contiguous f32 vectors of n. grad may alias
 * pred or target (each lane is read before it is written).
 */
export function loss_mse_f32(gradPtr: usize, predPtr: usize, targetPtr: usize, n: i32, scale: f32): f64 {
  const twoScale: f32 = scale * 2;
  const twoScaleV = f32x4.splat(twoScale);
  const vecEnd = n & ~3;
  let accLo = f64x2.splat(0);
  let accHi = f64x2.splat(0);
  let r = 0;
  for (; r < vecEnd; r += 4) {
    const off = <usize>r << 2;
    const d = f32x4.sub(v128.load(predPtr + off), v128.load(targetPtr + off));
    v128.store(gradPtr + off, f32x4.mul(twoScaleV, d));
    const lo = f64x2.promote_low_f32x4(d);
    const hi = f64x2.promote_low_f32x4(i32x4.shuffle(d, d, 2, 3, 0, 1));
    accLo = f64x2.add(accLo, f64x2.mul(lo, lo));
    accHi = f64x2.add(accHi, f64x2.mul(hi, hi));
  }
  const acc = f64x2.add(accLo, accHi);
  let sse = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; r < n; r++) {
    const off = <usize>r << 2;
    const d = load<f32>(predPtr + off) - load<f32>(targetPtr + off);
    store<f32>(gradPtr + off, twoScale * d);
    sse += <f64>d * <f64>d;
  }
  return sse;
}
