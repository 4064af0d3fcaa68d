// Elementwise activations and their backward passes over n contiguous floats.
// Every kernel reads element i of its inputs before writing element i of its output, so
// the output may alias any input (in-place activation). Any n ≥ 0; any 4-byte alignment.

/** y = max(x, 0). pmax(0, x) = 0 < x ? x : 0, so NaN and -0 map to +0 like the reference. */
export function nn_relu_f32(yPtr: usize, xPtr: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const vecEnd = n & ~3;
  let i = 0;
  for (; i < vecEnd; i += 4) {
    const off = <usize>i << 2;
    v128.store(yPtr + off, f32x4.pmax(zero, v128.load(xPtr + off)));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    const x = load<f32>(xPtr + off);
    store<f32>(yPtr + off, x > 0 ? x : 0);
  }
}

/** dx = y > 0 ? dy : 0, from the forward output y (a lane mask ANDed with dy). */
export function nn_relu_backward_f32(dxPtr: usize, dyPtr: usize, yPtr: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const vecEnd = n & ~3;
  let i = 0;
  for (; i < vecEnd; i += 4) {
    const off = <usize>i << 2;
    v128.store(dxPtr + off, v128.and(v128.load(dyPtr + off), f32x4.gt(v128.load(yPtr + off), zero)));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    store<f32>(dxPtr + off, load<f32>(yPtr + off) > 0 ? load<f32>(dyPtr + off) : 0);
  }
}

/**
 * y = 1 / (1 + e^-x). exp only ever sees -|x| ≤ 0, so it cannot overflow: for x < 0 the
 * same e = e^x gives y = e / (1 + e), which keeps tiny outputs' relative precision.
 * Scalar Mathf.exp: the activations are O(batch × width) next to the O(batch × width²) GEMMs.
 */
export function nn_sigmoid_f32(yPtr: usize, xPtr: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 2;
    const x = load<f32>(xPtr + off);
    const e = Mathf.exp(-Mathf.abs(x));
    store<f32>(yPtr + off, x >= 0 ? <f32>1 / (<f32>1 + e) : e / (<f32>1 + e));
  }
}

/** dx = dy · y · (1 − y), from the forward output y. */
export function nn_sigmoid_backward_f32(dxPtr: usize, dyPtr: usize, yPtr: usize, n: i32): void {
  const one = f32x4.splat(1);
  const vecEnd = n & ~3;
  let i = 0;
  for (; i < vecEnd; i += 4) {
    const off = <usize>i << 2;
    const y = v128.load(yPtr + off);
    v128.store(dxPtr + off, f32x4.mul(f32x4.mul(v128.load(dyPtr + off), y), f32x4.sub(one, y)));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    const y = load<f32>(yPtr + off);
    store<f32>(dxPtr + off, load<f32>(dyPtr + off) * y * (<f32>1 - y));
  }
}

/** y = tanh(x) with Mathf.tanh, which saturates to ±1 for large |x| (no inf/inf NaN). */
export function nn_tanh_f32(yPtr: usize, xPtr: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 2;
    store<f32>(yPtr + off, Mathf.tanh(load<f32>(xPtr + off)));
  }
}

/** dx = dy · (1 − y²), from the forward output y. */
export function nn_tanh_backward_f32(dxPtr: usize, dyPtr: usize, yPtr: usize, n: i32): void {
  const one = f32x4.splat(1);
  const vecEnd = n & ~3;
  let i = 0;
  for (; i < vecEnd; i += 4) {
    const off = <usize>i << 2;
    const y = v128.load(yPtr + off);
    v128.store(dxPtr + off, f32x4.mul(v128.load(dyPtr + off), f32x4.sub(one, f32x4.mul(y, y))));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    const y = load<f32>(yPtr + off);
    store<f32>(dxPtr + off, load<f32>(dyPtr + off) * (<f32>1 - y * y));
  }
}
