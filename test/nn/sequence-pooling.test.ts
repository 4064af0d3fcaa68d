// SequencePooling on both backends: pooled rows land in a column block of a wider batch
// buffer, and the backward reaches exactly the rows of real events (padding is no row).
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { SequencePooling } from '../../src/nn/sequence-pooling.js';
import { Rng } from '../../src/random.js';

describe.each(['wasm', 'js'] as const)('SequencePooling on the %s backend', (name) => {
  it('mean-pools each row\'s events into its block; the gradient goes to those rows only', async () => {
    const be = await createBackend(name);
    const pool = new SequencePooling(be, 'history', 5, 2, 3, 4, new Rng(1), { mode: 'mean' });
    pool.items.table.write([0, 0, 1, 1, 2, 4, 3, 9, 4, 16]);
    // Row 0: items 1, 2 (and padding); row 1: item 4 twice; row 2: no events.
    const ids = be.allocI32(9, [1, -1, 2, 4, 4, -1, -1, -1, -1]);
    const out = be.allocF32(3 * 4);
    pool.forward(out.ptr + 4, 4, ids.ptr, 0, 3);
    expect(Array.from(be.read(out))).toEqual([0, 1.5, 2.5, 0, 0, 4, 16, 0, 0, 0, 0, 0]);
    const dOut = be.allocF32(3 * 2, [1, 2, 3, 4, 5, 6]);
    pool.backward(dOut.ptr, 2, out.ptr + 4, 4, ids.ptr, 0, 3);
    expect(Array.from(be.read(pool.items.table.grad))).toEqual([0, 0, 0.5, 1, 0.5, 1, 0, 0, 3, 4]);
    expect(pool.items.table.updateRowCount).toBe(3);
    expect(() => pool.forward(out.ptr, 4, ids.ptr, 0, 5)).toThrow(/batch of 5 rows; built for at most 4/);
    expect(() => new SequencePooling(be, 'h', 5, 2, 0, 4, new Rng(1))).toThrow(/sequence length must be an integer ≥ 1/);
    pool.dispose();
  });
});
