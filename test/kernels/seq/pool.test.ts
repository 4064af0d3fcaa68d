// Pooling of padded sequences: WASM vs the reference at every SIMD size and mode, a hand
// example, and finite differences of the backward (mean, sum, weighted; max away from ties).
import { describe, expect, it } from 'vitest';
import { SEQ_POOL } from '../../../src/backends/kernels.js';
import { SIZES, Twin, expectClose, testRng } from '../twin.js';

const ROWS = 9;
const M = 5;
const L = 6;

function ids(seed: number): Int32Array {
  const rng = testRng(seed);
  // Row 3 is all padding; the others have 1..L events with padding mixed in.
  return Int32Array.from({ length: M * L }, (_, k) => (Math.floor(k / L) === 3 || rng.uniform() < 0.3 ? -1 : rng.int(ROWS)));
}

describe.each(Object.entries(SEQ_POOL))('seqPool (%s)', (name, mode) => {
  it.each(SIZES)('matches the reference forward and backward at dim %i, with and without weights', async (dim) => {
    const rng = testRng(100 + dim + mode);
    for (const weighted of [false, true]) {
      const t = (await Twin.create())
        .put('table', rng.f32(ROWS * dim))
        .put('ids', ids(dim + mode))
        .put('w', Float32Array.from({ length: M * L }, () => 0.2 + rng.uniform()))
        .put('out', new Float32Array(M * (dim + 2)))
        .put('dOut', rng.f32(M * dim))
        .put('grad', new Float32Array(ROWS * dim));
      t.run((k, p) => k.seqPool(p('out'), dim + 2, p('table'), p('ids'), weighted ? p('w') : 0, L, 1, M, L, dim, mode));
      t.expectClose('out', { rel: 1e-5, reduction: L });
      t.run((k, p) => k.seqPoolBackward(p('grad'), p('dOut'), dim, p('out'), dim + 2, p('table'), p('ids'), weighted ? p('w') : 0, L, 1, M, L, dim, mode));
      t.expectClose('grad', { rel: 1e-5, reduction: L * M });
      const out = t.get('js', 'out');
      for (let c = 0; c < dim; c++) expect(out[3 * (dim + 2) + c]).toBe(0);
    }
  });

  it('backward is the gradient of Σ dOut·out (finite differences)', async () => {
    const dim = 5;
    const rng = testRng(7 + mode);
    const table = rng.f32(ROWS * dim);
    const seq = ids(50 + mode);
    const w = Float32Array.from({ length: M * L }, () => 0.5 + rng.uniform());
    const dOut = rng.f32(M * dim);
    const t = (await Twin.create()).put('table', table).put('ids', seq).put('w', w).put('out', new Float32Array(M * dim)).put('dOut', dOut).put('grad', new Float32Array(ROWS * dim));
    t.run((k, p) => k.seqPool(p('out'), dim, p('table'), p('ids'), p('w'), L, 1, M, L, dim, mode));
    t.run((k, p) => k.seqPoolBackward(p('grad'), p('dOut'), dim, p('out'), dim, p('table'), p('ids'), p('w'), L, 1, M, L, dim, mode));
    const loss = async (tab: Float32Array) => {
      const u = (await Twin.create()).put('table', tab).put('ids', seq).put('w', w).put('out', new Float32Array(M * dim));
      u.run((k, p) => k.seqPool(p('out'), dim, p('table'), p('ids'), p('w'), L, 1, M, L, dim, mode));
      const o = u.get('js', 'out') as Float32Array;
      return o.reduce((s, v, i) => s + v * dOut[i], 0);
    };
    const h = 1e-2;
    const numeric: number[] = [];
    for (let i = 0; i < table.length; i++) {
      const plus = table.slice();
      const minus = table.slice();
      plus[i] += h;
      minus[i] -= h;
      numeric.push(((await loss(plus)) - (await loss(minus))) / (2 * h));
    }
    expectClose(t.get('js', 'grad'), numeric, { rel: 2e-3, label: `${name} gradient` });
    expectClose(t.get('wasm', 'grad'), numeric, { rel: 2e-3, label: `${name} gradient (wasm)` });
  });
});

it('seqPool by hand: mean, sum and max of two weighted events, padding skipped', async () => {
  const table = Float32Array.of(1, -2, 3, 4, 5, 6);
  // Events: row 0 = (1, −2) with weight 1 and row 2 = (5, 6) with weight 3; the padded slot's weight 9 is ignored.
  for (const [mode, want] of [[SEQ_POOL.mean, [16 / 4, 16 / 4]], [SEQ_POOL.sum, [16, 16]], [SEQ_POOL.max, [15, 18]]] as const) {
    const t = (await Twin.create()).put('table', table).put('ids', Int32Array.of(0, -1, 2)).put('w', Float32Array.of(1, 9, 3)).put('out', new Float32Array(2));
    t.run((k, p) => k.seqPool(p('out'), 2, p('table'), p('ids'), p('w'), 3, 1, 1, 3, 2, mode));
    for (const side of ['wasm', 'js'] as const) expect(Array.from(t.get(side, 'out'))).toEqual(want);
  }
});

it('one column per slot (rowStride 1, slotStride N) pools exactly as the row-major layout', async () => {
  const dim = 7;
  const rng = testRng(31);
  const rowMajor = ids(31);
  const columns = Int32Array.from({ length: M * L }, (_, k) => rowMajor[(k % M) * L + Math.floor(k / M)]);
  const t = (await Twin.create()).put('table', rng.f32(ROWS * dim)).put('a', rowMajor).put('b', columns).put('outA', new Float32Array(M * dim)).put('outB', new Float32Array(M * dim));
  t.run((k, p) => k.seqPool(p('outA'), dim, p('table'), p('a'), 0, L, 1, M, L, dim, SEQ_POOL.mean));
  t.run((k, p) => k.seqPool(p('outB'), dim, p('table'), p('b'), 0, 1, M, M, L, dim, SEQ_POOL.mean));
  for (const side of ['wasm', 'js'] as const) expect(Array.from(t.get(side, 'outB'))).toEqual(Array.from(t.get(side, 'outA')));
});
