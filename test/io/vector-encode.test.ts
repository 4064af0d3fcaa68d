// Writing vectors with their ids: each form reads back exactly through the readers the
// `vector` feature uses, and ids a form cannot hold are refused with the row named.
import { describe, expect, it } from 'vitest';
import { parseNpy } from '../../src/data/npy.js';
import { parseVectorCsv } from '../../src/data/vectors.js';
import { encodeIdLines, encodeNpyF32, encodeVectorCsv, encodeVectorSafetensors } from '../../src/io/vector-encode.js';
import { parseSafetensors, readTensor } from '../../src/io/safetensors.js';

const ids = ['a', 'b 2', 'ç'];
const vectors = Float32Array.of(0.1, -2.5e-8, 3, 1 / 3, 1e30, -0, 7, 8, Math.PI);

describe('vector encoders', () => {
  it('CSV, .npy and safetensors read back the same float32 values', () => {
    const csv = parseVectorCsv(encodeVectorCsv(ids, vectors, 3, 'w2v'), 'v.csv');
    expect(csv.ids).toEqual(ids);
    expect(Array.from(csv.matrix.data)).toEqual(Array.from(vectors));
    const bytes = encodeNpyF32(vectors, 3, 3);
    // NumPy pads the header so the data starts on a 64-byte boundary.
    expect((10 + new DataView(bytes.buffer).getUint16(8, true)) % 64).toBe(0);
    expect(Array.from(parseNpy(bytes, 'v.npy').data)).toEqual(Array.from(vectors));
    const st = encodeVectorSafetensors(ids, vectors, 3, 'w2v');
    const file = parseSafetensors(st);
    expect(JSON.parse(file.metadata.ids)).toEqual(ids);
    expect(Array.from(readTensor(st, file, file.tensors.get('w2v')!) as Float32Array)).toEqual(Array.from(vectors));
    expect(encodeIdLines(ids)).toBe('a\nb 2\nç\n');
  });

  it('refuses ids a form cannot hold, and shapes that do not match', () => {
    expect(() => encodeVectorCsv(['x', 'y,z'], Float32Array.of(1, 2), 1, 'v')).toThrow(/"y,z" \(row 1\)/);
    expect(() => encodeIdLines(['x', 'two\nlines'])).toThrow(/row 1/);
    expect(() => encodeVectorCsv(['x'], Float32Array.of(1, 2, 3), 2, 'v')).toThrow(/3 values for 1 ids of width 2/);
  });
});
