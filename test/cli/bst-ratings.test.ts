// `wasmrec train --model bst` on ratings: the BST network as a rating model (mse), each
// rating predicted from the user's earlier training events plus her fixed offset b_u.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import type { TrainResult } from '../../src/cli/train-runner.js';
import { DATA_DIR, HAVE_ML100K } from '../data/datadir.js';

type RatingResult = TrainResult & { test: { rmse: number; mae: number } };

async function train(args: string[]): Promise<RatingResult> {
  const io = memoryIO();
  await main(['node', 'wasmrec', 'train', ...args, '--json'], io);
  return JSON.parse(io.stdout.at(-1)!) as RatingResult;
}

describe.runIf(HAVE_ML100K)('train --model bst on MovieLens 100K u1 ratings', () => {
  it('predicts ratings well ahead of the item means (its default 4 epochs)', async () => {
    const r = await train(['--data', DATA_DIR, '--model', 'bst']);
    // Measured: RMSE 0.9629, MAE 0.7564 (item-mean 1.0334, user-mean 1.0630, mf 0.9156).
    expect(r).toMatchObject({ model: 'bst', epochs: 4, n_test: 20000 });
    expect(r.test.rmse).toBeLessThan(0.975);
    expect(r.test.mae).toBeLessThan(0.775);
  }, 120_000);
});

describe('a rating bst model file', () => {
  it('saves, loads and predicts the pairs it predicted in training', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wasmrec-bst-r-'));
    const file = join(dir, 'bst.wasmrec');
    const r = await train(['--data', 'synthetic', '--synthetic-size', '80,60,2000', '--model', 'bst', '--factors', '8', '--epochs', '2', '--save', file]);
    const io = memoryIO();
    await main(['node', 'wasmrec', 'evaluate', '--model-file', file, '--data', 'synthetic', '--synthetic-size', '80,60,2000', '--json'], io);
    const again = JSON.parse(io.stdout.at(-1)!) as { test: { rmse: number } };
    expect(again.test.rmse).toBeCloseTo(r.test.rmse, 5);
  }, 60_000);
});
