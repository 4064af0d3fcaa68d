// The mlp head over every (user, item) pair without materialising concat(u, v): its first
// layer splits as W·[u; v] + b = (W_u·u + b) + W_v·v = A[u] + B[i], so the towers and that
// GEMM run once per user and once per item, and each pair costs one pass over h values.
import { hsum, madd } from '../shared/simd';

/** Activation code shared with src/backends/kernels.ts (DENSE_ACT). */
const ACT_RELU: i32 = 1;

/**
 * H[(u*n + i)*h + c] = act(A[u*h + c] + B[i*h + c]) for u < m, i < n, c < h: the first
 * hidden layer of every pair of m users × n items, ready for the next layer's GEMM.
 * act = identity (0) or relu (1). Row-major, contiguous; H must not alias A or B.
 */
export function fused_pair_hidden_f32(hPtr: usize, aPtr: usize, bPtr: usize, m: i32, n: i32, h: i32, act: i32): void {
  const zero = f32x4.splat(0);
  const rowBytes = <usize>h << 2;
  let out = hPtr;
  for (let u = 0; u < m; u++) {
    const a = aPtr + <usize>u * rowBytes;
    for (let i = 0; i < n; i++) {
      const b = bPtr + <usize>i * rowBytes;
      let c = 0;
      for (; c + 4 <= h; c += 4) {
        const off = <usize>c << 2;
        const z = f32x4.add(v128.load(a + off), v128.load(b + off));
        v128.store(out + off, act == ACT_RELU ? f32x4.pmax(zero, z) : z);
      }
      for (; c < h; c++) {
        const off = <usize>c << 2;
        const z = load<f32>(a + off) + load<f32>(b + off);
        store<f32>(out + off, act == ACT_RELU && !(z > 0) ? 0 : z);
      }
      out += rowBytes;
    }
  }
}

/**
 * S[u*n + i] (+)= bias + Σ_c w[c]·act(A[u*h + c] + B[i*h + c]) for u < m, i < n: a head
 * with one hidden layer of width h and a linear output unit (weights w[h], bias), scored
 * for every pair without writing the hidden layer. act = identity (0) or relu (1);
 * accumulate = 1 adds into S. S must not alias A, B or w.
 */
export function fused_pair_score_f32(sPtr: usize, aPtr: usize, bPtr: usize, wPtr: usize, m: i32, n: i32, h: i32, bias: f32, act: i32, accumulate: i32): void {
  const zero = f32x4.splat(0);
  const rowBytes = <usize>h << 2;
  let out = sPtr;
  for (let u = 0; u < m; u++) {
    const a = aPtr + <usize>u * rowBytes;
    for (let i = 0; i < n; i++) {
      const b = bPtr + <usize>i * rowBytes;
      let acc = f32x4.splat(0);
      let c = 0;
      for (; c + 4 <= h; c += 4) {
        const off = <usize>c << 2;
        let z = f32x4.add(v128.load(a + off), v128.load(b + off));
        if (act == ACT_RELU) z = f32x4.pmax(zero, z);
        acc = madd(z, v128.load(wPtr + off), acc);
      }
      let s = hsum(acc);
      for (; c < h; c++) {
        const off = <usize>c << 2;
        let z = load<f32>(a + off) + load<f32>(b + off);
        if (act == ACT_RELU && !(z > 0)) z = 0;
        s += z * load<f32>(wPtr + off);
      }
      s += bias;
      store<f32>(out, accumulate ? load<f32>(out) + s : s);
      out += 4;
    }
  }
}
