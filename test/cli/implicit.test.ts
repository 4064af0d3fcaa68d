// `wasmrec train --implicit`: positives from ratings ≥ threshold, ranking metrics in `test`.
import { describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import type { RankingTestMetrics } from '../../src/cli/implicit.js';
import type { TrainResult } from '../../src/cli/train-runner.js';

type ImplicitTrainResult = TrainResult & { implicit: NonNullable<TrainResult['implicit']>; test: RankingTestMetrics };
import { DATA_DIR, HAVE_ML100K } from '../data/datadir.js';

async function trainJson(args: string[]): Promise<ImplicitTrainResult> {
  const io = memoryIO();
  await main(['node', 'wasmrec', 'train', '--implicit', ...args, '--json'], io);
  expect(io.stdout).toHaveLength(1);
  return JSON.parse(io.stdout[0]) as ImplicitTrainResult;
}

const METRICS = ['p_at_10', 'r_at_10', 'ndcg_at_10', 'hr_at_10', 'map_at_10', 'auc'] as const;

describe.runIf(HAVE_ML100K)('wasmrec train --implicit on MovieLens 100K u1', () => {
  let popularityRun: Promise<ImplicitTrainResult> | null = null;
  /** Popularity's metrics, trained once by whichever test asks first (each test runs alone too). */
  const popularityResult = () => (popularityRun ??= trainJson(['--data', DATA_DIR, '--model', 'popularity']));

  it('popularity: ranking metrics of the most-liked items', async () => {
    const popularity = await popularityResult();
    expect(popularity.implicit).toMatchObject({ threshold: 4, n_positives: 44140 });
    for (const k of METRICS) expect(popularity.test[k]).toBeGreaterThan(0);
    expect(popularity.test.users).toBe(456); // u1.test users with a rating ≥ 4
    expect(popularity.test).not.toHaveProperty('rmse');
  });

  it('mf with its implicit default (the full softmax) beats popularity on every metric and reaches P@10 ≥ 0.36', async () => {
    const r = await trainJson(['--data', DATA_DIR, '--model', 'mf']);
    const popularity = await popularityResult();
    expect(r.implicit).toMatchObject({ loss: 'softmax', negatives: 0 });
    expect(r).toMatchObject({ optimizer: 'adam', epochs: 25, batch: 256 });
    // Measured: P@10 0.362 vs 0.205, AUC 0.922 vs 0.873 (LightFM's best on this split: 0.343).
    for (const k of METRICS) expect(r.test[k], k).toBeGreaterThan(popularity.test[k]);
    expect(r.test.p_at_10).toBeGreaterThanOrEqual(0.36);
    expect(r.test.obscure_at_10).toBeLessThanOrEqual(0.1);
  });

  it('a higher threshold leaves fewer positives; --loss and --negatives reach the model', async () => {
    const r = await trainJson(['--data', DATA_DIR, '--model', 'two-tower', '--head', 'dot', '--loss', 'softmax', '--threshold', '5', '--epochs', '1', '--backend', 'js', '--tower', '8', '--embedding-dim', '4']);
    expect(r.implicit.loss).toBe('softmax');
    expect(r.implicit.n_positives).toBeLessThan(44140);
    expect(r.implicit.threshold).toBe(5);
    const b = await trainJson(['--data', DATA_DIR, '--model', 'mf', '--loss', 'bce', '--negatives', '2', '--epochs', '1']);
    expect(b.implicit).toMatchObject({ loss: 'bce', negatives: 2 });
  });
});

describe('wasmrec train --implicit: errors', () => {
  it('rejects rating-only models and a loss the head cannot train', async () => {
    await expect(main(['node', 'wasmrec', 'train', '--implicit', '--data', 'synthetic', '--model', 'item-mean'], memoryIO())).rejects.toThrow(/--implicit supports/);
    await expect(main(['node', 'wasmrec', 'train', '--implicit', '--data', 'synthetic', '--model', 'two-tower', '--loss', 'softmax', '--epochs', '1'], memoryIO())).rejects.toThrow(/unsupported loss 'softmax'/);
  });
});

describe('wasmrec train --model ensemble --implicit --fusion', () => {
  it('saves the fusion it was given (default adaptive); other models take no --fusion', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wasmrec-fusion-'));
    const summaryOf = async (file: string) => {
      const io = memoryIO();
      await main(['node', 'wasmrec', 'summary', '--model-file', file], io);
      return io.stdout.join('\n');
    };
    const common = ['--data', 'synthetic', '--model', 'ensemble', '--split', 'cold-users', '--epochs', '1'];
    const io = memoryIO();
    await main(['node', 'wasmrec', 'train', '--implicit', ...common, '--save', join(dir, 'adaptive.wasmrec')], io);
    expect(io.stdout.join('\n')).toContain('each member with its own optimizer; ranked by the weighted mean of reciprocal ranks (new users) or standardised scores (known users)');
    expect(await summaryOf(join(dir, 'adaptive.wasmrec'))).toContain('Model: ensemble — weighted mean of reciprocal ranks (new users) or standardised scores (known users) of two-tower, mf');
    await trainJson([...common, '--fusion', 'reciprocal-rank', '--save', join(dir, 'rrf.wasmrec')]);
    expect(await summaryOf(join(dir, 'rrf.wasmrec'))).toContain('Model: ensemble — weighted mean of reciprocal ranks, 1 / (60 + rank) of two-tower, mf');
    await trainJson([...common, '--fusion', 'standardised-mean', '--save', join(dir, 'z.wasmrec')]);
    expect(await summaryOf(join(dir, 'z.wasmrec'))).toContain('Model: ensemble — weighted mean of per-user standardised scores of two-tower, mf');
    await expect(main(['node', 'wasmrec', 'train', '--data', 'synthetic', '--model', 'mf', '--fusion', 'reciprocal-rank'], memoryIO())).rejects.toThrow(/--fusion does not apply to --model mf/);
  });
});
