// Finite-difference checks: each loss kernel's gradient is the derivative of the value it
// returns (central differences on the reference backend, which computes in f64).
import { describe, expect, it } from 'vitest';
import { createBackend, type Backend, type F32Buf } from '../../../src/backends/index.js';
import { testRng } from '../twin.js';

const H = 1e-2;

/** d loss / d x[j] by central differences, for every j of buffer x. */
function numeric(be: Backend, x: F32Buf, loss: () => number): number[] {
  const v = be.f32(x);
  return Array.from({ length: x.length }, (_, j) => {
    const old = v[j];
    v[j] = old + H;
    const up = loss();
    v[j] = old - H;
    const down = loss();
    v[j] = old;
    return (up - down) / (2 * H);
  });
}

function expectGradient(analytic: Float32Array, numericGrad: number[]): void {
  for (let j = 0; j < analytic.length; j++) expect(analytic[j]).toBeCloseTo(numericGrad[j], 3);
}

describe('loss gradients match finite differences', () => {
  it('bceLogits', async () => {
    const be = await createBackend('js');
    const rng = testRng(5);
    const n = 9;
    const x = be.allocF32(n, rng.f32(n, 2));
    const y = be.allocF32(n, Float32Array.from({ length: n }, (_, i) => i % 3 === 0 ? 1 : i % 3 === 1 ? 0 : 0.25));
    const g = be.allocF32(n);
    const scratch = be.allocF32(n);
    be.kernels.bceLogits(g.ptr, x.ptr, y.ptr, n, 1);
    expectGradient(be.read(g), numeric(be, x, () => be.kernels.bceLogits(scratch.ptr, x.ptr, y.ptr, n, 1)));
  });

  it('bpr, with respect to both scores', async () => {
    const be = await createBackend('js');
    const rng = testRng(6);
    const n = 7;
    const pos = be.allocF32(n, rng.f32(n, 2));
    const neg = be.allocF32(n, rng.f32(n, 2));
    const gp = be.allocF32(n);
    const gn = be.allocF32(n);
    const s1 = be.allocF32(n);
    const s2 = be.allocF32(n);
    be.kernels.bpr(gp.ptr, gn.ptr, pos.ptr, neg.ptr, n, 1);
    const loss = () => be.kernels.bpr(s1.ptr, s2.ptr, pos.ptr, neg.ptr, n, 1);
    expectGradient(be.read(gp), numeric(be, pos, loss));
    expectGradient(be.read(gn), numeric(be, neg, loss));
  });

  it('softmaxXentRows, with keys and logQ', async () => {
    const be = await createBackend('js');
    const rng = testRng(7);
    const m = 4;
    const n = 5;
    const logits = be.allocF32(m * n, rng.f32(m * n, 2));
    const target = be.allocI32(m, [0, 1, 2, 4]);
    const key = be.allocI32(n, [3, 1, 3, 8, 9]); // rows 0 and 2 each leave out the other's column
    const logQ = be.allocF32(n, [-1, -2, -0.5, -3, -1.5]);
    const g = be.allocF32(m * n);
    const scratch = be.allocF32(m * n);
    be.kernels.softmaxXentRows(g.ptr, logits.ptr, target.ptr, key.ptr, logQ.ptr, m, n, 1);
    const grad = be.read(g);
    expectGradient(grad, numeric(be, logits, () => be.kernels.softmaxXentRows(scratch.ptr, logits.ptr, target.ptr, key.ptr, logQ.ptr, m, n, 1)));
    expect(grad[0 * n + 2]).toBe(0); // left out: no gradient
    expect(grad[2 * n + 0]).toBe(0);
  });
});
