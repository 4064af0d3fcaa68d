// The two ways an implicit ensemble makes its members' scores comparable, by hand.
import { describe, expect, it } from 'vitest';
import { fusedRows, RECIPROCAL_RANK_K, reciprocalRankRows, standardisedRows } from '../../src/models/score-fusion.js';
import { Rng } from '../../src/random.js';

describe('standardisedRows', () => {
  it('standardises each row over its finite values; a row without spread becomes 0', () => {
    const out = standardisedRows(Float32Array.from([1, 2, 3, NaN, 10, 10, 10, 10]), 4);
    const sd = Math.sqrt(2 / 3);
    expect(Array.from(out.subarray(0, 3)).map((v) => Number(v.toFixed(5)))).toEqual([-1 / sd, 0, 1 / sd].map((v) => Number(v.toFixed(5))));
    expect(out[3]).toBeNaN();
    expect(Array.from(out.subarray(4))).toEqual([0, 0, 0, 0]);
  });
});

describe('reciprocalRankRows', () => {
  it('gives 1 / (k + rank), rank 0 for the best; ties share their best rank; non-finite scores rank last, tied', () => {
    const out = reciprocalRankRows(Float32Array.from([0.2, 3, 0.2, NaN, -Infinity, 5, -1, 4]), 4, 60);
    expect(Array.from(out.subarray(0, 4))).toEqual([1 / 61, 1 / 60, 1 / 61, 1 / 63].map(Math.fround));
    // Row two: 5 first, 4 second, -1 third, -∞ last.
    expect(Array.from(out.subarray(4))).toEqual([1 / 63, 1 / 60, 1 / 62, 1 / 61].map(Math.fround));
  });

  it('keeps each row in the same order as its scores (random rows, distinct values)', () => {
    const rng = new Rng(3);
    const n = 257;
    const scores = Float32Array.from({ length: 3 * n }, () => rng.normal());
    const out = reciprocalRankRows(scores.slice(), n);
    for (let r = 0; r < 3; r++) {
      const byScore = [...Array(n).keys()].sort((a, b) => scores[r * n + b] - scores[r * n + a]);
      const byFused = [...Array(n).keys()].sort((a, b) => out[r * n + b] - out[r * n + a]);
      expect(byFused).toEqual(byScore);
      expect(Math.max(...out.subarray(r * n, (r + 1) * n))).toBe(Math.fround(1 / RECIPROCAL_RANK_K));
      expect(Math.min(...out.subarray(r * n, (r + 1) * n))).toBe(Math.fround(1 / (RECIPROCAL_RANK_K + n - 1)));
    }
  });

  it('fusedRows gives each row the fusion named for it', () => {
    const rows = [3, 1, 2, 3, 1, 2, 0, 7, 7];
    const out = fusedRows(Float32Array.from(rows), 3, (r) => (r === 1 ? 'standardised-mean' : 'reciprocal-rank'));
    expect(Array.from(out.subarray(0, 3))).toEqual(Array.from(reciprocalRankRows(Float32Array.from(rows.slice(0, 3)), 3)));
    expect(Array.from(out.subarray(3, 6))).toEqual(Array.from(standardisedRows(Float32Array.from(rows.slice(3, 6)), 3)));
    expect(Array.from(out.subarray(6))).toEqual([1 / 62, 1 / 60, 1 / 60].map(Math.fround));
  });
});
