import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { Dense, type Activation } from '../../src/nn/dense.js';
import { Rng } from '../../src/random.js';
import { checkGradient, randomize, weightedSum } from './gradcheck.js';

const ACTIVATIONS: Activation[] = ['linear', 'sigmoid', 'tanh', 'relu'];

describe('nn Dense', () => {
  it.each(ACTIVATIONS)('backward matches finite differences (%s)', async (activation) => {
    const be = await createBackend('js');
    const rng = new Rng(7);
    const [m, inDim, outDim] = [5, 6, 3];
    const d = new Dense(be, 'd', inDim, outDim, 8, rng, { activation });
    const x = be.allocF32(m * inDim);
    randomize(be, x, rng);
    randomize(be, d.b.value, rng, 0.5);
    const g = Float32Array.from({ length: m * outDim }, () => rng.normal());
    const loss = () => {
      d.forward(x.ptr, m);
      return weightedSum(be, d.y.ptr, g);
    };
    loss();
    be.write(d.dy, g);
    const dx = be.allocF32(m * inDim);
    d.backward(x.ptr, dx.ptr, m);
    const [gW, gb, gx] = [be.read(d.W.grad), be.read(d.b.grad), be.read(dx)];
    checkGradient(be, d.W.value, gW, loss, 'W');
    checkGradient(be, d.b.value, gb, loss, 'b');
    checkGradient(be, x, gx, loss, 'x');
  });

  it('accumulates weight gradients across calls and can add into dx', async () => {
    const be = await createBackend('js');
    const rng = new Rng(3);
    const d = new Dense(be, 'd', 4, 2, 4, rng, { activation: 'tanh' });
    const x = be.allocF32(8);
    randomize(be, x, rng);
    const g = Float32Array.from({ length: 4 }, () => rng.normal());
    const dx = be.allocF32(8);
    const once = () => {
      d.forward(x.ptr, 2);
      be.write(d.dy, g);
      d.backward(x.ptr, dx.ptr, 2, 1);
    };
    once();
    const [w1, x1] = [be.read(d.W.grad), be.read(dx)];
    once();
    const [w2, x2] = [be.read(d.W.grad), be.read(dx)];
    for (let i = 0; i < w1.length; i++) expect(w2[i]).toBeCloseTo(2 * w1[i], 5);
    for (let i = 0; i < x1.length; i++) expect(x2[i]).toBeCloseTo(2 * x1[i], 5);
  });
});
