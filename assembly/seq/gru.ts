// The recurrence of a GRU layer (PyTorch's gates) over a batch of padded behaviour sequences.
// The input projections A = X·W + b_x of every step are one GEMM outside (src/nn/gru.ts); what
// is left here is the part that is sequential in time: per step h_{t−1}·U, the gates, and in
// the backward the gradient carried back through time. Row r's steps are (r, t), t < L, with
// step data at row-major offsets (r·L + t)·width; ids[r·L + t] < 0 marks padding: its hidden
// state is zero and the next real step starts from zero, so padding contributes nothing.
//
// Per step (z, r, n columns 0..d, d..2d, 2d..3d of A, U and b):
//   g = b + h_{t−1}·U;  z = σ(a_z + g_z);  r = σ(a_r + g_r);  n = tanh(a_n + r ⊙ g_n)
//   h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
// The forward stores [z | r | g_n | n] (4d per step) for the backward.

import { expV } from '../shared/exp';

// @ts-ignore: decorator
@inline function sigmoidV(x: v128): v128 {
  const one = f32x4.splat(1.0);
  return f32x4.div(one, f32x4.add(one, expV(f32x4.neg(x))));
}

// @ts-ignore: decorator
@inline function tanhV(x: v128): v128 {
  const one = f32x4.splat(1.0);
  return f32x4.sub(one, f32x4.div(f32x4.splat(2.0), f32x4.add(expV(f32x4.add(x, x)), one)));
}

// @ts-ignore: decorator
@inline function sigmoidS(x: f32): f32 {
  return 1 / (1 + Mathf.exp(-x));
}

/** g[0..n) = b + hᵀ·U[:, 0..n) (U rows of stride n floats): 16 columns per register block. */
// @ts-ignore: decorator
@inline function matVec(g: usize, h: usize, U: usize, b: usize, d: i32, n: i32): void {
  const stride = <usize>n << 2;
  let j = 0;
  for (; j + 16 <= n; j += 16) {
    const o = <usize>j << 2;
    let a0 = v128.load(b + o), a1 = v128.load(b + o + 16), a2 = v128.load(b + o + 32), a3 = v128.load(b + o + 48);
    let u = U + o;
    for (let c = 0; c < d; c++, u += stride) {
      const hc = v128.load32_splat(h + (<usize>c << 2));
      a0 = f32x4.add(a0, f32x4.mul(hc, v128.load(u)));
      a1 = f32x4.add(a1, f32x4.mul(hc, v128.load(u + 16)));
      a2 = f32x4.add(a2, f32x4.mul(hc, v128.load(u + 32)));
      a3 = f32x4.add(a3, f32x4.mul(hc, v128.load(u + 48)));
    }
    v128.store(g + o, a0); v128.store(g + o + 16, a1); v128.store(g + o + 32, a2); v128.store(g + o + 48, a3);
  }
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    let a = v128.load(b + o);
    let u = U + o;
    for (let c = 0; c < d; c++, u += stride) a = f32x4.add(a, f32x4.mul(v128.load32_splat(h + (<usize>c << 2)), v128.load(u)));
    v128.store(g + o, a);
  }
  for (; j < n; j++) {
    const o = <usize>j << 2;
    let a = load<f32>(b + o);
    for (let c = 0; c < d; c++) a += load<f32>(h + (<usize>c << 2)) * load<f32>(U + <usize>c * stride + o);
    store<f32>(g + o, a);
  }
}

/**
 * H[(r·L+t)·d] = h_t and gates[(r·L+t)·4d] = [z | r | g_n | n] for r < m, t < L, from the input
 * projections A (m·L × 3d), U (d × 3d) and the hidden bias b (3d); padded steps get zeros.
 */
export function nn_seq_gru_forward_f32(hPtr: usize, gatesPtr: usize, aPtr: usize, uPtr: usize, bPtr: usize, idsPtr: usize, m: i32, L: i32, d: i32): void {
  const vecEnd = d & ~3;
  const dB = <usize>d << 2;
  for (let r = 0; r < m; r++) {
    for (let t = 0; t < L; t++) {
      const step = <usize>r * <usize>L + <usize>t;
      const h = hPtr + step * dB;
      const g = gatesPtr + step * (dB << 2);
      if (load<i32>(idsPtr + (step << 2)) < 0) {
        memory.fill(h, 0, dB);
        memory.fill(g, 0, dB << 2);
        continue;
      }
      const hp = h - dB;
      const fromZero = t == 0 || load<i32>(idsPtr + ((step - 1) << 2)) < 0;
      if (fromZero) memory.copy(g, bPtr, 3 * dB);
      else matVec(g, hp, uPtr, bPtr, d, 3 * d);
      const a = aPtr + step * 3 * dB;
      let c = 0;
      for (; c < vecEnd; c += 4) {
        const o = <usize>c << 2;
        const z = sigmoidV(f32x4.add(v128.load(a + o), v128.load(g + o)));
        const rr = sigmoidV(f32x4.add(v128.load(a + dB + o), v128.load(g + dB + o)));
        const n = tanhV(f32x4.add(v128.load(a + 2 * dB + o), f32x4.mul(rr, v128.load(g + 2 * dB + o))));
        let hv = f32x4.mul(f32x4.sub(f32x4.splat(1.0), z), n);
        if (!fromZero) hv = f32x4.add(hv, f32x4.mul(z, v128.load(hp + o)));
        v128.store(g + o, z);
        v128.store(g + dB + o, rr);
        v128.store(g + 3 * dB + o, n);
        v128.store(h + o, hv);
      }
      for (; c < d; c++) {
        const o = <usize>c << 2;
        const z = sigmoidS(load<f32>(a + o) + load<f32>(g + o));
        const rr = sigmoidS(load<f32>(a + dB + o) + load<f32>(g + dB + o));
        const n = <f32>Math.tanh(load<f32>(a + 2 * dB + o) + rr * load<f32>(g + 2 * dB + o));
        store<f32>(g + o, z);
        store<f32>(g + dB + o, rr);
        store<f32>(g + 3 * dB + o, n);
        store<f32>(h + o, (1 - z) * n + (fromZero ? 0 : z * load<f32>(hp + o)));
      }
    }
  }
}

/** dU[c, j0..j0+len) += hc·e_j and returns Σ_j U[c, j]·e_j, with e_j = src[j] (⊙ scale[j] when scale ≠ 0). */
// @ts-ignore: decorator
@inline function outerDot(dU: usize, U: usize, src: usize, scale: usize, hc: f32, len: i32): f32 {
  const hv = f32x4.splat(hc);
  let acc = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= len; j += 4) {
    const o = <usize>j << 2;
    let e = v128.load(src + o);
    if (scale) e = f32x4.mul(e, v128.load(scale + o));
    v128.store(dU + o, f32x4.add(v128.load(dU + o), f32x4.mul(hv, e)));
    acc = f32x4.add(acc, f32x4.mul(v128.load(U + o), e));
  }
  let s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
  for (; j < len; j++) {
    const o = <usize>j << 2;
    let e = load<f32>(src + o);
    if (scale) e *= load<f32>(scale + o);
    store<f32>(dU + o, load<f32>(dU + o) + hc * e);
    s += load<f32>(U + o) * e;
  }
  return s;
}

/**
 * Backpropagation through time of nn_seq_gru_forward_f32 given dH = dLoss/dh_t for every step
 * (overwritten: the gradient carried back is added into it). Writes dA (m·L × 3d, the input
 * projections' gradient; zero at padding) and adds into dU (d × 3d) and db (3d).
 */
export function nn_seq_gru_backward_f32(dAPtr: usize, dUPtr: usize, dbPtr: usize, dHPtr: usize, hPtr: usize, gatesPtr: usize, uPtr: usize, idsPtr: usize, m: i32, L: i32, d: i32): void {
  const vecEnd = d & ~3;
  const dB = <usize>d << 2;
  const one = f32x4.splat(1.0);
  for (let r = 0; r < m; r++) {
    for (let t = L - 1; t >= 0; t--) {
      const step = <usize>r * <usize>L + <usize>t;
      const dA = dAPtr + step * 3 * dB;
      if (load<i32>(idsPtr + (step << 2)) < 0) {
        memory.fill(dA, 0, 3 * dB);
        continue;
      }
      const dh = dHPtr + step * dB;
      const g = gatesPtr + step * (dB << 2);
      const hasPrev = t > 0 && load<i32>(idsPtr + ((step - 1) << 2)) >= 0;
      const hp = hPtr + (step - 1) * dB;
      const dhp = dh - dB;
      let c = 0;
      for (; c < vecEnd; c += 4) {
        const o = <usize>c << 2;
        const dhv = v128.load(dh + o);
        const z = v128.load(g + o);
        const rr = v128.load(g + dB + o);
        const gn = v128.load(g + 2 * dB + o);
        const n = v128.load(g + 3 * dB + o);
        const prev = hasPrev ? v128.load(hp + o) : f32x4.splat(0);
        const dz = f32x4.mul(dhv, f32x4.sub(prev, n));
        const dan = f32x4.mul(f32x4.mul(dhv, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(n, n)));
        const dr = f32x4.mul(dan, gn);
        v128.store(dA + o, f32x4.mul(dz, f32x4.mul(z, f32x4.sub(one, z))));
        v128.store(dA + dB + o, f32x4.mul(dr, f32x4.mul(rr, f32x4.sub(one, rr))));
        v128.store(dA + 2 * dB + o, dan);
        if (hasPrev) v128.store(dhp + o, f32x4.add(v128.load(dhp + o), f32x4.mul(dhv, z)));
      }
      for (; c < d; c++) {
        const o = <usize>c << 2;
        const dhv = load<f32>(dh + o);
        const z = load<f32>(g + o);
        const rr = load<f32>(g + dB + o);
        const n = load<f32>(g + 3 * dB + o);
        const prev: f32 = hasPrev ? load<f32>(hp + o) : 0;
        const dan = dhv * (1 - z) * (1 - n * n);
        store<f32>(dA + o, dhv * (prev - n) * z * (1 - z));
        store<f32>(dA + dB + o, dan * load<f32>(g + 2 * dB + o) * rr * (1 - rr));
        store<f32>(dA + 2 * dB + o, dan);
        if (hasPrev) store<f32>(dhp + o, load<f32>(dhp + o) + dhv * z);
      }
      // The hidden pre-activations' gradient is dA except on n's columns: dA_n ⊙ r.
      outerDot(dbPtr, dbPtr, dA, 0, 1, 2 * d);
      outerDot(dbPtr + 2 * dB, dbPtr + 2 * dB, dA + 2 * dB, g + dB, 1, d);
      if (!hasPrev) continue;
      for (c = 0; c < d; c++) {
        const row = <usize>c * 3 * dB;
        const hc = load<f32>(hp + (<usize>c << 2));
        const s = outerDot(dUPtr + row, uPtr + row, dA, 0, hc, 2 * d) + outerDot(dUPtr + row + 2 * dB, uPtr + row + 2 * dB, dA + 2 * dB, g + dB, hc, d);
        store<f32>(dhp + (<usize>c << 2), load<f32>(dhp + (<usize>c << 2)) + s);
      }
    }
  }
}
