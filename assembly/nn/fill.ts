// Sets a float vector to one value: clears a gradient buffer inside a recorded step program.

/** y[i] = value for i < n; any n ≥ 0, any 4-byte alignment. */
export function nn_fill_f32(yPtr: usize, n: i32, value: f32): void {
  const vecEnd = n & ~3;
  const v = f32x4.splat(value);
  let i = 0;
  for (; i < vecEnd; i += 4) v128.store(yPtr + (<usize>i << 2), v);
  for (; i < n; i++) store<f32>(yPtr + (<usize>i << 2), value);
}
