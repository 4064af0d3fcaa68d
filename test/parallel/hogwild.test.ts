// Threads: the pool runs kernels on shared memory, and Hogwild MF on 2 threads reaches the
// accuracy of 1 thread on MovieLens u1. Workers run the built script (dist/), since Node
// cannot start a TypeScript worker: run `npm run build` first (npm install does).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { MatrixFactorization } from '../../src/models/mf.js';
import { threadsSupported } from '../../src/parallel/pool.js';
import { partitionByOwner } from '../../src/parallel/hogwild.js';
import { HAVE_ML100K, movielens } from '../models/fixtures.js';

const workerUrl = new URL('../../dist/parallel/worker.js', import.meta.url);
const sharedWasm = new URL('../../build/wasmrec.shared.wasm', import.meta.url);
const BUILT = existsSync(fileURLToPath(workerUrl)) && existsSync(fileURLToPath(sharedWasm));

describe.skipIf(!BUILT || !threadsSupported())('threads (shared memory, worker pool)', () => {
  it('runs one kernel call per thread on shared memory', async () => {
    const be = await createBackend('wasm', { threads: 2, workerUrl });
    try {
      expect(be.threads).toBe(2);
      expect(be.features).toBe('simd-shared');
      const n = 1001;
      const x = be.allocF32(2 * n, Array.from({ length: 2 * n }, (_, i) => i - n));
      const y = be.allocF32(2 * n);
      be.pool!.run('relu', [{ args: [y.ptr, x.ptr, n] }, { args: [y.ptr + 4 * n, x.ptr + 4 * n, n] }]);
      const v = be.read(y);
      expect(v[0]).toBe(0);
      expect(v[2 * n - 1]).toBe(n - 1);
      // mse returns a sum: the pool adds the threads' results.
      const t = be.allocF32(2 * n);
      const g = be.allocF32(2 * n);
      const sse = be.pool!.run('mse', [{ args: [g.ptr, t.ptr, x.ptr, n, 1] }, { args: [g.ptr + 4 * n, t.ptr + 4 * n, x.ptr + 4 * n, n, 1] }]);
      expect(sse).toBeCloseTo(Array.from({ length: 2 * n }, (_, i) => (i - n) ** 2).reduce((a, b) => a + b, 0), 0);
    } finally {
      be.dispose();
    }
  });

  it('falls back to one thread where asked for one', async () => {
    const be = await createBackend('wasm', { threads: 1 });
    expect(be.threads).toBe(1);
    expect(be.pool).toBeNull();
  });

  it.skipIf(!HAVE_ML100K)('Hogwild MF (fused SGD) on 2 threads is within 0.005 RMSE of 1 thread on u1', async () => {
    const fx = await movielens({ kind: 'u1' });
    const rmse: number[] = [];
    for (const threads of [1, 2]) {
      const be = await createBackend('wasm', { threads, workerUrl });
      try {
        const model = new MatrixFactorization(be, fx.dataset, { factors: 32 }).compile({ optimizer: { name: 'sgd', lr: 0.01 } });
        await model.fit(fx.split.train, { epochs: 20, batchSize: 1, seed: 42 });
        rmse.push(model.evaluate(fx.split.test).rmse);
      } finally {
        be.dispose();
      }
    }
    expect(rmse[0]).toBeLessThan(0.96);
    expect(Math.abs(rmse[1] - rmse[0])).toBeLessThan(0.005);
  });
});

describe('partitionByOwner', () => {
  it('groups examples by user mod parts, keeping the shuffled order within each share', () => {
    const owner = Int32Array.of(0, 1, 2, 3, 4, 5, 1, 2);
    const order = Int32Array.of(7, 3, 0, 5, 1, 6, 2, 4);
    const out = new Int32Array(order.length);
    const starts = partitionByOwner(order, owner, 2, out);
    expect(Array.from(starts)).toEqual([0, 4, 8]);
    // Even users (0, 2, 4, 2) in visiting order, then odd ones.
    expect(Array.from(out)).toEqual([7, 0, 2, 4, 3, 5, 1, 6]);
    for (let r = 0; r < 4; r++) expect(owner[out[r]] % 2).toBe(0);
  });
});
