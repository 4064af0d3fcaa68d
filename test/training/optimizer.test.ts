import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { Rng } from '../../src/random.js';
import { Optimizer, resolveOptimizer } from '../../src/training/optimizer.js';
import { Param } from '../../src/training/param.js';

async function twoParams(backend: 'wasm' | 'js') {
  const be = await createBackend(backend);
  const rng = new Rng(1);
  const table = new Param(be, 'table', 4, 2, rng, { sparse: true });
  const dense = new Param(be, 'dense', 1, 2, rng);
  // Gradient rows 1 and 3 of the table: (3, 0) and (0, 4); dense: (0, 12). Global norm 13.
  be.write(table.grad, [0, 0, 3, 0, 0, 0, 0, 4]);
  be.write(dense.grad, [0, 12]);
  const idx = be.allocI32(2, [1, 3]);
  table.markRows(idx.ptr, 2);
  return { be, table, dense };
}

describe('Optimizer gradient clipping', () => {
  it.each(['wasm', 'js'] as const)('scales every gradient to the global norm on %s', async (backend) => {
    const { be, table, dense } = await twoParams(backend);
    const opt = new Optimizer(be, { name: 'sgd', lr: 1, clipNorm: 6.5 });
    expect(opt.clip([table, dense], 6.5)).toBeCloseTo(13, 5);
    expect(Array.from(be.f32(table.grad))).toEqual([0, 0, 1.5, 0, 0, 0, 0, 2]);
    expect(Array.from(be.f32(dense.grad))).toEqual([0, 6]);
    // Below the threshold nothing changes.
    expect(opt.clip([table, dense], 100)).toBeCloseTo(6.5, 5);
    expect(Array.from(be.f32(dense.grad))).toEqual([0, 6]);
  });

  it('applies the clipped gradient in a step (SGD, lr 1)', async () => {
    const { be, table, dense } = await twoParams('wasm');
    const before = dense.read();
    new Optimizer(be, { name: 'sgd', lr: 1, clipNorm: 1.3 }).step([table, dense]);
    // Scale 0.1: the dense update is -(0, 1.2).
    const after = dense.read();
    expect(after[0]).toBe(before[0]);
    expect(after[1]).toBeCloseTo(before[1] - 1.2, 5);
  });

  it('defaults to no clipping and rejects a negative norm', () => {
    expect(resolveOptimizer('adam').clipNorm).toBe(0);
    expect(() => resolveOptimizer({ name: 'adam', clipNorm: -1 })).toThrow(/clipNorm must be a finite number ≥ 0/);
  });
});
