// Half floats and int8 per-row scales for exported vector tables, and their text and .npy forms.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/random.js';
import { encodeNpy } from '../../src/io/vector-encode.js';
import { dequantizeTable, fromHalfBits, quantizeTable, toHalfBits } from '../../src/io/vector-quantize.js';
import { encodeTableCsv, encodeTableJsonl } from '../../src/io/vector-table-encode.js';

describe('half floats', () => {
  it('every finite half reads back to its own bits; hand-checked values', () => {
    for (let h = 0; h < 0x10000; h++) {
      if ((h & 0x7c00) === 0x7c00) continue;
      expect(toHalfBits(fromHalfBits(h))).toBe(h);
    }
    expect(toHalfBits(1)).toBe(0x3c00);
    expect(toHalfBits(-2)).toBe(0xc000);
    expect(toHalfBits(65504)).toBe(0x7bff);
    expect(toHalfBits(1e6)).toBe(0x7c00);
    expect(toHalfBits(2 ** -24)).toBe(1);
    expect(fromHalfBits(0x3555)).toBeCloseTo(0.33325195, 8);
  });

  it('rounds to the nearest half, ties to even', () => {
    // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: even (1) wins; 1 + 3·2^-11 rounds up to 1 + 2^-9.
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00);
    expect(toHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    const rng = new Rng(5);
    for (let k = 0; k < 20000; k++) {
      const v = Math.fround((rng.uniform() - 0.5) * 2 ** Math.floor(rng.uniform() * 30 - 20));
      const h = fromHalfBits(toHalfBits(v));
      // No half is nearer: the neighbours are at least as far.
      const up = fromHalfBits(toHalfBits(v) + 1);
      expect(Math.abs(h - v)).toBeLessThanOrEqual(Math.abs(up - v));
      expect(Math.abs(h - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11 + 2 ** -25);
    }
  });
});

describe('int8 with per-row scales', () => {
  it('each value within half a step of its row scale; the row max is exact; zero rows stay zero', () => {
    const rng = new Rng(9);
    const dim = 17;
    const rows = 40;
    const v = Float32Array.from({ length: rows * dim }, (_, k) => (k < dim ? 0 : (rng.uniform() - 0.5) * (1 + (k % 7))));
    const ids = Array.from({ length: rows }, (_, r) => `i${r}`);
    const t = quantizeTable(ids, v, dim, 'int8');
    expect(t.scales![0]).toBe(0);
    const back = dequantizeTable(t);
    for (let r = 1; r < rows; r++) {
      let max = 0;
      for (let c = 0; c < dim; c++) max = Math.max(max, Math.abs(v[r * dim + c]));
      expect(t.scales![r]).toBeCloseTo(max / 127, 6);
      for (let c = 0; c < dim; c++) expect(Math.abs(back[r * dim + c] - v[r * dim + c])).toBeLessThanOrEqual(t.scales![r] / 2 + 1e-7);
      expect(Math.max(...Array.from(t.values.subarray(r * dim, (r + 1) * dim), Math.abs))).toBe(127);
    }
  });
});

describe('encodings', () => {
  const ids = ['a', 'b'];
  const v = Float32Array.of(0.5, -1, 0.25, 2);
  it('JSON lines and CSV: f32 exact, f16 as the half value, int8 with a scale', () => {
    expect(encodeTableJsonl(quantizeTable(ids, v, 2, 'f32'))).toBe('{"id":"a","vector":[0.5,-1]}\n{"id":"b","vector":[0.25,2]}\n');
    expect(encodeTableJsonl(quantizeTable(['x'], Float32Array.of(0.1), 1, 'f16'))).toBe('{"id":"x","vector":[0.0999755859]}\n');
    const int8 = quantizeTable(ids, v, 2, 'int8');
    expect(encodeTableJsonl(int8).split('\n')[0]).toBe(`{"id":"a","vector":[64,-127],"scale":${Number(Math.fround(1 / 127).toPrecision(9))}}`);
    expect(encodeTableCsv(int8, 'item').split('\n').slice(0, 2)).toEqual(['id,item[0],item[1],scale', `a,64,-127,${Number(Math.fround(1 / 127).toPrecision(9))}`]);
    expect(() => encodeTableCsv(quantizeTable(['a,b'], Float32Array.of(1), 1, 'f32'), 'item')).toThrow(/separator/);
  });

  it('.npy headers name <f4, <f2 and |i1, padded to 64 bytes', () => {
    for (const [values, descr, width] of [[v, '<f4', 4], [Uint16Array.of(1, 2, 3, 4), '<f2', 2], [Int8Array.of(1, -2, 3, -4), '|i1', 1]] as const) {
      const bytes = encodeNpy(values, 2, 2);
      const headerLength = bytes[8] | (bytes[9] << 8);
      expect((10 + headerLength) % 64).toBe(0);
      expect(new TextDecoder().decode(bytes.subarray(10, 10 + headerLength))).toContain(`'descr': '${descr}', 'fortran_order': False, 'shape': (2, 2)`);
      expect(bytes.length - 10 - headerLength).toBe(4 * width);
    }
    expect(Array.from(new Int8Array(encodeNpy(Int8Array.of(1, -2), 1, 2).buffer).slice(-2))).toEqual([1, -2]);
  });
});
