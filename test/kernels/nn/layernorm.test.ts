// Layer normalisation: WASM vs the reference at SIMD sizes, normalised rows by hand, and
// finite differences of the backward with respect to x, gain and bias.
import { describe, expect, it } from 'vitest';
import { SIZES, Twin, expectClose, testRng } from '../twin.js';

const ROWS = 6;
const EPS = 1e-5;

describe('layerNorm', () => {
  it.each(SIZES.filter((d) => d > 1))('matches the reference forward and backward at d %i', async (d) => {
    const rng = testRng(40 + d);
    const t = (await Twin.create())
      .put('x', rng.f32(ROWS * d, 2)).put('res', rng.f32(ROWS * d)).put('gain', rng.f32(d)).put('bias', rng.f32(d))
      .put('y', new Float32Array(ROWS * d)).put('xhat', new Float32Array(ROWS * d)).put('rstd', new Float32Array(ROWS))
      .put('dy', rng.f32(ROWS * d)).put('dx', new Float32Array(ROWS * d)).put('dGain', rng.f32(d)).put('dBias', rng.f32(d));
    // With the fused residual, then without it (the second result is kept).
    t.run((k, p) => k.layerNorm(p('y'), p('xhat'), p('rstd'), p('x'), p('res'), p('gain'), p('bias'), ROWS, d, EPS));
    for (const name of ['y', 'xhat', 'rstd']) t.expectClose(name, { rel: 1e-5, reduction: d });
    t.run((k, p) => k.layerNorm(p('y'), p('xhat'), p('rstd'), p('x'), 0, p('gain'), p('bias'), ROWS, d, EPS));
    for (const name of ['y', 'xhat', 'rstd']) t.expectClose(name, { rel: 1e-5, reduction: d });
    const xhat = t.get('wasm', 'xhat');
    let mean = 0;
    let sq = 0;
    for (let c = 0; c < d; c++) { mean += xhat[c] / d; sq += xhat[c] * xhat[c] / d; }
    expect(mean).toBeCloseTo(0, 5);
    expect(sq).toBeCloseTo(1, 3);
    t.run((k, p) => k.layerNormBackward(p('dx'), p('dGain'), p('dBias'), p('dy'), p('xhat'), p('rstd'), p('gain'), ROWS, d));
    for (const name of ['dx', 'dGain', 'dBias']) t.expectClose(name, { rel: 1e-5, reduction: d * ROWS });
  });

  it('backward is the gradient of Σ dy·y for x, gain and bias (finite differences); dx may alias dy', async () => {
    const d = 7;
    const rows = 3;
    const rng = testRng(9);
    const x = rng.f32(rows * d, 2);
    const gain = rng.f32(d);
    const bias = rng.f32(d);
    const dy = rng.f32(rows * d);
    const t = (await Twin.create())
      .put('x', x).put('gain', gain).put('bias', bias).put('y', new Float32Array(rows * d)).put('xhat', new Float32Array(rows * d))
      .put('rstd', new Float32Array(rows)).put('dy', dy).put('dGain', new Float32Array(d)).put('dBias', new Float32Array(d));
    t.run((k, p) => k.layerNorm(p('y'), p('xhat'), p('rstd'), p('x'), 0, p('gain'), p('bias'), rows, d, EPS));
    t.run((k, p) => k.layerNormBackward(p('dy'), p('dGain'), p('dBias'), p('dy'), p('xhat'), p('rstd'), p('gain'), rows, d));
    const loss = async (xs: Float32Array, g: Float32Array, b: Float32Array) => {
      const u = (await Twin.create()).put('x', xs).put('gain', g).put('bias', b).put('y', new Float32Array(rows * d)).put('xhat', new Float32Array(rows * d)).put('rstd', new Float32Array(rows));
      u.run((k, p) => k.layerNorm(p('y'), p('xhat'), p('rstd'), p('x'), 0, p('gain'), p('bias'), rows, d, EPS));
      return (u.get('js', 'y') as Float32Array).reduce((s, v, i) => s + v * dy[i], 0);
    };
    const h = 1e-2;
    const numeric = async (which: 0 | 1 | 2) => {
      const base = [x, gain, bias][which];
      const out: number[] = [];
      for (let i = 0; i < base.length; i++) {
        const args = (delta: number) => [x, gain, bias].map((a, j) => { const c = a.slice(); if (j === which) c[i] += delta; return c; }) as [Float32Array, Float32Array, Float32Array];
        out.push(((await loss(...args(h))) - (await loss(...args(-h)))) / (2 * h));
      }
      return out;
    };
    for (const side of ['js', 'wasm'] as const) {
      expectClose(t.get(side, 'dy'), await numeric(0), { rel: 3e-3, label: `dx (${side})` });
      expectClose(t.get(side, 'dGain'), await numeric(1), { rel: 3e-3, label: `dGain (${side})` });
      expectClose(t.get(side, 'dBias'), await numeric(2), { rel: 3e-3, label: `dBias (${side})` });
    }
  });
});

it('layerNorm of x + res equals layerNorm of the sum; y may alias res', async () => {
  const d = 9;
  const rng = testRng(12);
  const x = rng.f32(4 * d);
  const res = rng.f32(4 * d);
  const sum = x.map((v, i) => v + res[i]);
  const t = (await Twin.create()).put('x', x).put('res', res).put('sum', sum).put('gain', rng.f32(d)).put('bias', rng.f32(d))
    .put('y', new Float32Array(4 * d)).put('xhat', new Float32Array(4 * d)).put('rstd', new Float32Array(4));
  t.run((k, p) => k.layerNorm(p('y'), p('xhat'), p('rstd'), p('sum'), 0, p('gain'), p('bias'), 4, d, EPS));
  const want = t.get('js', 'y');
  t.run((k, p) => k.layerNorm(p('res'), p('xhat'), p('rstd'), p('x'), p('res'), p('gain'), p('bias'), 4, d, EPS));
  for (const side of ['js', 'wasm'] as const) expectClose(t.get(side, 'res'), want, { rel: 1e-5, reduction: d, label: side });
});
