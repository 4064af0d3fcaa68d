// Precomputed vectors: .npy and CSV readers that fail with file, offset or line, and field;
// joining them to a data set; the `vector` feature's normalisation; and on ML-100K cold items
// vectors carry what ids cannot (genre vectors stand in for image embeddings here).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNpy } from '../../src/data/npy.js';
import { parseVectorCsv, withVectors } from '../../src/data/vectors.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { makeSplit } from '../../src/data/splits.js';
import { FeaturePipeline } from '../../src/preprocessing/pipeline.js';
import { autoFeatureSpec } from '../../src/preprocessing/auto.js';
import { encodeSafetensors } from '../../src/io/safetensors.js';
import { addVectorFile, readVectorFile } from '../../src/io/node/vectors.js';
import { loadDataset } from '../../src/io/node/load.js';
import { createBackend } from '../../src/backends/index.js';
import { buildModel } from '../../src/models/factory.js';
import { HAVE_ML100K, ML100K_DIR } from './datadir.js';
import { dataError } from './errors.js';

/** A .npy file as NumPy writes it: header padded so the data starts at a multiple of 64. */
function npy(descr: string, shape: number[], values: ArrayLike<number>, fortran = false): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const width = descr.endsWith('8') ? 8 : 4;
  const out = new Uint8Array(10 + header.length + values.length * width);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  const view = new DataView(out.buffer, 10 + header.length);
  for (let k = 0; k < values.length; k++) {
    if (descr === '<f8') view.setFloat64(8 * k, values[k], true);
    else if (descr === '<f4') view.setFloat32(4 * k, values[k], true);
    else view.setInt32(4 * k, values[k], true);
  }
  return out;
}

describe('parseNpy', () => {
  it('reads 2-D float32 and float64 arrays in C order', () => {
    const m = parseNpy(npy('<f4', [2, 3], [1, 2, 3, 4, 5, 6.5]), 'a.npy');
    expect([m.rows, m.cols, Array.from(m.data)]).toEqual([2, 3, [1, 2, 3, 4, 5, 6.5]]);
    expect(Array.from(parseNpy(npy('<f8', [1, 2], [0.25, -3]), 'b.npy').data)).toEqual([0.25, -3]);
  });

  it('fails on the wrong dtype, shape, order, length or magic, naming the file, byte offset and field', () => {
    expect(dataError(() => parseNpy(npy('<i4', [2, 2], [1, 2, 3, 4]), 'x.npy')).message).toMatch(/^x\.npy, field dtype: at byte 10: dtype <i4 is not float32 or float64/);
    expect(dataError(() => parseNpy(npy('<f4', [4], [1, 2, 3, 4]), 'x.npy')).message).toMatch(/^x\.npy, field shape: .*not 2-D/);
    expect(dataError(() => parseNpy(npy('<f4', [2, 2], [1, 2, 3, 4], true), 'x.npy')).message).toMatch(/field fortran_order/);
    const whole = npy('<f4', [2, 2], [1, 2, 3, 4]);
    expect(dataError(() => parseNpy(whole.subarray(0, whole.length - 10), 'x.npy')).message).toMatch(/^x\.npy, field data: at byte \d+: shape \(2, 2\) of <f4 needs 16 bytes, the file has 6/);
    expect(dataError(() => parseNpy(new TextEncoder().encode('id,x\n1,2\n'), 'x.npy')).message).toMatch(/field magic: at byte 0: not a \.npy file/);
    expect(dataError(() => parseNpy(npy('<f4', [1, 2], [1, Infinity]), 'x.npy')).message).toMatch(/field data: at byte \d+: row 0, column 1: Infinity is not a finite float32/);
  });
});

describe('vector files and the vector feature', () => {
  const ds = generateSynthetic({ nUsers: 40, nItems: 30, nRatings: 600, seed: 2 });
  const ids = ds.itemIndex.ids.slice(0, 20);

  it('CSV vectors: a row of another width fails with its line and field', () => {
    expect(parseVectorCsv('id,a,b\n1,0.5,1\n2,3,4\n', 'v.csv').matrix).toEqual({ rows: 2, cols: 2, data: Float32Array.of(0.5, 1, 3, 4) });
    expect(dataError(() => parseVectorCsv('1,0.5,1\n2,3\n', 'v.csv')).message).toBe('v.csv line 2, field 3: this row has 1 numbers, the first had 2');
    expect(dataError(() => parseVectorCsv('1,0.5,x\n', 'v.csv')).message).toBe('v.csv line 1, field 3: "x" is not a finite number');
  });

  it('joins vectors by id: unknown ids are counted, a duplicate id fails', () => {
    const m = { rows: 3, cols: 2, data: Float32Array.of(1, 0, 0, 2, 3, 4) };
    const joined = withVectors(ds, 'item', 'img', [ids[0], ids[1], 'nobody'], m, 'img.npy');
    expect(joined.report.warnings.at(-1)).toBe('img.npy: 1 of 3 vectors belong to items the data does not have; not used');
    const row = joined.items!.ids.indexOf(ids[1]);
    expect([joined.items!.columns['img[0]'].values[row], joined.items!.columns['img[1]'].values[row]]).toEqual([0, 2]);
    expect(dataError(() => withVectors(ds, 'item', 'img', [ids[0], ids[0], ids[1]], m, 'img.npy')).message).toMatch(/^img\.npy, field ids: id .* has two vectors/);
  });

  it('l2 makes each vector unit length, standard centres each dimension on the training entities, missing vectors are zeros; auto picks them up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasmrec-vectors-'));
    const values = Float32Array.from({ length: 20 * 4 }, (_, k) => ((k * 7) % 11) - 5);
    writeFileSync(join(dir, 'img.safetensors'), encodeSafetensors([{ name: 'embeddings', data: values, shape: [20, 4] }], {}));
    writeFileSync(join(dir, 'ids.txt'), ids.join('\n') + '\n');
    const joined = await addVectorFile(ds, 'item', 'img', join(dir, 'img.safetensors'), { idsFile: join(dir, 'ids.txt') });
    expect(autoFeatureSpec(joined).item).toContainEqual({ type: 'vector', column: 'img', dim: 4 });
    const encode = (normalize: 'l2' | 'standard') => FeaturePipeline.fit(joined, joined.ratings, { user: [], item: [{ type: 'vector', column: 'img', dim: 4, normalize }] }).encode('item', joined.itemIndex);
    const l2 = encode('l2');
    const rowOf = (id: string) => joined.itemIndex.get(id);
    const vec = (e: typeof l2, id: string) => Array.from(e.continuous.subarray(rowOf(id) * 4, rowOf(id) * 4 + 4));
    expect(Math.hypot(...vec(l2, ids[3]))).toBeCloseTo(1, 5);
    expect(vec(l2, ds.itemIndex.ids[25])).toEqual([0, 0, 0, 0]); // no vector
    expect(l2.contNames).toEqual(['img[0]', 'img[1]', 'img[2]', 'img[3]']);
    const standard = encode('standard');
    expect(Math.abs(vec(standard, ids[0])[0])).toBeLessThan(5);
    await expect(readVectorFile(join(dir, 'img.safetensors'))).rejects.toThrow(/img\.safetensors, field ids: vectors need their ids/);
  });
});

describe.runIf(HAVE_ML100K)('vectors on ML-100K cold items', () => {
  it("a two-tower fed only the items' vectors predicts new films better than one with ids alone", async () => {
    const ds = await loadDataset(ML100K_DIR);
    // Stand-in for an upstream embedding: each film's genres as a vector, written as .npy.
    const genres = ds.items!.columns.genres.values as string[][];
    const names = [...new Set(genres.flat())].sort();
    const data = new Float32Array(ds.items!.ids.length * names.length);
    genres.forEach((gs, r) => gs.forEach((g) => (data[r * names.length + names.indexOf(g)] = 1)));
    const dir = mkdtempSync(join(tmpdir(), 'wasmrec-vectors-'));
    writeFileSync(join(dir, 'films.npy'), npy('<f4', [ds.items!.ids.length, names.length], data));
    const joined = await addVectorFile(ds, 'item', 'emb', join(dir, 'films.npy'), { ids: ds.items!.ids });
    const split = makeSplit(joined, { kind: 'cold-items', testFraction: 0.2, seed: 42 });
    const be = await createBackend('wasm');
    const rmse = async (item: object[]) => {
      const { model } = buildModel('two-tower', be, joined, split.train, {}, { user: [], item: item as never });
      await model.fit(split.train, { seed: 42 });
      return model.evaluate(split.test, { metrics: ['rmse'] }).rmse;
    };
    const idsOnly = await rmse([]);
    const withVectorsRmse = await rmse([{ type: 'vector', column: 'emb', dim: names.length }]);
    expect(withVectorsRmse).toBeLessThan(idsOnly - 0.01);
  });
});
