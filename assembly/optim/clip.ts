// Gradient clipping by global norm over the rows a step will update (Pascanu, Mikolov &
// Bengio, "On the difficulty of training recurrent neural networks", ICML 2013): one kernel
// measures, one rescales, so the TypeScript side only combines norms across tensors.

/**
 * Returns Σ g² over the listed rows (dim floats each) of a rows×dim gradient, in f64.
 * Rows must be distinct (a repeated row would be counted twice). Reads only.
 */
export function optim_sum_squares_rows_f32(gradPtr: usize, rowsPtr: usize, nRows: i32, dim: i32): f64 {
  const rowBytes = <usize>dim << 2;
  const vecEnd = dim & ~3;
  let total: f64 = 0;
  for (let r = 0; r < nRows; r++) {
    const gp = gradPtr + <usize>load<i32>(rowsPtr + (<usize>r << 2)) * rowBytes;
    // f32 lanes per row, then f64 across rows: a row is short, the sum over rows is long.
    let acc = f32x4.splat(0);
    let c = 0;
    for (; c < vecEnd; c += 4) {
      const g = v128.load(gp + (<usize>c << 2));
      acc = f32x4.add(acc, f32x4.mul(g, g));
    }
    let row: f64 = <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
    for (; c < dim; c++) {
      const g = load<f32>(gp + (<usize>c << 2));
      row += <f64>(g * g);
    }
    total += row;
  }
  return total;
}

/** g *= scale on the listed rows of a rows×dim gradient, in place. */
export function optim_scale_rows_f32(gradPtr: usize, rowsPtr: usize, nRows: i32, dim: i32, scale: f32): void {
  const rowBytes = <usize>dim << 2;
  const vecEnd = dim & ~3;
  const s = f32x4.splat(scale);
  for (let r = 0; r < nRows; r++) {
    const gp = gradPtr + <usize>load<i32>(rowsPtr + (<usize>r << 2)) * rowBytes;
    let c = 0;
    for (; c < vecEnd; c += 4) v128.store(gp + (<usize>c << 2), f32x4.mul(v128.load(gp + (<usize>c << 2)), s));
    for (; c < dim; c++) store<f32>(gp + (<usize>c << 2), load<f32>(gp + (<usize>c << 2)) * scale);
  }
}
