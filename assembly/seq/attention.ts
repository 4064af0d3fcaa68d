// Scaled dot-product self-attention over a batch of padded sequences (Vaswani et al. 2017,
// arXiv:1706.03762; SASRec, Kang & McAuley 2018): H heads, a causal option and a key-padding
// mask from the item ids (−1 = padding; left padding puts the most recent event in slot L−1).

import { axpy, dot } from '../shared/simd';

/**
 * For each sequence b < m, head h < H (dh = d / H columns from h·dh) and query i < L:
 *   s_j = q_i·k_j / √dh over keys j with id[b,j] ≥ 0 (and j ≤ i when causal ≠ 0),
 *   p = softmax(s) (0 at masked keys), out_i = Σ_j p_j v_j.
 * Q, K, V, out: (m·L) × d row-major; ids: m × L; probs: m × H × L × L (kept for the
 * backward). A query with no visible key gets out = 0 and p = 0. out must not alias Q, K, V.
 */
export function nn_seq_attention_f32(outPtr: usize, probsPtr: usize, qPtr: usize, kPtr: usize, vPtr: usize, idsPtr: usize, m: i32, L: i32, d: i32, heads: i32, causal: i32): void {
  const dh = d / heads;
  const scale: f32 = <f32>1 / Mathf.sqrt(<f32>dh);
  const rowBytes = <usize>d << 2;
  for (let b = 0; b < m; b++) {
    const ids = idsPtr + (<usize>b * <usize>L << 2);
    const base = <usize>b * <usize>L * rowBytes;
    for (let h = 0; h < heads; h++) {
      const col = <usize>(h * dh) << 2;
      for (let i = 0; i < L; i++) {
        const p = probsPtr + ((<usize>(b * heads + h) * <usize>L + <usize>i) * <usize>L << 2);
        const q = qPtr + base + <usize>i * rowBytes + col;
        const o = outPtr + base + <usize>i * rowBytes + col;
        const jEnd = causal ? i + 1 : L;
        let mx: f32 = -Infinity;
        for (let j = 0; j < L; j++) {
          let s: f32 = -Infinity;
          if (j < jEnd && load<i32>(ids + (<usize>j << 2)) >= 0) s = scale * dot(q, kPtr + base + <usize>j * rowBytes + col, dh);
          store<f32>(p + (<usize>j << 2), s);
          if (s > mx) mx = s;
        }
        memory.fill(o, 0, <usize>dh << 2);
        if (mx == -Infinity) {
          memory.fill(p, 0, <usize>L << 2);
          continue;
        }
        let total: f32 = 0;
        for (let j = 0; j < jEnd; j++) {
          const e = Mathf.exp(load<f32>(p + (<usize>j << 2)) - mx);
          store<f32>(p + (<usize>j << 2), e);
          total += e;
        }
        for (let j = jEnd; j < L; j++) store<f32>(p + (<usize>j << 2), 0);
        const inv: f32 = <f32>1 / total;
        for (let j = 0; j < jEnd; j++) {
          const pj = load<f32>(p + (<usize>j << 2)) * inv;
          store<f32>(p + (<usize>j << 2), pj);
          if (pj != 0) axpy(o, pj, vPtr + base + <usize>j * rowBytes + col, dh);
        }
      }
    }
  }
}

/**
 * The backward of nn_seq_attention_f32 from its probs: with dP_j = dOut_i·v_j and
 * dS_j = p_j (dP_j − Σ_k p_k dP_k) / √dh:  dV_j += p_j dOut_i;  dQ_i += Σ_j dS_j k_j;
 * dK_j += dS_j q_i. dQ, dK, dV ((m·L) × d) are overwritten; masked keys (p = 0) and queries
 * with no visible key get nothing. scratch holds L floats.
 */
export function nn_seq_attention_backward_f32(dqPtr: usize, dkPtr: usize, dvPtr: usize, dOutPtr: usize, probsPtr: usize, qPtr: usize, kPtr: usize, vPtr: usize, m: i32, L: i32, d: i32, heads: i32, causal: i32, scratchPtr: usize): void {
  const dh = d / heads;
  const scale: f32 = <f32>1 / Mathf.sqrt(<f32>dh);
  const rowBytes = <usize>d << 2;
  const total = <usize>m * <usize>L * rowBytes;
  memory.fill(dqPtr, 0, total);
  memory.fill(dkPtr, 0, total);
  memory.fill(dvPtr, 0, total);
  for (let b = 0; b < m; b++) {
    const base = <usize>b * <usize>L * rowBytes;
    for (let h = 0; h < heads; h++) {
      const col = <usize>(h * dh) << 2;
      for (let i = 0; i < L; i++) {
        const p = probsPtr + ((<usize>(b * heads + h) * <usize>L + <usize>i) * <usize>L << 2);
        const at = base + <usize>i * rowBytes + col;
        const g = dOutPtr + at;
        const jEnd = causal ? i + 1 : L;
        let pdp: f32 = 0;
        for (let j = 0; j < jEnd; j++) {
          const pj = load<f32>(p + (<usize>j << 2));
          let dp: f32 = 0;
          if (pj != 0) {
            const vj = base + <usize>j * rowBytes + col;
            dp = dot(g, vPtr + vj, dh);
            axpy(dvPtr + vj, pj, g, dh);
            pdp += pj * dp;
          }
          store<f32>(scratchPtr + (<usize>j << 2), dp);
        }
        for (let j = 0; j < jEnd; j++) {
          const pj = load<f32>(p + (<usize>j << 2));
          if (pj == 0) continue;
          const ds = pj * (load<f32>(scratchPtr + (<usize>j << 2)) - pdp) * scale;
          const kj = base + <usize>j * rowBytes + col;
          axpy(dqPtr + at, ds, kPtr + kj, dh);
          axpy(dkPtr + kj, ds, qPtr + at, dh);
        }
      }
    }
  }
}
