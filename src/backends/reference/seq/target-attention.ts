// Reference target attention: candidate query rows over one sequence's keys each (mirrors assembly/seq/target-attention.ts).
import type { Heap } from '../../heap.js';

const f32 = Math.fround;

/** out_r = Σ_j softmax_j(q_r·k_j/√d) v_j over the keys j ≤ last[r] (id ≥ 0) of sequence seq[r]; stores probs (n × L). */
export function seqTargetAttention(h: Heap, outPtr: number, probsPtr: number, qPtr: number, kPtr: number, vPtr: number, idsPtr: number, seqPtr: number, lastPtr: number, n: number, L: number, d: number): void {
  const f = h.f32;
  const ints = h.i32;
  const scale = 1 / Math.sqrt(d);
  for (let r = 0; r < n; r++) {
    const b = ints[(seqPtr >> 2) + r];
    const last = ints[(lastPtr >> 2) + r];
    const visible = (j: number) => j <= last && ints[(idsPtr >> 2) + b * L + j] >= 0;
    const p = (probsPtr >> 2) + r * L;
    const q = (qPtr >> 2) + r * d;
    const o = (outPtr >> 2) + r * d;
    const s: number[] = [];
    let mx = -Infinity;
    for (let j = 0; j < L; j++) {
      let v = -Infinity;
      if (visible(j)) {
        v = 0;
        for (let c = 0; c < d; c++) v += f[q + c] * f[(kPtr >> 2) + (b * L + j) * d + c];
        v *= scale;
      }
      s.push(v);
      mx = Math.max(mx, v);
    }
    for (let c = 0; c < d; c++) f[o + c] = 0;
    if (mx === -Infinity) {
      for (let j = 0; j < L; j++) f[p + j] = 0;
      continue;
    }
    let total = 0;
    for (let j = 0; j < L; j++) total += visible(j) ? Math.exp(s[j] - mx) : 0;
    for (let j = 0; j < L; j++) {
      f[p + j] = visible(j) ? f32(Math.exp(s[j] - mx) / total) : 0;
      const v = (vPtr >> 2) + (b * L + j) * d;
      for (let c = 0; c < d; c++) f[o + c] = f32(f[o + c] + f[p + j] * f[v + c]);
    }
  }
}

/** dV += p dOut; dS = p (dP − Σ p dP)/√d; dQ = dS K; dK += dSᵀ q (dQ: n × d, dK, dV: m·L × d, overwritten). */
export function seqTargetAttentionBackward(h: Heap, dqPtr: number, dkPtr: number, dvPtr: number, dOutPtr: number, probsPtr: number, qPtr: number, kPtr: number, vPtr: number, seqPtr: number, n: number, m: number, L: number, d: number, _scratchPtr: number): void {
  const f = h.f32;
  const scale = 1 / Math.sqrt(d);
  f.fill(0, dqPtr >> 2, (dqPtr >> 2) + n * d);
  for (const ptr of [dkPtr, dvPtr]) f.fill(0, ptr >> 2, (ptr >> 2) + m * L * d);
  for (let r = 0; r < n; r++) {
    const b = h.i32[(seqPtr >> 2) + r];
    const p = (probsPtr >> 2) + r * L;
    const key = (j: number) => (b * L + j) * d;
    const g = (dOutPtr >> 2) + r * d;
    const dp: number[] = [];
    let pdp = 0;
    for (let j = 0; j < L; j++) {
      let v = 0;
      for (let c = 0; c < d; c++) v += f[g + c] * f[(vPtr >> 2) + key(j) + c];
      dp.push(v);
      pdp += f[p + j] * v;
      for (let c = 0; c < d; c++) f[(dvPtr >> 2) + key(j) + c] = f32(f[(dvPtr >> 2) + key(j) + c] + f[p + j] * f[g + c]);
    }
    for (let j = 0; j < L; j++) {
      if (f[p + j] === 0) continue;
      const ds = f[p + j] * (dp[j] - pdp) * scale;
      for (let c = 0; c < d; c++) {
        f[(dqPtr >> 2) + r * d + c] = f32(f[(dqPtr >> 2) + r * d + c] + ds * f[(kPtr >> 2) + key(j) + c]);
        f[(dkPtr >> 2) + key(j) + c] = f32(f[(dkPtr >> 2) + key(j) + c] + ds * f[(qPtr >> 2) + r * d + c]);
      }
    }
  }
}
