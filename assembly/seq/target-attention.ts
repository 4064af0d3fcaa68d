// Target attention (DIN, Zhou et al. 2018, arXiv:1706.06978; BST, Chen et al. 2019,
// arXiv:1905.06874): each candidate item, as one query row, attends over the encoded events
// of one behaviour sequence. Queries are independent rows, so a user's whole catalogue is
// scored against her history computed once (one query per candidate, O(L·d) each).

import { axpy, dot } from '../shared/simd';

/**
 * For each query r < n, of sequence b = seq[r] (keys and values in rows b·L … b·L + L − 1):
 *   s_j = q_r·k_j / √d over the keys j ≤ last[r] with ids[b·L + j] ≥ 0,
 *   p = softmax(s) (0 at masked keys), out_r = Σ_j p_j v_j.
 * q, out: n × d; k, v: (sequences·L) × d; ids: sequences × L (−1 = padding); seq, last: n
 * i32 (last ≥ L − 1 sees the whole sequence: serving; last = t: a training position t);
 * probs: n × L, kept for the backward. A query with no visible key gets out = 0, p = 0.
 * out must not alias q, k, v.
 */
export function nn_seq_target_attention_f32(outPtr: usize, probsPtr: usize, qPtr: usize, kPtr: usize, vPtr: usize, idsPtr: usize, seqPtr: usize, lastPtr: usize, n: i32, L: i32, d: i32): void {
  const scale: f32 = <f32>1 / Mathf.sqrt(<f32>d);
  const rowBytes = <usize>d << 2;
  for (let r = 0; r < n; r++) {
    const b = load<i32>(seqPtr + (<usize>r << 2));
    const last = load<i32>(lastPtr + (<usize>r << 2));
    const jEnd = last + 1 < L ? last + 1 : L;
    const ids = idsPtr + (<usize>b * <usize>L << 2);
    const base = <usize>b * <usize>L * rowBytes;
    const p = probsPtr + (<usize>r * <usize>L << 2);
    const q = qPtr + <usize>r * rowBytes;
    const o = outPtr + <usize>r * rowBytes;
    let mx: f32 = -Infinity;
    for (let j = 0; j < L; j++) {
      let s: f32 = -Infinity;
      if (j < jEnd && load<i32>(ids + (<usize>j << 2)) >= 0) s = scale * dot(q, kPtr + base + <usize>j * rowBytes, d);
      store<f32>(p + (<usize>j << 2), s);
      if (s > mx) mx = s;
    }
    memory.fill(o, 0, rowBytes);
    if (mx == -Infinity) {
      memory.fill(p, 0, <usize>L << 2);
      continue;
    }
    let total: f32 = 0;
    for (let j = 0; j < L; j++) {
      const e = Mathf.exp(load<f32>(p + (<usize>j << 2)) - mx);
      store<f32>(p + (<usize>j << 2), e);
      total += e;
    }
    const inv: f32 = <f32>1 / total;
    for (let j = 0; j < L; j++) {
      const pj = load<f32>(p + (<usize>j << 2)) * inv;
      store<f32>(p + (<usize>j << 2), pj);
      if (pj != 0) axpy(o, pj, vPtr + base + <usize>j * rowBytes, d);
    }
  }
}

/**
 * The backward of nn_seq_target_attention_f32 from its probs: with dP_j = dOut_r·v_j and
 * dS_j = p_j (dP_j − Σ_k p_k dP_k) / √d:  dV_j += p_j dOut_r;  dQ_r = Σ_j dS_j k_j;
 * dK_j += dS_j q_r. dQ (n × d) and dK, dV (m·L × d, m sequences) are overwritten; masked
 * keys (p = 0) get nothing from that query. scratch holds L floats.
 */
export function nn_seq_target_attention_backward_f32(dqPtr: usize, dkPtr: usize, dvPtr: usize, dOutPtr: usize, probsPtr: usize, qPtr: usize, kPtr: usize, vPtr: usize, seqPtr: usize, n: i32, m: i32, L: i32, d: i32, scratchPtr: usize): void {
  const scale: f32 = <f32>1 / Mathf.sqrt(<f32>d);
  const rowBytes = <usize>d << 2;
  memory.fill(dqPtr, 0, <usize>n * rowBytes);
  memory.fill(dkPtr, 0, <usize>m * <usize>L * rowBytes);
  memory.fill(dvPtr, 0, <usize>m * <usize>L * rowBytes);
  for (let r = 0; r < n; r++) {
    const base = <usize>load<i32>(seqPtr + (<usize>r << 2)) * <usize>L * rowBytes;
    const p = probsPtr + (<usize>r * <usize>L << 2);
    const at = <usize>r * rowBytes;
    const g = dOutPtr + at;
    let pdp: f32 = 0;
    for (let j = 0; j < L; j++) {
      const pj = load<f32>(p + (<usize>j << 2));
      let dp: f32 = 0;
      if (pj != 0) {
        const vj = base + <usize>j * rowBytes;
        dp = dot(g, vPtr + vj, d);
        axpy(dvPtr + vj, pj, g, d);
        pdp += pj * dp;
      }
      store<f32>(scratchPtr + (<usize>j << 2), dp);
    }
    for (let j = 0; j < L; j++) {
      const pj = load<f32>(p + (<usize>j << 2));
      if (pj == 0) continue;
      const ds = pj * (load<f32>(scratchPtr + (<usize>j << 2)) - pdp) * scale;
      const kj = base + <usize>j * rowBytes;
      axpy(dqPtr + at, ds, kPtr + kj, d);
      axpy(dkPtr + kj, ds, qPtr + at, d);
    }
  }
}
