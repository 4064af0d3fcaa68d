// Lazy sparse Adam / AdamW: only the listed rows (and their moments) are updated.

/**
 * Adam (Kingma & Ba, ICLR 2015) with decoupled decay (AdamW, Loshchilov & Hutter, ICLR
 * 2019), per listed row:
 *   g' = g + l2 w;  m = b1 m + (1-b1) g';  v = b2 v + (1-b2) g'²;
 *   w -= lr (m/c1) / (sqrt(v/c2) + eps) + lr decay w;  g = 0.
 * c1 = 1 - b1^t and c2 = 1 - b2^t come from the caller, which owns the step count t (a
 * lazy update would otherwise need a step count per row). Layout: param, grad, m, v
 * rows×dim row-major; rows: nRows distinct i32 row indices. In place; no overlap.
 */
export function optim_adam_sparse_f32(paramPtr: usize, gradPtr: usize, mPtr: usize, vPtr: usize, rowsPtr: usize, nRows: i32, dim: i32, lr: f32, beta1: f32, beta2: f32, eps: f32, l2: f32, decay: f32, c1: f32, c2: f32): void {
  const rowBytes = <usize>dim << 2;
  const vecEnd = dim & ~3;
  const lrDecay: f32 = lr * decay;
  const oneMinusB1: f32 = 1 - beta1;
  const oneMinusB2: f32 = 1 - beta2;
  const lrV = f32x4.splat(lr);
  const b1V = f32x4.splat(beta1);
  const b2V = f32x4.splat(beta2);
  const omb1V = f32x4.splat(oneMinusB1);
  const omb2V = f32x4.splat(oneMinusB2);
  const epsV = f32x4.splat(eps);
  const l2V = f32x4.splat(l2);
  const lrDecayV = f32x4.splat(lrDecay);
  const c1V = f32x4.splat(c1);
  const c2V = f32x4.splat(c2);
  const zero = f32x4.splat(0);
  for (let r = 0; r < nRows; r++) {
    const base = <usize>load<i32>(rowsPtr + (<usize>r << 2)) * rowBytes;
    const wp = paramPtr + base;
    const gp = gradPtr + base;
    const mp = mPtr + base;
    const vp = vPtr + base;
    let c = 0;
    for (; c < vecEnd; c += 4) {
      const off = <usize>c << 2;
      const w = v128.load(wp + off);
      const g = f32x4.add(v128.load(gp + off), f32x4.mul(l2V, w));
      const m = f32x4.add(f32x4.mul(b1V, v128.load(mp + off)), f32x4.mul(omb1V, g));
      const v = f32x4.add(f32x4.mul(b2V, v128.load(vp + off)), f32x4.mul(omb2V, f32x4.mul(g, g)));
      v128.store(mp + off, m);
      v128.store(vp + off, v);
      const step = f32x4.div(f32x4.mul(lrV, f32x4.div(m, c1V)), f32x4.add(f32x4.sqrt(f32x4.div(v, c2V)), epsV));
      v128.store(wp + off, f32x4.sub(w, f32x4.add(step, f32x4.mul(lrDecayV, w))));
      v128.store(gp + off, zero);
    }
    for (; c < dim; c++) {
      const off = <usize>c << 2;
      const w = load<f32>(wp + off);
      const g = load<f32>(gp + off) + l2 * w;
      const m = beta1 * load<f32>(mp + off) + oneMinusB1 * g;
      const v = beta2 * load<f32>(vp + off) + oneMinusB2 * (g * g);
      store<f32>(mp + off, m);
      store<f32>(vp + off, v);
      const step = (lr * (m / c1)) / (Mathf.sqrt(v / c2) + eps);
      store<f32>(wp + off, w - (step + lrDecay * w));
      store<f32>(gp + off, 0);
    }
  }
}
