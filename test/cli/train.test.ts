import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import type { TrainResult } from '../../src/cli/train-runner.js';
import { DATA_DIR, HAVE_ML100K } from '../data/datadir.js';

async function trainJson(args: string[]): Promise<TrainResult> {
  const io = memoryIO();
  await main(['node', 'wasmrec', 'train', ...args, '--json'], io);
  const last = io.stdout[io.stdout.length - 1];
  expect(io.stdout).toHaveLength(1);
  return JSON.parse(last) as TrainResult;
}

describe.runIf(HAVE_ML100K)('wasmrec train on MovieLens 100K u1 with the CLI defaults', () => {
  const results: Partial<Record<'wasm' | 'js', TrainResult>> = {};

  it.each(['wasm', 'js'] as const)('mf reaches test RMSE ≤ 0.925 on the %s backend', async (backend) => {
    const r = await trainJson(['--data', DATA_DIR, '--split', 'u1', '--model', 'mf', '--backend', backend]);
    results[backend] = r;
    expect(r).toMatchObject({ model: 'mf', backend, split: 'u1', n_train: 80000, n_test: 20000 });
    expect(r.epoch_seconds).toHaveLength(r.epochs);
    expect(r.epochs).toBeGreaterThanOrEqual(10);
    expect(r.test.rmse).toBeLessThanOrEqual(0.925);
    expect(r.test.mae).toBeLessThan(r.test.rmse);
  });

  it('the best side-feature model (ensemble) reaches test RMSE ≤ 0.915 with its CLI defaults', async () => {
    const r = await trainJson(['--data', DATA_DIR, '--split', 'u1', '--model', 'ensemble']);
    expect(r.features).toBe('auto');
    expect(r.epoch_seconds).toHaveLength(r.epochs);
    expect(r.test.rmse).toBeLessThanOrEqual(0.915);
  });

  it('gives RMSEs within 0.005 on the two backends for the same seed', () => {
    expect(results.wasm && results.js).toBeTruthy();
    expect(Math.abs(results.wasm!.test.rmse - results.js!.test.rmse)).toBeLessThan(0.005);
  });
});

describe('wasmrec train on generated data', () => {
  it('prints progress and a table without --json', async () => {
    const io = memoryIO();
    await main(['node', 'wasmrec', 'train', '--data', 'synthetic', '--epochs', '3', '--factors', '8'], io);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/generated/);
    expect(text.match(/^epoch +\d/gm)).toHaveLength(3);
    expect(text).toMatch(/test RMSE/);
  });

  it('trains mini-batch Adam and reports validation metrics', async () => {
    const r = await trainJson(['--data', 'synthetic', '--epochs', '4', '--optimizer', 'adam', '--lr', '0.01', '--batch', '128', '--validation-split', '0.1']);
    expect(r).toMatchObject({ optimizer: 'adam', lr: 0.01, batch: 128, epochs: 4 });
    expect(r.val!.rmse).toBeGreaterThan(0);
    expect(r.test.rmse).toBeLessThan(1.2);
  });
});
