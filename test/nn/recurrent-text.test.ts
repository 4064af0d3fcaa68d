// The recurrent text encoder: padded token rows, the GRU's last state per text, wasm against
// the TypeScript reference, and its gradients against finite differences.
import { describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/backends/index.js';
import { paddedTokens, RecurrentText } from '../../src/nn/recurrent-text.js';
import { Rng } from '../../src/random.js';
import { checkGradient, weightedSum } from './gradcheck.js';

const CSR = { name: 'title', cardinality: 9, offsets: Int32Array.of(0, 3, 3, 8, 9), ids: Int32Array.of(5, 2, 7, 1, 2, 3, 4, 5, 0), recurrentTokens: 4 };

describe('paddedTokens', () => {
  it('keeps each row\'s first L tokens in order, left-padded with −1', () => {
    expect(Array.from(paddedTokens(CSR))).toEqual([-1, 5, 2, 7, -1, -1, -1, -1, 1, 2, 3, 4, -1, -1, -1, 0]);
  });
});

/** A RecurrentText over CSR's padded rows, random weights from `seed`; rows [3, 0, 2, 0] as the batch. */
async function setup(name: 'wasm' | 'js', seed = 5) {
  const be = await createBackend(name);
  const dim = 5;
  const text = new RecurrentText(be, 'item/title', CSR.cardinality, dim, CSR.recurrentTokens, 4, new Rng(seed));
  // Larger weights than the default init, so that gates saturate unevenly and errors show.
  const rng = new Rng(seed + 1);
  for (const p of text.params()) be.write(p.value, Float32Array.from({ length: p.rows * p.dim }, () => 0.6 * rng.normal()));
  const table = be.allocI32(16, paddedTokens(CSR));
  const rows = be.allocI32(4, Int32Array.of(3, 0, 2, 0));
  const stride = dim + 3;
  const out = be.allocF32(4 * stride);
  const forward = () => text.forward(out.ptr + 4, stride, table.ptr, rows.ptr, 4);
  return { be, text, out, stride, dim, forward };
}

/** The m × dim block of a strided output. */
function block(be: Backend, ptr: number, stride: number, m: number, dim: number): number[] {
  const f = be.heap.f32;
  return Array.from({ length: m * dim }, (_, k) => f[(ptr >> 2) + 1 + Math.floor(k / dim) * stride + (k % dim)]);
}

describe('RecurrentText', () => {
  it('wasm and js agree on the states and on every gradient', async () => {
    const got = await Promise.all((['wasm', 'js'] as const).map(async (name) => {
      const s = await setup(name);
      s.forward();
      const y = block(s.be, s.out.ptr, s.stride, 4, s.dim);
      const g = new Float32Array(4 * s.stride).map((_, k) => Math.sin(k));
      s.be.write(s.out, g);
      s.text.backward(s.out.ptr + 4, s.stride, 4, false);
      return { y, grads: s.text.params().map((p) => Array.from(s.be.f32(p.grad))) };
    }));
    got[0].y.forEach((v, k) => expect(v).toBeCloseTo(got[1].y[k], 5));
    // Batch rows 1 and 3 both read entity 0's text: equal states.
    expect(got[0].y.slice(5, 10)).toEqual(got[0].y.slice(15, 20));
    got[0].grads.forEach((g, p) => g.forEach((v, k) => expect(v).toBeCloseTo(got[1].grads[p][k], 4)));
    // Token 6 and 8 are in no text: no gradient; token 7 is.
    const tokens = got[1].grads[0];
    expect(tokens.slice(30, 35).every((v) => v === 0)).toBe(true);
    expect(tokens.slice(40, 45).every((v) => v === 0)).toBe(true);
    expect(tokens.slice(35, 40).some((v) => v !== 0)).toBe(true);
  });

  it('reads word order: the same tokens reversed give another vector, unlike a mean', async () => {
    const be = await createBackend('wasm');
    const text = new RecurrentText(be, 't', 4, 6, 3, 2, new Rng(3));
    const table = be.allocI32(6, Int32Array.of(1, 2, 3, 3, 2, 1));
    const rows = be.allocI32(2, Int32Array.of(0, 1));
    const out = be.allocF32(12);
    text.forward(out.ptr, 6, table.ptr, rows.ptr, 2);
    const y = Array.from(be.f32(out));
    const diff = y.slice(0, 6).reduce((s, v, k) => s + Math.abs(v - y[6 + k]), 0);
    expect(diff).toBeGreaterThan(1e-3);
  });

  it('matches finite differences for the tokens, W, U and both biases (js)', async () => {
    const s = await setup('js', 11);
    const g = new Float32Array(4 * s.stride).map((_, k) => Math.cos(1.3 * k));
    const loss = () => {
      s.forward();
      return weightedSum(s.be, s.out.ptr, g);
    };
    loss();
    s.be.write(s.out, g);
    s.text.backward(s.out.ptr + 4, s.stride, 4, false);
    for (const p of s.text.params()) checkGradient(s.be, p.value, Float32Array.from(s.be.f32(p.grad)), loss, p.name, 30);
  });

  it('leaves frozen tokens without gradient, still training the GRU', async () => {
    const s = await setup('wasm');
    s.forward();
    s.be.write(s.out, new Float32Array(4 * s.stride).fill(1));
    s.text.backward(s.out.ptr + 4, s.stride, 4, true);
    const [tokens, W] = s.text.params();
    expect(s.be.f32(tokens.grad).every((v) => v === 0)).toBe(true);
    expect(s.be.f32(W.grad).some((v) => v !== 0)).toBe(true);
  });

  it('refuses a batch larger than its buffers', async () => {
    const s = await setup('js');
    expect(() => s.text.forward(s.out.ptr, s.stride, 0, 0, 5)).toThrow(/5 rows exceed the 4/);
  });
});
