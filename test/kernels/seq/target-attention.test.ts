// Target attention (candidate queries over one sequence's keys each): WASM vs the reference
// at widths with SIMD tails, the key masks by hand, and finite differences of the backward.
import { describe, expect, it } from 'vitest';
import { Twin, expectClose, testRng } from '../twin.js';

/** m rows of L ids, left-padded: row r has r % (L + 1) padded slots (row L: all padding). */
function paddedIds(m: number, L: number): Int32Array {
  return Int32Array.from({ length: m * L }, (_, k) => (k % L < Math.floor(k / L) % (L + 1) ? -1 : k % 11));
}

/** n queries spread over m sequences; query r sees up to key r % (L + 2) − 1 (−1: none, ≥ L − 1: all). */
function queryLayout(n: number, m: number, L: number) {
  return { seq: Int32Array.from({ length: n }, (_, r) => (r * 7) % m), last: Int32Array.from({ length: n }, (_, r) => (r % (L + 2)) - 1) };
}

function setUp(t: Twin, seed: number, n: number, m: number, L: number, d: number) {
  const rng = testRng(seed);
  const { seq, last } = queryLayout(n, m, L);
  return t.put('q', rng.f32(n * d)).put('k', rng.f32(m * L * d)).put('v', rng.f32(m * L * d)).put('ids', paddedIds(m, L)).put('seq', seq).put('last', last)
    .put('out', new Float32Array(n * d)).put('probs', new Float32Array(n * L)).put('dOut', rng.f32(n * d))
    .put('dq', rng.f32(n * d)).put('dk', rng.f32(m * L * d)).put('dv', rng.f32(m * L * d)).put('scratch', new Float32Array(L));
}

describe('seqTargetAttention', () => {
  it.each([[1, 1, 1, 1], [5, 3, 4, 3], [17, 4, 6, 8], [16, 2, 7, 17], [65, 5, 5, 15], [64, 3, 9, 64], [257, 2, 50, 65]])('matches the reference at n %i, m %i, L %i, d %i', async (n, m, L, d) => {
    const t = setUp(await Twin.create(), n + m * 100 + L + d, n, m, L, d);
    t.run((k, p) => k.seqTargetAttention(p('out'), p('probs'), p('q'), p('k'), p('v'), p('ids'), p('seq'), p('last'), n, L, d));
    t.expectClose('probs', { rel: 1e-5, reduction: d });
    t.expectClose('out', { rel: 1e-5, reduction: d * L });
    t.run((k, p) => k.seqTargetAttentionBackward(p('dq'), p('dk'), p('dv'), p('dOut'), p('probs'), p('q'), p('k'), p('v'), p('seq'), n, m, L, d, p('scratch')));
    for (const name of ['dq', 'dk', 'dv']) t.expectClose(name, { rel: 1e-5, reduction: d * L * Math.ceil(n / m) });
  });

  it('sees only unpadded keys up to last[r]; a query with none outputs 0 and passes no gradient', async () => {
    const [n, m, L, d] = [12, 3, 4, 4];
    const t = setUp(await Twin.create(), 5, n, m, L, d);
    t.run((k, p) => k.seqTargetAttention(p('out'), p('probs'), p('q'), p('k'), p('v'), p('ids'), p('seq'), p('last'), n, L, d));
    t.run((k, p) => k.seqTargetAttentionBackward(p('dq'), p('dk'), p('dv'), p('dOut'), p('probs'), p('q'), p('k'), p('v'), p('seq'), n, m, L, d, p('scratch')));
    const { seq, last } = queryLayout(n, m, L);
    for (const side of ['wasm', 'js'] as const) {
      const probs = t.get(side, 'probs');
      for (let r = 0; r < n; r++) {
        // Sequence b has b padded slots in front.
        const b = seq[r];
        const visible = (j: number) => j >= b && j <= last[r];
        const row = probs.slice(r * L, (r + 1) * L);
        for (let j = 0; j < L; j++) if (!visible(j)) expect(row[j]).toBe(0);
        const any = Array.from({ length: L }, (_, j) => j).some(visible);
        expect(Array.from(row).reduce((s, v) => s + v, 0)).toBeCloseTo(any ? 1 : 0, 5);
        if (!any) for (const name of ['out', 'dq']) expect(Array.from(t.get(side, name).slice(r * d, (r + 1) * d))).toEqual([0, 0, 0, 0]);
      }
    }
  });

  it('backward is the gradient of Σ dOut·out (finite differences)', async () => {
    const [n, m, L, d] = [7, 2, 4, 6];
    const rng = testRng(91);
    const inputs = { q: rng.f32(n * d), k: rng.f32(m * L * d), v: rng.f32(m * L * d) };
    const dOut = rng.f32(n * d);
    const ids = paddedIds(m, L);
    const { seq, last } = queryLayout(n, m, L);
    const forward = async (q: Float32Array, k: Float32Array, v: Float32Array) => {
      const u = (await Twin.create()).put('q', q).put('k', k).put('v', v).put('ids', ids).put('seq', seq).put('last', last).put('out', new Float32Array(n * d)).put('probs', new Float32Array(n * L));
      u.run((kk, p) => kk.seqTargetAttention(p('out'), p('probs'), p('q'), p('k'), p('v'), p('ids'), p('seq'), p('last'), n, L, d));
      return (u.get('js', 'out') as Float32Array).reduce((s, x, i) => s + x * dOut[i], 0);
    };
    const t = (await Twin.create()).put('q', inputs.q).put('k', inputs.k).put('v', inputs.v).put('ids', ids).put('seq', seq).put('last', last).put('out', new Float32Array(n * d))
      .put('probs', new Float32Array(n * L)).put('dOut', dOut).put('dq', new Float32Array(n * d)).put('dk', new Float32Array(m * L * d)).put('dv', new Float32Array(m * L * d)).put('scratch', new Float32Array(L));
    t.run((k, p) => k.seqTargetAttention(p('out'), p('probs'), p('q'), p('k'), p('v'), p('ids'), p('seq'), p('last'), n, L, d));
    t.run((k, p) => k.seqTargetAttentionBackward(p('dq'), p('dk'), p('dv'), p('dOut'), p('probs'), p('q'), p('k'), p('v'), p('seq'), n, m, L, d, p('scratch')));
    const h = 1e-2;
    for (const which of ['q', 'k', 'v'] as const) {
      const numeric: number[] = [];
      for (let i = 0; i < inputs[which].length; i++) {
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
