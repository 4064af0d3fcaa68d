// Link regression by SGD: for each link (a, b) with target t, e = A[a]·B[b] − t, and both rows
// step against their share of weight·e². TrustSVD (Guo, Zhang & Yorke-Smith, AAAI 2015) uses
// it to make a user's factors p_u predict her trust in v through the trustee's vector w_v.

/**
 * For links l in [start, start+count): e = A[aRows[l]]·B[bRows[l]] − targets[l];
 *   A[a] −= lr (weight e B[b] + reg A[a]);  B[b] −= lr (weight e A[a]_old + reg B[b]).
 * Returns Σ e² (f64, errors before each update). Rows are k wide.
 */
export function fused_link_sgd_f32(aPtr: usize, bPtr: usize, aRowsPtr: usize, bRowsPtr: usize, targetsPtr: usize, start: i32, count: i32, k: i32, lr: f32, weight: f32, reg: f32): f64 {
  const rowBytes = <usize>k << 2;
  const vecEnd = k & ~3;
  const keep = f32x4.splat(1 - lr * reg);
  const keepS: f32 = 1 - lr * reg;
  let sse: f64 = 0;
  for (let l = start; l < start + count; l++) {
    const a = aPtr + <usize>load<i32>(aRowsPtr + (<usize>l << 2)) * rowBytes;
    const b = bPtr + <usize>load<i32>(bRowsPtr + (<usize>l << 2)) * rowBytes;
    let acc = f32x4.splat(0);
    let c = 0;
    for (; c < vecEnd; c += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(a + (<usize>c << 2)), v128.load(b + (<usize>c << 2))));
    let dot = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
    for (; c < k; c++) dot += load<f32>(a + (<usize>c << 2)) * load<f32>(b + (<usize>c << 2));
    const err: f32 = dot - load<f32>(targetsPtr + (<usize>l << 2));
    sse += <f64>err * <f64>err;
    const step = f32x4.splat(lr * weight * err);
    const stepS: f32 = lr * weight * err;
    c = 0;
    for (; c < vecEnd; c += 4) {
      const av = v128.load(a + (<usize>c << 2));
      const bv = v128.load(b + (<usize>c << 2));
      v128.store(a + (<usize>c << 2), f32x4.sub(f32x4.mul(keep, av), f32x4.mul(step, bv)));
      v128.store(b + (<usize>c << 2), f32x4.sub(f32x4.mul(keep, bv), f32x4.mul(step, av)));
    }
    for (; c < k; c++) {
      const av = load<f32>(a + (<usize>c << 2));
      const bv = load<f32>(b + (<usize>c << 2));
      store<f32>(a + (<usize>c << 2), keepS * av - stepS * bv);
      store<f32>(b + (<usize>c << 2), keepS * bv - stepS * av);
    }
  }
  return sse;
}
