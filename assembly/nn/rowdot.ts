// Row-wise dot products: the score of a dot-product (two-tower) head and its backward.
import { hsum, madd } from '../shared/simd';

/**
 * out[r] = Σ_c a[r,c]·b[r,c] for r < n; a and b are n×dim row-major. One f32x4 accumulator
 * per row (docs/performance-notes.md: a second one gains nothing at dim 32), then a scalar tail.
 * out must not alias a or b.
 */
export function nn_row_dot_f32(outPtr: usize, aPtr: usize, bPtr: usize, n: i32, dim: i32): void {
  const rowBytes = <usize>dim << 2;
  const vecEnd = dim & ~3;
  let a = aPtr;
  let b = bPtr;
  for (let r = 0; r < n; r++) {
    let s = f32x4.splat(0);
    let c = 0;
    for (; c < vecEnd; c += 4) s = madd(v128.load(a + (<usize>c << 2)), v128.load(b + (<usize>c << 2)), s);
    let d = hsum(s);
    for (; c < dim; c++) d += load<f32>(a + (<usize>c << 2)) * load<f32>(b + (<usize>c << 2));
    store<f32>(outPtr + (<usize>r << 2), d);
    a += rowBytes;
    b += rowBytes;
  }
}

/**
 * da[r,c] (+)= dOut[r]·b[r,c]; db[r,c] (+)= dOut[r]·a[r,c] (accumulate = 1 adds, 0
 * overwrites). Both inputs of an element are loaded before either output is stored, so da
 * may alias a and db may alias b; da and db must be distinct.
 */
export function nn_row_dot_backward_f32(daPtr: usize, dbPtr: usize, dOutPtr: usize, aPtr: usize, bPtr: usize, n: i32, dim: i32, accumulate: i32): void {
  const rowBytes = <usize>dim << 2;
  const vecEnd = dim & ~3;
  let row: usize = 0;
  for (let r = 0; r < n; r++) {
    const d = load<f32>(dOutPtr + (<usize>r << 2));
    const dv = f32x4.splat(d);
    const a = aPtr + row;
    const b = bPtr + row;
    const da = daPtr + row;
    const db = dbPtr + row;
    let c = 0;
    for (; c < vecEnd; c += 4) {
      const off = <usize>c << 2;
      const av = v128.load(a + off);
      const bv = v128.load(b + off);
      if (accumulate) {
        v128.store(da + off, madd(dv, bv, v128.load(da + off)));
        v128.store(db + off, madd(dv, av, v128.load(db + off)));
      } else {
        v128.store(da + off, f32x4.mul(dv, bv));
        v128.store(db + off, f32x4.mul(dv, av));
      }
    }
    for (; c < dim; c++) {
      const off = <usize>c << 2;
      const av = load<f32>(a + off);
      const bv = load<f32>(b + off);
      store<f32>(da + off, accumulate ? load<f32>(da + off) + d * bv : d * bv);
      store<f32>(db + off, accumulate ? load<f32>(db + off) + d * av : d * av);
    }
    row += rowBytes;
  }
}
