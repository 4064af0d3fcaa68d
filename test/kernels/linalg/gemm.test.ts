import { describe, expect, it } from 'vitest';
import { Twin, testRng } from '../twin.js';
import { createBackend } from '../../../src/backends/index.js';

// Odd sizes that take several 4×8 tiles plus every tail, the degenerate 1, and the tower
// shapes of a training step (batch 256, widths 16..130).
const DIMS = [1, 3, 5, 17, 65];
const SHAPES: [number, number, number][] = [];
for (const m of DIMS) for (const k of DIMS) for (const n of DIMS) SHAPES.push([m, k, n]);
const LARGE: [number, number, number][] = [
  [256, 70, 64],
  [256, 64, 64],
  [256, 130, 16],
  [257, 33, 19],
];

/** Runs every gemm variant at one shape; `shift` offsets pointers by whole floats (4-byte aligned slices). */
async function checkShape(m: number, k: number, n: number, shift = 0): Promise<void> {
  const rng = testRng(m * 10007 + k * 101 + n);
  const s = shift;
  const t = await Twin.create();
  t.put('x', rng.f32(m * k + s)).put('w', rng.f32(k * n + s)).put('b', rng.f32(n + s));
  t.put('dy', rng.f32(m * n + s));
  const yInit = rng.f32(m * n + s);
  const dxInit = rng.f32(m * k + s);
  const dwInit = rng.f32(k * n + s);
  for (const acc of [0, 1]) {
    for (const bias of [false, true]) {
      const y = `y${acc}${bias}`;
      t.put(y, yInit);
      t.run((kr, p) => kr.gemm(p(y) + 4 * s, p('x') + 4 * s, p('w') + 4 * s, bias ? p('b') + 4 * s : 0, m, k, n, acc));
      t.expectClose(y, { reduction: k + 2 });
    }
    const dx = `dx${acc}`;
    t.put(dx, dxInit);
    t.run((kr, p) => kr.gemmNt(p(dx) + 4 * s, p('dy') + 4 * s, p('w') + 4 * s, m, k, n, acc));
    t.expectClose(dx, { reduction: n + 1 });
    const dw = `dw${acc}`;
    t.put(dw, dwInit);
    t.run((kr, p) => kr.gemmTn(p(dw) + 4 * s, p('x') + 4 * s, p('dy') + 4 * s, m, k, n, acc));
    t.expectClose(dw, { reduction: m + 1 });
  }
  // Overwriting must not depend on the old contents, and a shift leaves the word before untouched.
  if (s > 0) expect(t.get('wasm', 'y0false')[0]).toBe(yInit[0]);
}

describe('linalg gemm, gemmNt, gemmTn', () => {
  it.each(SHAPES)('match the reference at m=%i k=%i n=%i', async (m, k, n) => {
    await checkShape(m, k, n);
  });

  it.each(LARGE)('match the reference at tower shape m=%i k=%i n=%i, on 4-byte-aligned slices', async (m, k, n) => {
    await checkShape(m, k, n, 1);
  });

  it('handles k = 0 (bias only) and empty outputs', async () => {
    await checkShape(4, 0, 9);
    await checkShape(0, 5, 3);
  });

  it('computes a 2×3 · 3×2 product (hand-computed)', async () => {
    const be = await createBackend('js');
    const x = be.allocF32(6, [1, 2, 3, 4, 5, 6]);
    const w = be.allocF32(6, [7, 8, 9, 10, 11, 12]);
    const b = be.allocF32(2, [1, -1]);
    const y = be.allocF32(4, [9, 9, 9, 9]);
    // [1 2 3; 4 5 6]·[7 8; 9 10; 11 12] = [58 64; 139 154]
    be.kernels.gemm(y.ptr, x.ptr, w.ptr, 0, 2, 3, 2, 0);
    expect(Array.from(be.f32(y))).toEqual([58, 64, 139, 154]);
    be.kernels.gemm(y.ptr, x.ptr, w.ptr, b.ptr, 2, 3, 2, 1);
    expect(Array.from(be.f32(y))).toEqual([58 + 59, 64 + 63, 139 + 140, 154 + 153]);
  });

  it('computes dX = dY·Wᵀ and dW = Xᵀ·dY (hand-computed)', async () => {
    const be = await createBackend('js');
    // dY[2×2] = [1 0; 2 -1], W[3×2] = [7 8; 9 10; 11 12], X[2×3] = [1 2 3; 4 5 6]
    const dy = be.allocF32(4, [1, 0, 2, -1]);
    const w = be.allocF32(6, [7, 8, 9, 10, 11, 12]);
    const x = be.allocF32(6, [1, 2, 3, 4, 5, 6]);
    const dx = be.allocF32(6);
    const dw = be.allocF32(6, [1, 1, 1, 1, 1, 1]);
    // dX[i,j] = Σ_p dY[i,p] W[j,p]: row 0 = [7 9 11], row 1 = [14-8 18-10 22-12]
    be.kernels.gemmNt(dx.ptr, dy.ptr, w.ptr, 2, 3, 2, 0);
    expect(Array.from(be.f32(dx))).toEqual([7, 9, 11, 6, 8, 10]);
    // dW[p,j] = Σ_r X[r,p] dY[r,j] = [1+8 -4; 2+10 -5; 3+12 -6], plus the old 1s
    be.kernels.gemmTn(dw.ptr, x.ptr, dy.ptr, 2, 3, 2, 1);
    expect(Array.from(be.f32(dw))).toEqual([10, -3, 13, -4, 16, -5]);
  });
});
