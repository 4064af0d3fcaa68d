// Lazy sparse SGD and SGD with momentum: only the listed rows are read and written.

/**
 * For each listed row w (dim floats) with gradient g:
 *   g' = g + l2 w  (coupled L2);  w -= lr g' + lr decay w  (decoupled decay);  g = 0.
 * Layout: param and grad rows×dim row-major; rows: nRows i32 row indices, distinct
 * (duplicates would apply decay twice). Zeroing the consumed gradient lets the next
 * backward pass scatter-add into it without a separate clear of the whole table.
 * In place; param and grad must not overlap.
 */
export function optim_sgd_sparse_f32(paramPtr: usize, gradPtr: usize, rowsPtr: usize, nRows: i32, dim: i32, lr: f32, l2: f32, decay: f32): void {
  const rowBytes = <usize>dim << 2;
  const vecEnd = dim & ~3;
  const lrDecay: f32 = lr * decay;
  const lrV = f32x4.splat(lr);
  const l2V = f32x4.splat(l2);
  const lrDecayV = f32x4.splat(lrDecay);
  const zero = f32x4.splat(0);
  for (let r = 0; r < nRows; r++) {
    const base = <usize>load<i32>(rowsPtr + (<usize>r << 2)) * rowBytes;
    const wp = paramPtr + base;
    const gp = gradPtr + base;
    let c = 0;
    for (; c < vecEnd; c += 4) {
      const off = <usize>c << 2;
      const w = v128.load(wp + off);
      const g = f32x4.add(v128.load(gp + off), f32x4.mul(l2V, w));
      v128.store(wp + off, f32x4.sub(w, f32x4.add(f32x4.mul(lrV, g), f32x4.mul(lrDecayV, w))));
      v128.store(gp + off, zero);
    }
    for (; c < dim; c++) {
      const off = <usize>c << 2;
      const w = load<f32>(wp + off);
      const g = load<f32>(gp + off) + l2 * w;
      store<f32>(wp + off, w - (lr * g + lrDecay * w));
      store<f32>(gp + off, 0);
    }
  }
}

/**
 * Heavy-ball momentum (Polyak 1964), lazily: only listed rows decay their velocity.
 *   g' = g + l2 w;  v = momentum v + g';  w -= lr v + lr decay w;  g = 0.
 * Layout: param, grad, vel rows×dim row-major; rows distinct. In place; no overlap.
 */
export function optim_momentum_sparse_f32(paramPtr: usize, gradPtr: usize, velPtr: usize, rowsPtr: usize, nRows: i32, dim: i32, lr: f32, momentum: f32, l2: f32, decay: f32): void {
  const rowBytes = <usize>dim << 2;
  const vecEnd = dim & ~3;
  const lrDecay: f32 = lr * decay;
  const lrV = f32x4.splat(lr);
  const muV = f32x4.splat(momentum);
  const l2V = f32x4.splat(l2);
  const lrDecayV = f32x4.splat(lrDecay);
  const zero = f32x4.splat(0);
  for (let r = 0; r < nRows; r++) {
    const base = <usize>load<i32>(rowsPtr + (<usize>r << 2)) * rowBytes;
    const wp = paramPtr + base;
    const gp = gradPtr + base;
    const vp = velPtr + base;
    let c = 0;
    for (; c < vecEnd; c += 4) {
      const off = <usize>c << 2;
      const w = v128.load(wp + off);
      const g = f32x4.add(v128.load(gp + off), f32x4.mul(l2V, w));
      const v = f32x4.add(f32x4.mul(muV, v128.load(vp + off)), g);
      v128.store(vp + off, v);
      v128.store(wp + off, f32x4.sub(w, f32x4.add(f32x4.mul(lrV, v), f32x4.mul(lrDecayV, w))));
      v128.store(gp + off, zero);
    }
    for (; c < dim; c++) {
      const off = <usize>c << 2;
      const w = load<f32>(wp + off);
      const g = load<f32>(gp + off) + l2 * w;
      const v = momentum * load<f32>(vp + off) + g;
      store<f32>(vp + off, v);
      store<f32>(wp + off, w - (lr * v + lrDecay * w));
      store<f32>(gp + off, 0);
    }
  }
}
