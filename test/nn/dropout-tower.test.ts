import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { Dot } from '../../src/nn/dot.js';
import { Dropout } from '../../src/nn/dropout.js';
import { Tower } from '../../src/nn/tower.js';
import { Rng } from '../../src/random.js';
import { checkGradient, randomize, weightedSum } from './gradcheck.js';

describe('nn Dropout', () => {
  it('zeroes about p of the values, rescales the rest, and masks the gradient the same way', async () => {
    const be = await createBackend('js');
    const n = 4000;
    const d = new Dropout(be, 0.25, n, 1, new Rng(5));
    const x = be.allocF32(n, new Float32Array(n).fill(2));
    const out = d.forward(x.ptr, 1, true);
    const y = be.heap.f32.slice(out >> 2, (out >> 2) + n);
    const zeros = y.filter((v) => v === 0).length;
    expect(zeros / n).toBeGreaterThan(0.22);
    expect(zeros / n).toBeLessThan(0.28);
    expect(y.every((v) => v === 0 || Math.abs(v - 2 / 0.75) < 1e-6)).toBe(true);
    be.write(d.dy, new Float32Array(n).fill(1));
    const dx = be.allocF32(n);
    d.backward(dx.ptr, 1);
    const gx = be.read(dx);
    for (let i = 0; i < n; i++) expect(gx[i] === 0).toBe(y[i] === 0);
  });

  it('is the identity at inference', async () => {
    const be = await createBackend('js');
    const d = new Dropout(be, 0.5, 4, 2, new Rng(1));
    const x = be.allocF32(8);
    expect(d.forward(x.ptr, 2, false)).toBe(x.ptr);
    expect(d.gradPtr(123)).toBe(123);
  });
});

describe('nn Tower and Dot', () => {
  it('a two-tower dot score backpropagates to both inputs (finite differences)', async () => {
    const be = await createBackend('js');
    const rng = new Rng(21);
    const m = 4;
    const ut = new Tower(be, 'u', 5, 4, rng, { layers: [6, 3], activation: 'tanh' });
    const it_ = new Tower(be, 'i', 4, 4, rng, { layers: [3], activation: 'tanh' });
    const xu = be.allocF32(m * 5);
    const xi = be.allocF32(m * 4);
    randomize(be, xu, rng);
    randomize(be, xi, rng);
    const score = be.allocF32(m);
    const g = Float32Array.from({ length: m }, () => rng.normal());
    let uo = 0;
    let io = 0;
    const loss = () => {
      uo = ut.forward(xu.ptr, m, false);
      io = it_.forward(xi.ptr, m, false);
      Dot.forward(be, score.ptr, uo, io, m, 3);
      return weightedSum(be, score.ptr, g);
    };
    loss();
    const dScore = be.allocF32(m, g);
    Dot.backward(be, ut.gradPtr(0), it_.gradPtr(0), dScore.ptr, uo, io, m, 3, 0);
    const dxu = be.allocF32(m * 5);
    ut.backward(dxu.ptr, m);
    it_.backward(0, m);
    checkGradient(be, xu, be.read(dxu), loss, 'user input');
    for (const p of [...ut.params(), ...it_.params()]) checkGradient(be, p.value, be.read(p.grad), loss, p.name);
  });

  it('with dropout active, backward matches finite differences under the same mask', async () => {
    const be = await createBackend('js');
    const rng = new Rng(8);
    const m = 3;
    const t = new Tower(be, 't', 4, 3, rng, { layers: [8, 2], activation: 'sigmoid', dropout: 0.3 });
    const x = be.allocF32(m * 4);
    randomize(be, x, rng);
    const g = Float32Array.from({ length: m * 2 }, () => rng.normal());
    t.forward(x.ptr, m, true);
    const drop = t.drops[0]!;
    const mask = be.read(drop.mask);
    // Replays the forward with the recorded mask, so finite differences see one function.
    const loss = () => {
      t.dense[0].forward(x.ptr, m);
      be.kernels.mul(drop.y.ptr, t.dense[0].y.ptr, drop.mask.ptr, m * 8);
      t.dense[1].forward(drop.y.ptr, m);
      return weightedSum(be, t.dense[1].y.ptr, g);
    };
    expect(mask.some((v) => v === 0)).toBe(true);
    loss();
    be.write(t.dense[1].dy, g);
    const dx = be.allocF32(m * 4);
    t.backward(dx.ptr, m);
    checkGradient(be, x, be.read(dx), loss, 'x');
    for (const p of t.params()) checkGradient(be, p.value, be.read(p.grad), loss, p.name);
  });
});
