// Reference self-attention over padded sequences (mirrors assembly/seq/attention.ts).
import type { Heap } from '../../heap.js';

const f32 = Math.fround;

/** Multi-head scaled dot-product attention with a key-padding mask (id −1) and an optional causal mask; stores probs. */
export function seqAttention(h: Heap, outPtr: number, probsPtr: number, qPtr: number, kPtr: number, vPtr: number, idsPtr: number, m: number, L: number, d: number, heads: number, causal: number): void {
  const f = h.f32;
  const ids = h.i32;
  const dh = Math.trunc(d / heads);
  const scale = 1 / Math.sqrt(dh);
  for (let b = 0; b < m; b++) {
    for (let hd = 0; hd < heads; hd++) {
      for (let i = 0; i < L; i++) {
        const p = (probsPtr >> 2) + ((b * heads + hd) * L + i) * L;
        const q = (qPtr >> 2) + (b * L + i) * d + hd * dh;
        const o = (outPtr >> 2) + (b * L + i) * d + hd * dh;
        const visible = (j: number) => (!causal || j <= i) && ids[(idsPtr >> 2) + b * L + j] >= 0;
        let mx = -Infinity;
        const s: number[] = [];
        for (let j = 0; j < L; j++) {
          let v = -Infinity;
          if (visible(j)) {
            const k = (kPtr >> 2) + (b * L + j) * d + hd * dh;
            v = 0;
            for (let c = 0; c < dh; c++) v += f[q + c] * f[k + c];
            v *= scale;
          }
          s.push(v);
          mx = Math.max(mx, v);
        }
        for (let c = 0; c < dh; c++) f[o + c] = 0;
        if (mx === -Infinity) {
          for (let j = 0; j < L; j++) f[p + j] = 0;
          continue;
        }
        let total = 0;
        for (let j = 0; j < L; j++) total += visible(j) ? Math.exp(s[j] - mx) : 0;
        for (let j = 0; j < L; j++) {
          f[p + j] = visible(j) ? f32(Math.exp(s[j] - mx) / total) : 0;
          const v = (vPtr >> 2) + (b * L + j) * d + hd * dh;
          for (let c = 0; c < dh; c++) f[o + c] = f32(f[o + c] + f[p + j] * f[v + c]);
        }
      }
    }
  }
}

/** dV += p dOut; dS = p (dP − Σ p dP)/√dh; dQ += dS K; dK += dSᵀ Q (dQ, dK, dV overwritten). */
export function seqAttentionBackward(h: Heap, dqPtr: number, dkPtr: number, dvPtr: number, dOutPtr: number, probsPtr: number, qPtr: number, kPtr: number, vPtr: number, m: number, L: number, d: number, heads: number, _causal: number, _scratchPtr: number): void {
  // The causal mask and the scratch are implied by probs (0 at masked keys) here.
  const f = h.f32;
  const dh = Math.trunc(d / heads);
  const scale = 1 / Math.sqrt(dh);
  for (const ptr of [dqPtr, dkPtr, dvPtr]) f.fill(0, ptr >> 2, (ptr >> 2) + m * L * d);
  for (let b = 0; b < m; b++) {
    for (let hd = 0; hd < heads; hd++) {
      for (let i = 0; i < L; i++) {
        const p = (probsPtr >> 2) + ((b * heads + hd) * L + i) * L;
        const row = (j: number) => (b * L + j) * d + hd * dh;
        const g = (dOutPtr >> 2) + row(i);
        const dp: number[] = [];
        let pdp = 0;
        for (let j = 0; j < L; j++) {
          let v = 0;
          for (let c = 0; c < dh; c++) v += f[g + c] * f[(vPtr >> 2) + row(j) + c];
          dp.push(v);
          pdp += f[p + j] * v;
          for (let c = 0; c < dh; c++) f[(dvPtr >> 2) + row(j) + c] = f32(f[(dvPtr >> 2) + row(j) + c] + f[p + j] * f[g + c]);
        }
        for (let j = 0; j < L; j++) {
          if (f[p + j] === 0) continue;
          const ds = f[p + j] * (dp[j] - pdp) * scale;
          for (let c = 0; c < dh; c++) {
            f[(dqPtr >> 2) + row(i) + c] = f32(f[(dqPtr >> 2) + row(i) + c] + ds * f[(kPtr >> 2) + row(j) + c]);
            f[(dkPtr >> 2) + row(j) + c] = f32(f[(dkPtr >> 2) + row(j) + c] + ds * f[(qPtr >> 2) + row(i) + c]);
          }
        }
      }
    }
  }
}
