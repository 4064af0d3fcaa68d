// `wasmrec import spark-als --data`: items Spark never saw get vectors mapped from their
// features. "Spark" is an MF trained on MovieLens 100K u1 whose factor folder leaves out a
// fifth of the items; their mapped vectors are compared with their held-out true factors.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../src/backends/index.js';
import { main } from '../../../src/cli/main.js';
import { memoryIO } from '../../../src/cli/io.js';
import { positivesOf } from '../../../src/data/interactions.js';
import { loadDataset } from '../../../src/io/node/load.js';
import { loadModelFile } from '../../../src/io/node/model-file.js';
import { buildModel } from '../../../src/models/factory.js';
import type { MatrixFactorization } from '../../../src/models/mf.js';
import { Rng } from '../../../src/random.js';
import { DATA_DIR, HAVE_ML100K } from '../../data/datadir.js';
import { writeSparkFolder } from './spark-folder.js';

describe.skipIf(!HAVE_ML100K)('spark-als import with cold start from features', () => {
  it('held-out items get vectors that score like their true factors (Pearson per user), where Spark has none', async () => {
    const dataset = await loadDataset(join(DATA_DIR, 'ml-100k'));
    const { train } = dataset.folds!.u1;
    const { model } = buildModel('mf', await createBackend('wasm'), dataset, train, { factors: 16 });
    model.compile({ loss: 'bpr' });
    await model.fit(positivesOf(train, 4), { epochs: 10 });
    const mf = model as MatrixFactorization;
    const w = mf.weights();
    const K = 16;
    const rng = new Rng(8);
    const cold = new Set(dataset.itemIndex.ids.map((_, i) => i).filter(() => rng.uniform() < 0.2));
    const rowsOf = (table: Float32Array, idx: number[]) => idx.map((r) => Array.from(table.subarray(r * K, (r + 1) * K)));
    const users = dataset.userIndex.ids.map((_, u) => u);
    const warm = dataset.itemIndex.ids.map((_, i) => i).filter((i) => !cold.has(i));
    const dir = writeSparkFolder(join(mkdtempSync(join(tmpdir(), 'wasmrec-cold-')), 'als'), K,
      { ids: users.map((u) => Number(dataset.userIndex.ids[u])), features: rowsOf(w.userFactors, users) },
      { ids: warm.map((i) => Number(dataset.itemIndex.ids[i])), features: rowsOf(w.itemFactors, warm) });
    const io = memoryIO();
    const out = join(dir, '..', 'cold.wasmrec');
    await main(['node', 'wasmrec', 'import', 'spark-als', dir, '--out', out, '--data', join(DATA_DIR, 'ml-100k'), '--json'], io);
    const summary = JSON.parse(io.stdout.at(-1)!);
    expect(summary.cold_start).toMatchObject({ users: 0, items: cold.size, fitted_items: warm.length });
    const { model: imported } = await loadModelFile(out, await createBackend('js'));
    expect(imported.nItems).toBe(dataset.itemIndex.size);
    // Per user, the correlation over the cold items of mapped-vector scores with true-factor scores.
    const coldIds = [...cold].map((i) => dataset.itemIndex.ids[i]);
    let sum = 0;
    for (const u of users) {
      const truth = [...cold].map((i) => dotRow(w.userFactors, u, w.itemFactors, i, K));
      const mapped = imported.predictIds(new Array(coldIds.length).fill(dataset.userIndex.ids[u]), coldIds);
      sum += pearson(truth, Array.from(mapped));
    }
    const meanCorrelation = sum / users.length;
    console.log(`cold start: ${cold.size} held-out items, mean per-user Pearson of scores ${meanCorrelation.toFixed(3)}, item map R² ${summary.cold_start.r2_items}`);
    // Without the map every cold item predicts μ: a correlation of 0 (undefined), and Spark gives NaN.
    expect(meanCorrelation).toBeGreaterThan(0.4);
  }, 120_000);
});

function dotRow(a: Float32Array, r: number, b: Float32Array, s: number, K: number): number {
  let sum = 0;
  for (let c = 0; c < K; c++) sum += a[r * K + c] * b[s * K + c];
  return sum;
}

function pearson(x: number[], y: number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let k = 0; k < x.length; k++) {
    sxy += (x[k] - mx) * (y[k] - my);
    sxx += (x[k] - mx) ** 2;
    syy += (y[k] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}
