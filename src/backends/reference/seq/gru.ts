// Reference GRU recurrence over padded sequences (mirrors assembly/seq/gru.ts).
import type { Heap } from '../../heap.js';

const f32 = Math.fround;
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** h_t and the gates [z | r | g_n | n] of every step from the input projections A; padded steps give zeros. */
export function seqGruForward(h: Heap, hPtr: number, gatesPtr: number, aPtr: number, uPtr: number, bPtr: number, idsPtr: number, m: number, L: number, d: number): void {
  const f = h.f32;
  const ids = h.i32;
  const U = uPtr >> 2;
  const b = bPtr >> 2;
  for (let r = 0; r < m; r++) {
    for (let t = 0; t < L; t++) {
      const step = r * L + t;
      const H = (hPtr >> 2) + step * d;
      const G = (gatesPtr >> 2) + step * 4 * d;
      if (ids[(idsPtr >> 2) + step] < 0) {
        f.fill(0, H, H + d);
        f.fill(0, G, G + 4 * d);
        continue;
      }
      const hasPrev = t > 0 && ids[(idsPtr >> 2) + step - 1] >= 0;
      const prev = (c: number) => (hasPrev ? f[H - d + c] : 0);
      for (let j = 0; j < 3 * d; j++) {
        let s = f[b + j];
        for (let c = 0; c < d; c++) s += prev(c) * f[U + c * 3 * d + j];
        f[G + j] = s;
      }
      const A = (aPtr >> 2) + step * 3 * d;
      for (let c = 0; c < d; c++) {
        const z = sigmoid(f[A + c] + f[G + c]);
        const rr = sigmoid(f[A + d + c] + f[G + d + c]);
        const n = Math.tanh(f[A + 2 * d + c] + f32(rr) * f[G + 2 * d + c]);
        f[G + c] = z;
        f[G + d + c] = rr;
        f[G + 3 * d + c] = n;
        f[H + c] = (1 - f32(z)) * f32(n) + f32(z) * prev(c);
      }
    }
  }
}

/** Backpropagation through time: dA (=, zero at padding), dU and db (+=); dH gets the carried gradient added. */
export function seqGruBackward(h: Heap, dAPtr: number, dUPtr: number, dbPtr: number, dHPtr: number, hPtr: number, gatesPtr: number, uPtr: number, idsPtr: number, m: number, L: number, d: number): void {
  const f = h.f32;
  const ids = h.i32;
  const U = uPtr >> 2;
  const dU = dUPtr >> 2;
  const db = dbPtr >> 2;
  const e = new Float64Array(3 * d);
  for (let r = 0; r < m; r++) {
    for (let t = L - 1; t >= 0; t--) {
      const step = r * L + t;
      const dA = (dAPtr >> 2) + step * 3 * d;
      if (ids[(idsPtr >> 2) + step] < 0) {
        f.fill(0, dA, dA + 3 * d);
        continue;
      }
      const dh = (dHPtr >> 2) + step * d;
      const G = (gatesPtr >> 2) + step * 4 * d;
      const hasPrev = t > 0 && ids[(idsPtr >> 2) + step - 1] >= 0;
      const hp = (hPtr >> 2) + (step - 1) * d;
      for (let c = 0; c < d; c++) {
        const [z, rr, gn, n] = [f[G + c], f[G + d + c], f[G + 2 * d + c], f[G + 3 * d + c]];
        const prev = hasPrev ? f[hp + c] : 0;
        const dan = f[dh + c] * (1 - z) * (1 - n * n);
        e[c] = f[dh + c] * (prev - n) * z * (1 - z);
        e[d + c] = dan * gn * rr * (1 - rr);
        e[2 * d + c] = dan * rr;
        f[dA + c] = e[c];
        f[dA + d + c] = e[d + c];
        f[dA + 2 * d + c] = dan;
      }
      for (let j = 0; j < 3 * d; j++) f[db + j] += e[j];
      if (!hasPrev) continue;
      for (let c = 0; c < d; c++) {
        let s = f[dh + c] * f[G + c];
        for (let j = 0; j < 3 * d; j++) {
          f[dU + c * 3 * d + j] += f[hp + c] * e[j];
          s += f[U + c * 3 * d + j] * e[j];
        }
        f[dh - d + c] += s;
      }
    }
  }
}
