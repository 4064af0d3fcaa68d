// Lazy sparse Adagrad: only the listed rows are read and written.

/**
 * Adagrad (Duchi, Hazan & Singer, JMLR 2011), per listed row:
 *   g' = g + l2 w;  a += g'²;  w -= lr g' / (sqrt(a) + eps) + lr decay w;  g = 0.
 * Layout: param, grad, acc rows×dim row-major; rows: nRows distinct i32 row indices.
 * The gradient rows are zeroed so the next backward can scatter-add into them.
 * In place; param, grad and acc must not overlap.
 */
export function optim_adagrad_sparse_f32(paramPtr: usize, gradPtr: usize, accPtr: usize, rowsPtr: usize, nRows: i32, dim: i32, lr: f32, eps: f32, l2: f32, decay: f32): void {
  const rowBytes = <usize>dim << 2;
  const vecEnd = dim & ~3;
  const lrDecay: f32 = lr * decay;
  const lrV = f32x4.splat(lr);
  const epsV = f32x4.splat(eps);
  const l2V = f32x4.splat(l2);
  const lrDecayV = f32x4.splat(lrDecay);
  const zero = f32x4.splat(0);
  for (let r = 0; r < nRows; r++) {
    const base = <usize>load<i32>(rowsPtr + (<usize>r << 2)) * rowBytes;
    const wp = paramPtr + base;
    const gp = gradPtr + base;
    const ap = accPtr + base;
    let c = 0;
    for (; c < vecEnd; c += 4) {
      const off = <usize>c << 2;
      const w = v128.load(wp + off);
      const g = f32x4.add(v128.load(gp + off), f32x4.mul(l2V, w));
      const a = f32x4.add(v128.load(ap + off), f32x4.mul(g, g));
      v128.store(ap + off, a);
      const step = f32x4.div(f32x4.mul(lrV, g), f32x4.add(f32x4.sqrt(a), epsV));
      v128.store(wp + off, f32x4.sub(w, f32x4.add(step, f32x4.mul(lrDecayV, w))));
      v128.store(gp + off, zero);
    }
    for (; c < dim; c++) {
      const off = <usize>c << 2;
      const w = load<f32>(wp + off);
      const g = load<f32>(gp + off) + l2 * w;
      const a = load<f32>(ap + off) + g * g;
      store<f32>(ap + off, a);
      store<f32>(wp + off, w - ((lr * g) / (Mathf.sqrt(a) + eps) + lrDecay * w));
      store<f32>(gp + off, 0);
    }
  }
}
