// CSR propagation: WASM vs the reference on random graphs at every SIMD size, aliasing of
// the output with B, a hand-computed case, and a finite-difference check of the K-layer
// LightGCN propagation with its layer mean (src/nn/graph-propagation.ts).
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../src/backends/index.js';
import { GraphPropagation, bipartiteAdjacency, transposeCsr, type CsrMatrix } from '../../../src/nn/graph-propagation.js';
import { SIZES, Twin, expectClose, testRng } from '../twin.js';

/** A random directed graph with `rows` rows over `cols` columns, 0–6 edges per row (some rows empty). */
function randomCsr(rng: ReturnType<typeof testRng>, rows: number, cols: number): CsrMatrix {
  const rowPtr = new Int32Array(rows + 1);
  const col: number[] = [];
  const val: number[] = [];
  for (let r = 0; r < rows; r++) {
    const deg = rng.int(7);
    for (let e = 0; e < deg; e++) {
      col.push(rng.int(cols));
      val.push(rng.normal());
    }
    rowPtr[r + 1] = col.length;
  }
  return { rows, rowPtr, col: Int32Array.from(col), val: Float32Array.from(val) };
}

describe('spmm', () => {
  it.each(SIZES)('matches the reference on a random CSR graph at dim %i (α, β, and Y aliasing B)', async (dim) => {
    const rng = testRng(900 + dim);
    const ROWS = 23;
    const COLS = 19;
    const g = randomCsr(rng, ROWS, COLS);
    const t = (await Twin.create())
      .put('rowPtr', g.rowPtr).put('col', g.col).put('val', g.val)
      .put('x', rng.f32(COLS * dim))
      .put('b', rng.f32(ROWS * dim))
      .put('y', new Float32Array(ROWS * dim));
    t.run((k, p) => k.spmm(p('y'), p('rowPtr'), p('col'), p('val'), p('x'), p('b'), ROWS, dim, 1, 0));
    t.expectClose('y', { rel: 1e-5, reduction: 6 });
    // Against a plain f64 product.
    const x = t.get('js', 'x');
    const y = t.get('wasm', 'y');
    const want = new Float64Array(ROWS * dim);
    for (let r = 0; r < ROWS; r++) for (let e = g.rowPtr[r]; e < g.rowPtr[r + 1]; e++) for (let c = 0; c < dim; c++) want[r * dim + c] += g.val[e] * x[g.col[e] * dim + c];
    expectClose(y, want, { rel: 1e-5, reduction: 6, label: 'f64' });
    // Y = 0.5 Â X − 2 B, written over B.
    const b0 = t.get('js', 'b');
    t.run((k, p) => k.spmm(p('b'), p('rowPtr'), p('col'), p('val'), p('x'), p('b'), ROWS, dim, 0.5, -2));
    t.expectClose('b', { rel: 1e-5, reduction: 6 });
    expectClose(t.get('js', 'b'), Array.from(want, (v, i) => 0.5 * v - 2 * b0[i]), { rel: 1e-5, reduction: 6, label: 'alias' });
  });

  it('a path graph by hand: row 0 = 2·x1, row 1 = x0 + x2 (mean-style weights 0.5)', async () => {
    const t = (await Twin.create())
      .put('rowPtr', Int32Array.of(0, 1, 3, 3))
      .put('col', Int32Array.of(1, 0, 2))
      .put('val', Float32Array.of(2, 0.5, 0.5))
      .put('x', Float32Array.of(1, 2, 3, 4, 5, 6))
      .put('y', new Float32Array(6).fill(9));
    t.run((k, p) => k.spmm(p('y'), p('rowPtr'), p('col'), p('val'), p('x'), p('y'), 3, 2, 1, 0));
    for (const side of ['wasm', 'js'] as const) expect(Array.from(t.get(side, 'y'))).toEqual([6, 8, 3, 4, 0, 0]);
  });

  it('the transpose CSR gives Âᵀ: ⟨ÂX, Y⟩ = ⟨X, ÂᵀY⟩', async () => {
    const rng = testRng(77);
    const g = randomCsr(rng, 17, 17);
    const gt = transposeCsr(g);
    const dim = 5;
    const t = (await Twin.create())
      .put('rp', g.rowPtr).put('c', g.col).put('v', g.val)
      .put('rpT', gt.rowPtr).put('cT', gt.col).put('vT', gt.val)
      .put('x', rng.f32(17 * dim)).put('y', rng.f32(17 * dim))
      .put('ax', new Float32Array(17 * dim)).put('aty', new Float32Array(17 * dim));
    t.run((k, p) => {
      k.spmm(p('ax'), p('rp'), p('c'), p('v'), p('x'), 0, 17, dim, 1, 0);
      k.spmm(p('aty'), p('rpT'), p('cT'), p('vT'), p('y'), 0, 17, dim, 1, 0);
    });
    for (const side of ['wasm', 'js'] as const) {
      const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, v, i) => s + v * b[i], 0);
      const lhs = dot(t.get(side, 'ax'), t.get(side, 'y'));
      const rhs = dot(t.get(side, 'x'), t.get(side, 'aty'));
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-4 * (1 + Math.abs(lhs)));
    }
  });
});

describe('GraphPropagation', () => {
  it.each([['wasm', 0], ['wasm', 1], ['wasm', 3], ['js', 3]] as const)('%s K=%i: backward is the gradient of ⟨W, forward(E)⟩ (finite differences)', async (name, K) => {
    const be = await createBackend(name);
    const rng = testRng(31 + K);
    const nUsers = 6;
    const nItems = 5;
    const users = rng.i32(18, nUsers);
    const items = rng.i32(18, nItems);
    const adj = bipartiteAdjacency(users, items, nUsers, nItems);
    const dim = 5;
    const n = adj.rows;
    const prop = new GraphPropagation(be, adj, K, dim);
    const E = be.allocF32(n * dim, rng.f32(n * dim));
    const W = be.allocF32(n * dim, rng.f32(n * dim));
    const F = be.allocF32(n * dim);
    const dE = be.allocF32(n * dim);
    const objective = () => {
      prop.forward(F, E);
      const f = be.f32(F);
      const w = be.f32(W);
      let s = 0;
      for (let i = 0; i < f.length; i++) s += f[i] * w[i];
      return s;
    };
    prop.backward(dE, W);
    const grad = be.read(dE);
    const h = 1e-2;
    // The objective is linear in E, so central differences are exact up to f32 rounding.
    for (let i = 0; i < n * dim; i += 3) {
      const e0 = be.f32(E)[i];
      be.f32(E)[i] = e0 + h;
      const up = objective();
      be.f32(E)[i] = e0 - h;
      const down = objective();
      be.f32(E)[i] = e0;
      expect(Math.abs((up - down) / (2 * h) - grad[i])).toBeLessThan(2e-3);
    }
    // K = 0 is the identity; K ≥ 1 mixes neighbours.
    objective();
    const moved = Array.from(be.f32(F)).some((v, i) => Math.abs(v - be.f32(E)[i]) > 1e-6);
    expect(moved).toBe(K > 0);
    prop.dispose();
  });

  it('the normalised adjacency is symmetric with weights 1/√(d_u d_i), duplicates counted once', () => {
    const adj = bipartiteAdjacency(Int32Array.of(0, 0, 0, 1), Int32Array.of(0, 1, 1, 0), 2, 2);
    // Degrees: user0 2, user1 1, item0 2, item1 1.
    expect(Array.from(adj.rowPtr)).toEqual([0, 2, 3, 5, 6]);
    expect(Array.from(adj.col)).toEqual([2, 3, 2, 0, 1, 0]);
    expect(Array.from(adj.val)).toEqual(Array.from(Float32Array.of(1 / 2, 1 / Math.sqrt(2), 1 / Math.sqrt(2), 1 / 2, 1 / Math.sqrt(2), 1 / Math.sqrt(2))));
  });
});
