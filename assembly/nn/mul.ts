// Elementwise product of two float vectors: applies a dropout mask (forward and backward).

/**
 * y[i] = a[i]·b[i] for i < n. Element i of both inputs is loaded before y[i] is stored, so
 * y may alias a or b (dropout applies its mask in place on the gradient). Any n ≥ 0, any
 * 4-byte alignment.
 */
export function nn_mul_f32(yPtr: usize, aPtr: usize, bPtr: usize, n: i32): void {
  const vecEnd = n & ~3;
  let i = 0;
  for (; i < vecEnd; i += 4) {
    const off = <usize>i << 2;
    v128.store(yPtr + off, f32x4.mul(v128.load(aPtr + off), v128.load(bPtr + off)));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    store<f32>(yPtr + off, load<f32>(aPtr + off) * load<f32>(bPtr + off));
  }
}
