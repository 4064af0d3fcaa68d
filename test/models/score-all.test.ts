// scoreAllItems against the definition μ + b_u + b_i + u·v computed in f64, on both
// backends, with user counts that span several GEMM blocks (MAX_BLOCK_FLOATS = 2^20
// output floats per call) and a catalogue wider than one block.
import { describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/backends/index.js';
import { dotItemRows, scoreAllItems, takeRows, type DotScoringInput } from '../../src/models/score-all.js';
import { Rng } from '../../src/random.js';

const MAX_BLOCK_FLOATS = 1 << 20;

function randomInput(nUsers: number, nItems: number, dim: number, seed: number): DotScoringInput {
  const rng = new Rng(seed);
  const normal = (n: number, std: number) => Float32Array.from({ length: n }, () => rng.normal() * std);
  return { userVectors: normal(nUsers * dim, 0.5), userBias: normal(nUsers, 0.3), itemVectors: normal(nItems * dim, 0.5), itemBias: normal(nItems, 0.3), dim, mu: 3.5 };
}

/** Indices (up to 5) where `got` differs from the f64 definition by more than 1e-4. */
function mismatches(got: Float32Array, x: DotScoringInput): string[] {
  const nUsers = x.userBias.length;
  const nItems = x.itemBias.length;
  expect(got).toHaveLength(nUsers * nItems);
  const bad: string[] = [];
  for (let u = 0; u < nUsers && bad.length < 5; u++) {
    for (let i = 0; i < nItems; i++) {
      let s = x.mu + x.userBias[u] + x.itemBias[i];
      for (let c = 0; c < x.dim; c++) s += x.userVectors[u * x.dim + c] * x.itemVectors[i * x.dim + c];
      if (!(Math.abs(got[u * nItems + i] - s) <= 1e-4)) bad.push(`user ${u} item ${i}: ${got[u * nItems + i]} vs ${s}`);
    }
  }
  return bad;
}

describe('dotItemRows and takeRows', () => {
  it('lays out [v | 1 | b_i + μ] per item', () => {
    const rows = dotItemRows({ itemVectors: Float32Array.of(1, 2, 3, 4), itemBias: Float32Array.of(0.5, -1), dim: 2, mu: 3 });
    expect(Array.from(rows)).toEqual([1, 2, 1, 3.5, 3, 4, 1, 2]);
  });

  it('gathers rows of a table', () => {
    const table = Float32Array.of(0, 1, 10, 11, 20, 21);
    expect(Array.from(takeRows(table, 2, Int32Array.of(2, 0, 2)))).toEqual([20, 21, 0, 1, 20, 21]);
    expect(takeRows(table, 2, new Int32Array(0))).toHaveLength(0);
  });
});

describe.each(['js', 'wasm'] as const)('scoreAllItems on the %s backend', (name) => {
  const backend = (): Promise<Backend> => createBackend(name);

  it('scores users spread over several GEMM blocks (and a width with a SIMD tail)', async () => {
    const be = await backend();
    const nItems = 3001;
    const block = Math.floor(MAX_BLOCK_FLOATS / nItems);
    // Two full blocks and a partial one.
    const nUsers = 2 * block + 102;
    const x = randomInput(nUsers, nItems, 5, 1);
    expect(mismatches(scoreAllItems(be, x), x)).toEqual([]);
  });

  it('scores one user per call, and a catalogue wider than a block one user at a time', async () => {
    const be = await backend();
    const one = randomInput(1, 257, 8, 2);
    expect(mismatches(scoreAllItems(be, one), one)).toEqual([]);
    const wide = randomInput(3, MAX_BLOCK_FLOATS + 3, 1, 3);
    expect(mismatches(scoreAllItems(be, wide), wide)).toEqual([]);
  });

  it('uses the itemRows it is given instead of rebuilding them', async () => {
    const be = await backend();
    const x = randomInput(40, 300, 4, 4);
    const itemRows = dotItemRows(x);
    expect(Array.from(scoreAllItems(be, { ...x, itemRows }))).toEqual(Array.from(scoreAllItems(be, x)));
    // Rows of another catalogue of the same size: the scores are that catalogue's.
    const other = randomInput(40, 300, 4, 5);
    const mixed = scoreAllItems(be, { ...x, itemRows: dotItemRows(other) });
    expect(mismatches(mixed, { ...x, itemVectors: other.itemVectors, itemBias: other.itemBias, mu: other.mu })).toEqual([]);
  });

  it('reads inputs that are views of backend memory before anything it allocates can move them', async () => {
    const be = await backend();
    const x = randomInput(400, 3000, 6, 6);
    const bufs = [x.userVectors, x.userBias, x.itemVectors, x.itemBias].map((a) => be.allocF32(a.length, a));
    const [userVectors, userBias, itemVectors, itemBias] = bufs.map((b) => be.f32(b));
    const before = be.heap.memory.buffer;
    const got = scoreAllItems(be, { userVectors, userBias, itemVectors, itemBias, dim: x.dim, mu: x.mu });
    // The scoring buffers (block × items floats) made the memory grow: the views went stale.
    expect(be.heap.memory.buffer).not.toBe(before);
    expect(mismatches(got, x)).toEqual([]);
  });

  it('returns an empty matrix for no users or no items', async () => {
    const be = await backend();
    expect(scoreAllItems(be, randomInput(0, 10, 3, 7))).toHaveLength(0);
    expect(scoreAllItems(be, randomInput(10, 0, 3, 7))).toHaveLength(0);
  });
});
