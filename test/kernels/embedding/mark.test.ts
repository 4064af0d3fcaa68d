import { describe, expect, it } from 'vitest';
import { SIZES, Twin, testRng } from '../twin.js';
import { createBackend } from '../../../src/backends/index.js';

const TABLE_ROWS = 50;

/** Distinct values in first-seen order, the obvious way. */
function firstSeen(idx: ArrayLike<number>): number[] {
  return [...new Set(Array.from(idx))];
}

describe('embedding markRows: a fresh list per stamp value', () => {
  it.each(SIZES)('lists first-seen rows as the reference and a Set do, and a bumped stamp starts over, n %i', async (n) => {
    const rng = testRng(400 + n);
    const a = rng.i32(n, Math.min(TABLE_ROWS, Math.max(1, n >> 1)));
    const b = rng.i32(n, TABLE_ROWS);
    const t = (await Twin.create())
      .put('stamp', new Int32Array(TABLE_ROWS))
      .put('stateA', Int32Array.of(0, 1))
      .put('stateB', Int32Array.of(0, 2))
      .put('a', a)
      .put('b', b)
      .put('outA', new Int32Array(n))
      .put('outB', new Int32Array(n));
    t.run((k, p) => k.markRows(p('stateA'), p('outA'), p('stamp'), p('a'), 0, n));
    // A bumped stamp value: rows listed by the first call count as unlisted again.
    t.run((k, p) => k.markRows(p('stateB'), p('outB'), p('stamp'), p('b'), 0, n));
    for (const [state, out, idx] of [['stateA', 'outA', a], ['stateB', 'outB', b]] as const) {
      const want = firstSeen(idx);
      for (const side of ['wasm', 'js'] as const) {
        expect(t.get(side, state)[0]).toBe(want.length);
        expect(Array.from(t.get(side, out).subarray(0, want.length))).toEqual(want);
      }
    }
    expect(Array.from(t.get('wasm', 'stamp'))).toEqual(Array.from(t.get('js', 'stamp')));
  });

  it('hand-computed: the list, its count and the stamps', async () => {
    for (const name of ['wasm', 'js'] as const) {
      const be = await createBackend(name);
      const stamp = be.allocI32(8, [7, 7, 7, 7, 7, 7, 7, 7]);
      const state = be.allocI32(2, [0, 8]);
      const idx = be.allocI32(7, [5, 2, 5, 5, 0, 2, 7]);
      const out = be.allocI32(8);
      be.kernels.markRows(state.ptr, out.ptr, stamp.ptr, idx.ptr, 0, 7);
      expect(Array.from(be.i32(state))).toEqual([4, 8]);
      expect(Array.from(be.i32(out)).slice(0, 4)).toEqual([5, 2, 0, 7]);
      expect(Array.from(be.i32(stamp))).toEqual([8, 7, 8, 7, 7, 8, 7, 8]);
    }
  });
});

describe('embedding take (32-bit)', () => {
  it.each(SIZES)('copies bit patterns exactly, n %i', async (n) => {
    const rng = testRng(450 + n);
    const width = 19;
    // Bit patterns that an f32 copy could alter or that compare oddly: NaN payloads, -0.
    const src = rng.i32(width, 0x7fffffff);
    src[0] = 0x7fc00001;
    src[1] = 0xffa00000 | 0;
    src[2] = 0x80000000 | 0;
    const idx = rng.i32(n, width);
    idx[0] = 1;
    const t = (await Twin.create()).put('src', src).put('idx', idx).put('out', new Int32Array(n));
    t.run((k, p) => k.take(p('out'), p('src'), p('idx'), n));
    const want = Array.from(idx, (i) => src[i]);
    expect(Array.from(t.get('wasm', 'out'))).toEqual(want);
    expect(Array.from(t.get('js', 'out'))).toEqual(want);
  });
});

describe('embedding takeRows (32-bit rows)', () => {
  it.each(SIZES)('copies whole rows with their bit patterns, repeats and all, n %i', async (n) => {
    const rng = testRng(470 + n);
    const rows = 23;
    for (const width of [1, 3, 16, 17]) {
      const src = rng.i32(rows * width, 0x7fffffff);
      src[0] = -1;
      src[1] = 0x7fc00001;
      src[width] = 0x80000000 | 0;
      const idx = rng.i32(n, rows);
      idx[0] = rows - 1;
      if (n > 1) idx[1] = idx[0];
      const t = (await Twin.create()).put('src', src).put('idx', idx).put('out', new Int32Array(n * width).fill(7));
      t.run((k, p) => k.takeRows(p('out'), p('src'), p('idx'), n, width));
      const want = Array.from(idx).flatMap((i) => Array.from(src.subarray(i * width, (i + 1) * width)));
      expect(Array.from(t.get('wasm', 'out'))).toEqual(want);
      expect(Array.from(t.get('js', 'out'))).toEqual(want);
    }
  });
});

describe('embedding markRows (update list kept in memory)', () => {
  it.each(SIZES)('appends first-seen rows over plain and CSR calls, as the reference and a Set do, n %i', async (n) => {
    const rng = testRng(900 + n);
    const a = rng.i32(n, Math.min(TABLE_ROWS, Math.max(1, n >> 1)));
    const ids = rng.i32(2 * n, TABLE_ROWS);
    // CSR offsets into `ids` (0–2 ids per row) that start past 0, as a batch's slice does.
    const offsets = new Int32Array(n + 1);
    offsets[0] = 1;
    for (let r = 0; r < n; r++) offsets[r + 1] = Math.min(2 * n, offsets[r] + rng.int(3));
    const t = (await Twin.create())
      .put('stamp', new Int32Array(TABLE_ROWS).fill(3))
      .put('state', Int32Array.of(0, 4))
      .put('a', a)
      .put('ids', ids)
      .put('offsets', offsets)
      .put('out', new Int32Array(TABLE_ROWS));
    t.run((k, p) => k.markRows(p('state'), p('out'), p('stamp'), p('a'), 0, n));
    t.run((k, p) => k.markRows(p('state'), p('out'), p('stamp'), p('ids'), p('offsets'), n - 1));
    const want = firstSeen([...a, ...ids.subarray(offsets[0], offsets[n - 1])]);
    for (const side of ['wasm', 'js'] as const) {
      expect(Array.from(t.get(side, 'state'))).toEqual([want.length, 4]);
      expect(Array.from(t.get(side, 'out').subarray(0, want.length))).toEqual(want);
    }
    expect(Array.from(t.get('wasm', 'stamp'))).toEqual(Array.from(t.get('js', 'stamp')));
  });
});
