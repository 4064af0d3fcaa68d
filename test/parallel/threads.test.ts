// Threads: the pool runs kernels and tasks on shared memory, and MF's fused SGD on 2 threads
// (DSGD over user × item blocks) reaches the accuracy of 1 thread, deterministically.
// Node cannot start a TypeScript worker: the worker is bundled from src/ before the tests
// (./worker-bundle.ts), so they always run the code under test, built or not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { MatrixFactorization } from '../../src/models/mf.js';
import { TwoTower } from '../../src/models/two-tower.js';
import { threadsSupported } from '../../src/parallel/pool.js';
import { balancedCuts, Strata } from '../../src/models/mf-dsgd.js';
import { Rng } from '../../src/random.js';
import { HAVE_ML100K, movielens, synthetic, type Fixture } from '../models/fixtures.js';
import { bundleWorker } from './worker-bundle.js';

let worker: Awaited<ReturnType<typeof bundleWorker>> | null = null;
/** The bundled worker's URL (set in beforeAll). */
let workerUrl: URL;

/** The two-tower on `threads`, counting the batches handed to replicas (pool.runAlongside). */
async function trainTwoTower(fx: Fixture, threads: number, batchSize: number, loss: 'mse' | 'bce' | 'bpr' | 'softmax' = 'mse', idDropout?: number) {
  const be = await createBackend('wasm', { threads, workerUrl });
  try {
    let parallelBatches = 0;
    if (be.pool) {
      const run = be.pool.runAlongside.bind(be.pool);
      be.pool.runAlongside = (...args) => {
        parallelBatches++;
        return run(...args);
      };
    }
    // Implicit losses add a sampled negative per positive: twice the rows per batch.
    const model = new TwoTower(be, fx.dataset, fx.features, { maxBatch: loss === 'mse' ? batchSize : 2 * batchSize, head: loss === 'softmax' ? 'dot' : 'mlp', idDropout }).compile({ optimizer: { name: 'adam', lr: 0.003 }, loss });
    const history = await model.fit(fx.split.train, { epochs: 4, batchSize, seed: 42 });
    return { rmse: model.evaluate(fx.split.test).rmse, loss: history.epochs.map((e) => e.loss), parallelBatches, weights: model.exportState().tensors };
  } finally {
    be.dispose();
  }
}

async function trainMf(fx: Fixture, threads: number, epochs: number) {
  const be = await createBackend('wasm', { threads, workerUrl });
  try {
    expect(be.threads).toBe(threads);
    const model = new MatrixFactorization(be, fx.dataset, { factors: 32 }).compile({ optimizer: { name: 'sgd', lr: 0.01 } });
    const history = await model.fit(fx.split.train, { epochs, batchSize: 1, seed: 42 });
    return { rmse: model.evaluate(fx.split.test).rmse, weights: model.weights(), loss: history.epochs.at(-1)!.loss };
  } finally {
    be.dispose();
  }
}

// Only a runtime without shared memory (SharedArrayBuffer, Atomics, shared WebAssembly
// memory) skips: Node ≥ 20 has it, so CI always runs these.
describe.skipIf(!threadsSupported())('threads (shared memory, worker pool)', () => {
  beforeAll(async () => {
    worker = await bundleWorker();
    workerUrl = worker.url;
  });
  afterAll(() => worker?.dispose());

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

  it('lays an epoch out in user × item blocks, each thread shuffling its own', async () => {
    const be = await createBackend('wasm', { threads: 2, workerUrl });
    try {
      const rng = new Rng(5);
      const n = 5000;
      const users = Int32Array.from({ length: n }, () => Math.floor(rng.uniform() ** 2 * 300));
      const items = Int32Array.from({ length: n }, () => rng.int(200));
      const ratings = Float32Array.from({ length: n }, (_, r) => r);
      let strata = Strata.build(be, 2, users, items, 300, 200);
      const src = [be.allocI32(n, users), be.allocI32(n, items), be.allocF32(n, ratings)];
      const out = [be.allocI32(n), be.allocI32(n), be.allocF32(n)] as const;
      const userCuts = balancedCuts(users, 300, 2);
      const itemCuts = balancedCuts(items, 200, 2);
      const layout = (seed: Rng | null) => {
        strata.layout(be.pool!, seed, [src[0].ptr, src[1].ptr, src[2].ptr], [out[0].ptr, out[1].ptr, out[2].ptr]);
        return [be.read(out[0]), be.read(out[1]), be.read(out[2])] as const;
      };
      const [u, i, r] = layout(new Rng(1));
      // Every example once, with its own user and item; blocks hold only their ranges.
      expect(Array.from(r as Float32Array).sort((a, b) => a - b)).toEqual(Array.from(ratings));
      for (let b = 0; b < 4; b++) {
        const [ur, ir] = [b >> 1, b & 1];
        for (let j = strata.starts[b]; j < strata.starts[b + 1]; j++) {
          expect(u[j]).toBe(users[r[j]]);
          expect(i[j]).toBe(items[r[j]]);
          expect(u[j] >= userCuts[ur] && u[j] < userCuts[ur + 1]).toBe(true);
          expect(i[j] >= itemCuts[ir] && i[j] < itemCuts[ir + 1]).toBe(true);
        }
      }
      // Each epoch reshuffles the previous order; from the same start, the same seed gives the same layout.
      expect(Array.from(layout(new Rng(1))[2])).not.toEqual(Array.from(r));
      strata.dispose(be);
      strata = Strata.build(be, 2, users, items, 300, 200);
      expect(Array.from(layout(new Rng(1))[2])).toEqual(Array.from(r));
      // Without a generator (fit's shuffle: false) blocks keep the data order.
      strata.dispose(be);
      strata = Strata.build(be, 2, users, items, 300, 200);
      const plain = layout(null)[2];
      for (let b = 0; b < 4; b++) {
        for (let j = strata.starts[b] + 1; j < strata.starts[b + 1]; j++) expect(plain[j]).toBeGreaterThan(plain[j - 1]);
      }
      // A round gives each thread one block, and no two share a user or item range.
      for (const round of strata.rounds(new Rng(3))) {
        expect(new Set(round.map((b) => b >> 1)).size).toBe(2);
        expect(new Set(round.map((b) => b & 1)).size).toBe(2);
      }
      strata.dispose(be);
    } finally {
      be.dispose();
    }
  });

  it('MF fused SGD on 2 threads is deterministic and close to 1 thread (synthetic data)', async () => {
    const fx = synthetic();
    const one = await trainMf(fx, 1, 15);
    const two = await trainMf(fx, 2, 15);
    const again = await trainMf(fx, 2, 15);
    // Blocks trained at the same time share no rows, so thread timing cannot change the result.
    expect(Array.from(again.weights.userFactors)).toEqual(Array.from(two.weights.userFactors));
    expect(again.rmse).toBe(two.rmse);
    expect(Math.abs(two.rmse - one.rmse)).toBeLessThan(0.01);
    // And it learns: well below predicting the training mean.
    const { ratings } = fx.split.train;
    const mean = ratings.reduce((a, b) => a + b, 0) / ratings.length;
    const test = fx.split.test.ratings;
    const meanRmse = Math.sqrt(test.reduce((a, r) => a + (r - mean) ** 2, 0) / test.length);
    expect(two.rmse).toBeLessThan(meanRmse - 0.05);
  });

  it('two-tower on 2 threads, batches of 1024: data-parallel replicas, deterministic, the accuracy of 1 thread', async () => {
    const fx = synthetic();
    const one = await trainTwoTower(fx, 1, 1024);
    const two = await trainTwoTower(fx, 2, 1024);
    const again = await trainTwoTower(fx, 2, 1024);
    // Every batch went through the replicas (16,000 training rows: 16 batches × 4 epochs).
    expect(two.parallelBatches).toBe(4 * Math.ceil(fx.split.train.length / 1024));
    expect(one.parallelBatches).toBe(0);
    // The same steps as one thread (same shuffles, same id dropout), up to the order of a
    // few float sums in the gradients.
    expect(Math.abs(two.rmse - one.rmse)).toBeLessThan(0.001);
    for (let e = 0; e < 4; e++) expect(Math.abs(two.loss[e] - one.loss[e])).toBeLessThan(1e-4 * one.loss[e]);
    expect(two.loss[3]).toBeLessThan(two.loss[0]);
    // Fixed shares and a fixed summation order: thread timing cannot change the result.
    expect(again.rmse).toBe(two.rmse);
    const names = Object.keys(two.weights).filter((k) => k.startsWith('param'));
    expect(names.length).toBeGreaterThan(5);
    for (const k of names) expect(Array.from(again.weights[k] as Float32Array)).toEqual(Array.from(two.weights[k] as Float32Array));
  });

  it('two-tower keeps small batches and the in-batch softmax on one thread', async () => {
    const fx = synthetic();
    expect((await trainTwoTower(fx, 2, 256)).parallelBatches).toBe(0);
    expect((await trainTwoTower(fx, 2, 1024, 'softmax')).parallelBatches).toBe(0);
  });

  it('two-tower with bpr splits each batch into per-thread pair blocks and trains as on one thread', async () => {
    const fx = synthetic();
    // 600 pairs per batch: 300 per thread, 600 rows each ([positives | negatives]); id
    // dropout draws in the one-thread row order, so the same examples lose their ids.
    const one = await trainTwoTower(fx, 1, 600, 'bpr', 0.2);
    const two = await trainTwoTower(fx, 2, 600, 'bpr', 0.2);
    expect(two.parallelBatches).toBeGreaterThan(0);
    // The same pairs and negatives, in other rows: equal up to the order of float sums.
    for (let e = 0; e < 4; e++) expect(Math.abs(two.loss[e] - one.loss[e])).toBeLessThan(1e-4 * one.loss[e]);
    expect(two.loss[3]).toBeLessThan(two.loss[0]);
  });

  it('two-tower with bce (implicit feedback, sampled negatives) trains data-parallel as on one thread', async () => {
    const fx = synthetic();
    const one = await trainTwoTower(fx, 1, 1024, 'bce');
    const two = await trainTwoTower(fx, 2, 1024, 'bce');
    expect(two.parallelBatches).toBeGreaterThan(0);
    for (let e = 0; e < 4; e++) expect(Math.abs(two.loss[e] - one.loss[e])).toBeLessThan(1e-4 * one.loss[e]);
    expect(two.loss[3]).toBeLessThan(two.loss[0]);
  });

  it.skipIf(!HAVE_ML100K)('two-tower on 2 threads (batches of 1024) is within 0.005 RMSE of 1 thread on u1', async () => {
    const fx = await movielens({ kind: 'u1' });
    const one = await trainTwoTower(fx, 1, 1024);
    const two = await trainTwoTower(fx, 2, 1024);
    expect(two.parallelBatches).toBeGreaterThan(0);
    expect(one.rmse).toBeLessThan(0.97);
    expect(Math.abs(two.rmse - one.rmse)).toBeLessThan(0.005);
  });

  it.skipIf(!HAVE_ML100K)('MF fused SGD on 2 threads is within 0.005 RMSE of 1 thread on u1', async () => {
    const fx = await movielens({ kind: 'u1' });
    const one = await trainMf(fx, 1, 20);
    const two = await trainMf(fx, 2, 20);
    expect(one.rmse).toBeLessThan(0.96);
    expect(Math.abs(two.rmse - one.rmse)).toBeLessThan(0.005);
  });
});

describe('balancedCuts', () => {
  it('cuts ids into contiguous ranges of about equal counts', () => {
    expect(Array.from(balancedCuts(Int32Array.of(0, 0, 0, 1, 2, 3), 4, 2))).toEqual([0, 1, 4]);
    const rng = new Rng(9);
    const ids = Int32Array.from({ length: 10_000 }, () => Math.floor(rng.uniform() ** 2 * 1000));
    const cuts = balancedCuts(ids, 1000, 3);
    expect(cuts[0]).toBe(0);
    expect(cuts[3]).toBe(1000);
    for (let p = 0; p < 3; p++) {
      const inRange = ids.filter((v) => v >= cuts[p] && v < cuts[p + 1]).length;
      expect(Math.abs(inRange - 10_000 / 3)).toBeLessThan(200);
    }
    // More parts than ids: empty ranges, still ordered.
    expect(Array.from(balancedCuts(Int32Array.of(0, 1), 2, 4))).toEqual([0, 0, 1, 1, 2]);
  });
});
