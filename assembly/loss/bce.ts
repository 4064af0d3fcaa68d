// Binary cross-entropy on logits (implicit feedback: observed positives vs sampled negatives).

/**
 * Returns Σ_r [softplus(x_r) − y_r·x_r] (the binary cross-entropy of σ(x_r) against the
 * label y_r ∈ [0, 1]), summed in f64; writes grad[r] = scale · (σ(x_r) − y_r). Written as
 * max(x, 0) − x·y + log1p(e^−|x|), so exp only sees −|x| ≤ 0: no overflow for any logit,
 * and no log(0) when σ saturates. Layout: three contiguous f32 vectors of n; grad may alias
 * logits or targets (each element is read before it is written). Scalar on purpose: exp and
 * log1p have no SIMD instruction, and this O(batch) pass is tiny next to the model's GEMMs.
 */
export function loss_bce_logits_f32(gradPtr: usize, logitPtr: usize, targetPtr: usize, n: i32, scale: f32): f64 {
  let sum: f64 = 0;
  for (let r = 0; r < n; r++) {
    const off = <usize>r << 2;
    const x = load<f32>(logitPtr + off);
    const y = load<f32>(targetPtr + off);
    const e = Mathf.exp(-Mathf.abs(x));
    const sig: f32 = x >= 0 ? <f32>1 / (<f32>1 + e) : e / (<f32>1 + e);
    store<f32>(gradPtr + off, scale * (sig - y));
    sum += <f64>(Mathf.max(x, 0) - x * y + Mathf.log1p(e));
  }
  return sum;
}
