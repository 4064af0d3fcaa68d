// Bayesian personalised ranking: a positive's score should beat a sampled negative's.

/**
 * Returns Σ_r −log σ(pos_r − neg_r) (Rendle et al. 2009, https://arxiv.org/abs/1205.2618),
 * summed in f64, and writes the gradients with respect to both scores:
 * gradPos[r] = −scale · σ(neg_r − pos_r), gradNeg[r] = −gradPos[r].
 * −log σ(d) = softplus(−d) = max(−d, 0) + log1p(e^−|d|): exp never overflows. Layout: four
 * contiguous f32 vectors of n; each gradient may alias either score vector (both scores of
 * row r are read before row r is written). Scalar for the same reason as loss_bce_logits_f32.
 */
export function loss_bpr_f32(gradPosPtr: usize, gradNegPtr: usize, posPtr: usize, negPtr: usize, n: i32, scale: f32): f64 {
  let sum: f64 = 0;
  for (let r = 0; r < n; r++) {
    const off = <usize>r << 2;
    const d = load<f32>(posPtr + off) - load<f32>(negPtr + off);
    const e = Mathf.exp(-Mathf.abs(d));
    // σ(−d): the probability the model ranks the pair the wrong way round.
    const wrong: f32 = d >= 0 ? e / (<f32>1 + e) : <f32>1 / (<f32>1 + e);
    store<f32>(gradPosPtr + off, -scale * wrong);
    store<f32>(gradNegPtr + off, scale * wrong);
    sum += <f64>(Mathf.max(-d, 0) + Mathf.log1p(e));
  }
  return sum;
}
