import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { Concatenate } from '../../src/nn/concat.js';
import { Embedding, PooledEmbedding } from '../../src/nn/embedding.js';
import { Rng } from '../../src/random.js';
import { checkGradient, weightedSum } from './gradcheck.js';

describe('nn Embedding and PooledEmbedding into a Concatenate', () => {
  it('gathers into column blocks and backward matches finite differences', async () => {
    const be = await createBackend('js');
    const rng = new Rng(11);
    const m = 6;
    const id = new Embedding(be, 'id', 5, 3, rng, { initStd: 0.5 });
    const genres = new PooledEmbedding(be, 'genres', 4, 2, rng, { initStd: 0.5 });
    const c = new Concatenate(be, 8, [['id', 3], ['genres', 2]]);
    // Repeated ids check accumulation; row 3 has one genre, row 0 three.
    const idx = be.allocI32(m, [0, 2, 2, 4, 1, 0]);
    const offsets = be.allocI32(m + 1, [0, 3, 4, 6, 7, 9, 10]);
    const ids = be.allocI32(10, [1, 2, 3, 0, 1, 1, 2, 3, 2, 1]);
    const g = Float32Array.from({ length: m * c.width }, () => rng.normal());
    const loss = () => {
      id.forward(c.blockPtr(c.block('id')), c.width, idx.ptr, m);
      genres.forwardPooled(c.blockPtr(c.block('genres')), c.width, ids.ptr, offsets.ptr, m);
      return weightedSum(be, c.x.ptr, g);
    };
    loss();
    // Row 1 of the concat: id row 2, then the mean of genre rows 0 (one id).
    const x = be.read(c.x);
    const t = be.read(id.table.value);
    const gt = be.read(genres.table.value);
    expect(Array.from(x.subarray(5, 8))).toEqual(Array.from(t.subarray(6, 9)));
    expect(Array.from(x.subarray(8, 10))).toEqual(Array.from(gt.subarray(0, 2)));
    be.write(c.dx, g);
    id.backward(c.gradPtr(c.block('id')), c.width, idx.ptr, m);
    genres.backwardPooled(c.gradPtr(c.block('genres')), c.width, ids.ptr, offsets.ptr, m);
    checkGradient(be, id.table.value, be.read(id.table.grad), loss, 'id table', 100);
    checkGradient(be, genres.table.value, be.read(genres.table.grad), loss, 'genre table', 100);
    // The optimizer will update exactly the touched rows.
    const nRows = id.table.updateRowCount;
    expect(nRows).toBe(4);
    expect(genres.table.updateRowCount).toBe(4);
  });
});
