// Layer normalisation over the last axis (Ba, Kiros & Hinton 2016, arXiv:1607.06450), the
// normaliser of transformer blocks: per row, y = gain ⊙ (x − mean) / √(var + eps) + bias.

/**
 * For r < rows, over the d values of row r of z = x + res (rows × d, contiguous; resPtr 0:
 * z = x — the residual add of a post-norm transformer block, fused):
 *   xhat = (z − μ) · rstd,  rstd = 1/√(σ² + eps);  y = gain ⊙ xhat + bias (gain, bias: d).
 * Stores xhat (rows × d) and rstd (rows) for the backward. y may alias x or res; xhat must
 * not alias y, x or res.
 */
export function nn_layer_norm_f32(yPtr: usize, xhatPtr: usize, rstdPtr: usize, xPtr: usize, resPtr: usize, gainPtr: usize, biasPtr: usize, rows: i32, d: i32, eps: f32): void {
  const rowBytes = <usize>d << 2;
  const vecEnd = d & ~3;
  const invD: f32 = <f32>1 / <f32>d;
  for (let r = 0; r < rows; r++) {
    const xh = xhatPtr + <usize>r * rowBytes;
    const y = yPtr + <usize>r * rowBytes;
    // z = x + res goes to xhat first, normalised there in place.
    const x = xh;
    const xIn = xPtr + <usize>r * rowBytes;
    let sV = f32x4.splat(0);
    let c = 0;
    if (resPtr) {
      const res = resPtr + <usize>r * rowBytes;
      for (; c < vecEnd; c += 4) {
        const z = f32x4.add(v128.load(xIn + (<usize>c << 2)), v128.load(res + (<usize>c << 2)));
        v128.store(xh + (<usize>c << 2), z);
        sV = f32x4.add(sV, z);
      }
      for (; c < d; c++) store<f32>(xh + (<usize>c << 2), load<f32>(xIn + (<usize>c << 2)) + load<f32>(res + (<usize>c << 2)));
    } else {
      for (; c < vecEnd; c += 4) {
        const z = v128.load(xIn + (<usize>c << 2));
        v128.store(xh + (<usize>c << 2), z);
        sV = f32x4.add(sV, z);
      }
      for (; c < d; c++) store<f32>(xh + (<usize>c << 2), load<f32>(xIn + (<usize>c << 2)));
    }
    let s: f32 = f32x4.extract_lane(sV, 0) + f32x4.extract_lane(sV, 1) + f32x4.extract_lane(sV, 2) + f32x4.extract_lane(sV, 3);
    for (c = vecEnd; c < d; c++) s += load<f32>(x + (<usize>c << 2));
    const mean = s * invD;
    const meanV = f32x4.splat(mean);
    let qV = f32x4.splat(0);
    for (c = 0; c < vecEnd; c += 4) {
      const t = f32x4.sub(v128.load(x + (<usize>c << 2)), meanV);
      qV = f32x4.add(qV, f32x4.mul(t, t));
    }
    let q: f32 = f32x4.extract_lane(qV, 0) + f32x4.extract_lane(qV, 1) + f32x4.extract_lane(qV, 2) + f32x4.extract_lane(qV, 3);
    for (; c < d; c++) {
      const t = load<f32>(x + (<usize>c << 2)) - mean;
      q += t * t;
    }
    const rstd: f32 = <f32>1 / Mathf.sqrt(q * invD + eps);
    store<f32>(rstdPtr + (<usize>r << 2), rstd);
    const rV = f32x4.splat(rstd);
    for (c = 0; c < vecEnd; c += 4) {
      const o = <usize>c << 2;
      const h = f32x4.mul(f32x4.sub(v128.load(x + o), meanV), rV);
      v128.store(xh + o, h);
      v128.store(y + o, f32x4.add(f32x4.mul(h, v128.load(gainPtr + o)), v128.load(biasPtr + o)));
    }
    for (; c < d; c++) {
      const o = <usize>c << 2;
      const h = (load<f32>(x + o) - mean) * rstd;
      store<f32>(xh + o, h);
      store<f32>(y + o, h * load<f32>(gainPtr + o) + load<f32>(biasPtr + o));
    }
  }
}

/**
 * The backward of nn_layer_norm_f32 from its stored xhat and rstd: with g = dy ⊙ gain,
 *   dx = rstd · (g − mean(g) − xhat · mean(g ⊙ xhat));  dGain += Σ_r dy ⊙ xhat;  dBias += Σ_r dy.
 * dx is overwritten and may alias dy (each row is read fully before it is written).
 */
export function nn_layer_norm_backward_f32(dxPtr: usize, dGainPtr: usize, dBiasPtr: usize, dyPtr: usize, xhatPtr: usize, rstdPtr: usize, gainPtr: usize, rows: i32, d: i32): void {
  const rowBytes = <usize>d << 2;
  const vecEnd = d & ~3;
  const invD: f32 = <f32>1 / <f32>d;
  for (let r = 0; r < rows; r++) {
    const dy = dyPtr + <usize>r * rowBytes;
    const xh = xhatPtr + <usize>r * rowBytes;
    const dx = dxPtr + <usize>r * rowBytes;
    let aV = f32x4.splat(0);
    let bV = f32x4.splat(0);
    let c = 0;
    for (; c < vecEnd; c += 4) {
      const o = <usize>c << 2;
      const gy = v128.load(dy + o);
      const h = v128.load(xh + o);
      const g = f32x4.mul(gy, v128.load(gainPtr + o));
      aV = f32x4.add(aV, g);
      bV = f32x4.add(bV, f32x4.mul(g, h));
      v128.store(dGainPtr + o, f32x4.add(v128.load(dGainPtr + o), f32x4.mul(gy, h)));
      v128.store(dBiasPtr + o, f32x4.add(v128.load(dBiasPtr + o), gy));
    }
    let a: f32 = f32x4.extract_lane(aV, 0) + f32x4.extract_lane(aV, 1) + f32x4.extract_lane(aV, 2) + f32x4.extract_lane(aV, 3);
    let b: f32 = f32x4.extract_lane(bV, 0) + f32x4.extract_lane(bV, 1) + f32x4.extract_lane(bV, 2) + f32x4.extract_lane(bV, 3);
    for (; c < d; c++) {
      const o = <usize>c << 2;
      const gy = load<f32>(dy + o);
      const h = load<f32>(xh + o);
      const g = gy * load<f32>(gainPtr + o);
      a += g;
      b += g * h;
      store<f32>(dGainPtr + o, load<f32>(dGainPtr + o) + gy * h);
      store<f32>(dBiasPtr + o, load<f32>(dBiasPtr + o) + gy);
    }
    const rstd = load<f32>(rstdPtr + (<usize>r << 2));
    const ma = a * invD;
    const mb = b * invD;
    const maV = f32x4.splat(ma);
    const mbV = f32x4.splat(mb);
    const rV = f32x4.splat(rstd);
    for (c = 0; c < vecEnd; c += 4) {
      const o = <usize>c << 2;
      const g = f32x4.mul(v128.load(dy + o), v128.load(gainPtr + o));
      v128.store(dx + o, f32x4.mul(rV, f32x4.sub(f32x4.sub(g, maV), f32x4.mul(v128.load(xh + o), mbV))));
    }
    for (; c < d; c++) {
      const o = <usize>c << 2;
      const g = load<f32>(dy + o) * load<f32>(gainPtr + o);
      store<f32>(dx + o, rstd * (g - ma - load<f32>(xh + o) * mb));
    }
  }
}
