import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { parseGrid } from '../../src/cli/cv-runner.js';
import { combinations } from '../../src/evaluation/cross-validate.js';
import { DATA_DIR, HAVE_ML100K } from '../data/datadir.js';

async function json<T>(args: string[]): Promise<T> {
  const io = memoryIO();
  await main(['node', 'wasmrec', ...args, '--json'], io);
  return JSON.parse(io.stdout[io.stdout.length - 1]) as T;
}

interface Cv {
  folds: { split: string; rmse: number }[];
  mean_rmse: number;
  std_rmse: number;
}

describe('wasmrec cv and grid', () => {
  it('cross-validates over 5 k-folds of generated data, with the mean of the folds', async () => {
    const r = await json<Cv>(['cv', '--data', 'synthetic', '--model', 'mf', '--epochs', '5', '--factors', '8']);
    expect(r.folds.map((f) => f.split)).toHaveLength(5);
    const mean = r.folds.reduce((s, f) => s + f.rmse, 0) / 5;
    expect(r.mean_rmse).toBeCloseTo(mean, 10);
    expect(r.std_rmse).toBeGreaterThan(0);
  });

  it('ranks grid combinations best first', async () => {
    const r = await json<{ rows: { params: Record<string, number>; mean_rmse: number }[] }>([
      'grid', '--data', 'synthetic', '--model', 'mf', '--folds', 'u1,u2', '--grid', 'factors=4,16;epochs=1,8',
    ]);
    expect(r.rows).toHaveLength(4);
    for (let i = 1; i < r.rows.length; i++) expect(r.rows[i].mean_rmse).toBeGreaterThanOrEqual(r.rows[i - 1].mean_rmse);
    // One epoch of SGD from a tiny init is far from converged: it must not win.
    expect(r.rows[0].params.epochs).toBe(8);
  });

  it.runIf(HAVE_ML100K)('cross-validates over the given MovieLens folds', async () => {
    const r = await json<Cv>(['cv', '--data', DATA_DIR, '--model', 'item-mean', '--folds', 'u1,u2,u3']);
    expect(r.folds.map((f) => f.split)).toEqual(['u1', 'u2', 'u3']);
    for (const f of r.folds) expect(f.rmse).toBeGreaterThan(0.95);
  });

  it('parses grids and expands combinations', () => {
    expect(parseGrid('factors=32,64;lr=0.01 tower=64/32,32')).toEqual({ factors: [32, 64], lr: [0.01], towerLayers: [[64, 32], [32]] });
    expect(combinations({ a: [1, 2], b: ['x'] })).toEqual([{ a: 1, b: 'x' }, { a: 2, b: 'x' }]);
    expect(() => parseGrid('factors')).toThrow(/expected name=v1,v2/);
  });

  it('names a missing fold', async () => {
    await expect(main(['node', 'wasmrec', 'cv', '--data', 'synthetic', '--folds', 'u9'], memoryIO())).rejects.toThrow(/no fold 'u9'/);
  });
});
