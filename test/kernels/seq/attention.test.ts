// Self-attention over padded sequences: WASM vs the reference (odd widths, several heads,
// causal or not), the masks by hand, and finite differences of the backward.
import { describe, expect, it } from 'vitest';
import { Twin, expectClose, testRng } from '../twin.js';

/** m rows of L ids, left-padded: row r has r % (L + 1) padded slots (row L: all padding). */
function paddedIds(m: number, L: number): Int32Array {
  return Int32Array.from({ length: m * L }, (_, k) => (k % L < Math.floor(k / L) % (L + 1) ? -1 : k % 11));
}

function setUp(t: Twin, seed: number, m: number, L: number, d: number, H: number) {
  const rng = testRng(seed);
  const n = m * L * d;
  return t.put('q', rng.f32(n)).put('k', rng.f32(n)).put('v', rng.f32(n)).put('ids', paddedIds(m, L))
    .put('out', new Float32Array(n)).put('probs', new Float32Array(m * H * L * L)).put('dOut', rng.f32(n))
    .put('dq', rng.f32(n)).put('dk', rng.f32(n)).put('dv', rng.f32(n)).put('scratch', new Float32Array(L));
}

describe('seqAttention', () => {
  it.each([[3, 4, 5, 1], [4, 6, 8, 2], [2, 7, 17, 1], [5, 5, 12, 3], [3, 9, 64, 4], [2, 50, 64, 1]])('matches the reference at m %i, L %i, d %i, H %i', async (m, L, d, H) => {
    for (const causal of [1, 0]) {
      const t = setUp(await Twin.create(), m * 100 + L + d + H, m, L, d, H);
      t.run((k, p) => k.seqAttention(p('out'), p('probs'), p('q'), p('k'), p('v'), p('ids'), m, L, d, H, causal));
      t.expectClose('probs', { rel: 1e-5, reduction: d });
      t.expectClose('out', { rel: 1e-5, reduction: d * L });
      t.run((k, p) => k.seqAttentionBackward(p('dq'), p('dk'), p('dv'), p('dOut'), p('probs'), p('q'), p('k'), p('v'), m, L, d, H, causal, p('scratch')));
      for (const name of ['dq', 'dk', 'dv']) t.expectClose(name, { rel: 1e-5, reduction: d * L });
    }
  });

  it('masks padded and (causal) later keys; a query with no visible key outputs 0 and passes no gradient', async () => {
    const [m, L, d, H] = [2, 4, 4, 2];
    const t = setUp(await Twin.create(), 3, m, L, d, H);
    t.run((k, p) => k.seqAttention(p('out'), p('probs'), p('q'), p('k'), p('v'), p('ids'), m, L, d, H, 1));
    t.run((k, p) => k.seqAttentionBackward(p('dq'), p('dk'), p('dv'), p('dOut'), p('probs'), p('q'), p('k'), p('v'), m, L, d, H, 1, p('scratch')));
    for (const side of ['wasm', 'js'] as const) {
      const probs = t.get(side, 'probs');
      for (let b = 0; b < m; b++) for (let h = 0; h < H; h++) for (let i = 0; i < L; i++) {
        const row = probs.slice(((b * H + h) * L + i) * L, ((b * H + h) * L + i + 1) * L);
        // Row b has b padded slots in front: query i sees keys b..i.
        const visible = (j: number) => j >= b && j <= i;
        for (let j = 0; j < L; j++) if (!visible(j)) expect(row[j]).toBe(0);
        const total = Array.from(row).reduce((s, v) => s + v, 0);
        expect(total).toBeCloseTo(i >= b ? 1 : 0, 5);
      }
      // Sequence 1's slot 0 is padding: no output, no gradient to its query, key or value.
      for (const name of ['out', 'dq', 'dk', 'dv']) expect(Array.from(t.get(side, name).slice(L * d, L * d + d))).toEqual([0, 0, 0, 0]);
    }
  });

  it.each([[1, 2], [0, 2], [1, 1]])('backward is the gradient of Σ dOut·out (finite differences, causal %i, H %i)', async (causal, H) => {
    const [m, L, d] = [2, 4, 6];
    const rng = testRng(77 + causal + H);
    const n = m * L * d;
    const inputs = { q: rng.f32(n), k: rng.f32(n), v: rng.f32(n) };
    const dOut = rng.f32(n);
    const ids = paddedIds(m, L);
    const forward = async (q: Float32Array, k: Float32Array, v: Float32Array) => {
      const u = (await Twin.create()).put('q', q).put('k', k).put('v', v).put('ids', ids).put('out', new Float32Array(n)).put('probs', new Float32Array(m * H * L * L));
      u.run((kk, p) => kk.seqAttention(p('out'), p('probs'), p('q'), p('k'), p('v'), p('ids'), m, L, d, H, causal));
      return (u.get('js', 'out') as Float32Array).reduce((s, x, i) => s + x * dOut[i], 0);
    };
    const t = (await Twin.create()).put('q', inputs.q).put('k', inputs.k).put('v', inputs.v).put('ids', ids).put('out', new Float32Array(n))
      .put('probs', new Float32Array(m * H * L * L)).put('dOut', dOut).put('dq', new Float32Array(n)).put('dk', new Float32Array(n)).put('dv', new Float32Array(n)).put('scratch', new Float32Array(L));
    t.run((k, p) => k.seqAttention(p('out'), p('probs'), p('q'), p('k'), p('v'), p('ids'), m, L, d, H, causal));
    t.run((k, p) => k.seqAttentionBackward(p('dq'), p('dk'), p('dv'), p('dOut'), p('probs'), p('q'), p('k'), p('v'), m, L, d, H, causal, p('scratch')));
    const h = 1e-2;
    for (const which of ['q', 'k', 'v'] as const) {
      const numeric: number[] = [];
      for (let i = 0; i < n; i++) {
        const shifted = (delta: number) => {
          const c = { ...inputs, [which]: inputs[which].slice() };
          c[which][i] += delta;
          return forward(c.q, c.k, c.v);
        };
        numeric.push(((await shifted(h)) - (await shifted(-h))) / (2 * h));
      }
      for (const side of ['js', 'wasm'] as const) expectClose(t.get(side, `d${which}`), numeric, { rel: 3e-3, label: `d${which} (${side})` });
    }
  });
});
