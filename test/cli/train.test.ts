import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { threadsSupported } from '../../src/parallel/pool.js';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import type { ListTestMetrics, TrainResult as AnyTrainResult } from '../../src/cli/train-runner.js';

/** Rating and implicit runs report list metrics (`--task next-item` has its own). */
type TrainResult = AnyTrainResult & { test: ListTestMetrics };
import { DATA_DIR, HAVE_ML100K } from '../data/datadir.js';
import { requireFreshDist } from '../fresh-dist.js';

const execFileAsync = promisify(execFile);

async function trainJson(args: string[]): Promise<TrainResult> {
  const io = memoryIO();
  await main(['node', 'wasmrec', 'train', ...args, '--json'], io);
  const last = io.stdout[io.stdout.length - 1];
  expect(io.stdout).toHaveLength(1);
  return JSON.parse(last) as TrainResult;
}

describe.runIf(HAVE_ML100K)('wasmrec train on MovieLens 100K u1 with the CLI defaults', () => {
  // MF on u1 is trained once per backend, by whichever test asks first: each test gets
  // what it needs however the tests are filtered or ordered.
  const mfRuns = new Map<'wasm' | 'js', Promise<TrainResult>>();
  const mfOnU1 = (backend: 'wasm' | 'js') => {
    let run = mfRuns.get(backend);
    if (!run) mfRuns.set(backend, (run = trainJson(['--data', DATA_DIR, '--split', 'u1', '--model', 'mf', '--backend', backend])));
    return run;
  };

  it.each(['wasm', 'js'] as const)('mf reaches test RMSE ≤ 0.925 on the %s backend', async (backend) => {
    const r = await mfOnU1(backend);
    expect(r).toMatchObject({ model: 'mf', backend, split: 'u1', n_train: 80000, n_test: 20000 });
    expect(r.epoch_seconds).toHaveLength(r.epochs);
    expect(r.epochs).toBeGreaterThanOrEqual(10);
    expect(r.test.rmse!).toBeLessThanOrEqual(0.925);
    expect(r.test.mae).toBeLessThan(r.test.rmse!);
  });

  it('the best side-feature model (ensemble) reaches test RMSE ≤ 0.915 with its CLI defaults', async () => {
    const r = await trainJson(['--data', DATA_DIR, '--split', 'u1', '--model', 'ensemble']);
    expect(r.features).toBe('auto');
    expect(r.epoch_seconds).toHaveLength(r.epochs);
    expect(r.test.rmse!).toBeLessThanOrEqual(0.915);
  });

  it('gives RMSEs within 0.005 on the two backends for the same seed', async () => {
    const wasm = await mfOnU1('wasm');
    const js = await mfOnU1('js');
    expect(wasm.backend).toBe('wasm');
    expect(js.backend).toBe('js');
    expect(Math.abs(wasm.test.rmse! - js.test.rmse!)).toBeLessThan(0.005);
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

  it('generates data of the size asked with --synthetic-size, and rejects a size that is not three numbers', async () => {
    const r = await trainJson(['--synthetic-size', '200,300,8000', '--epochs', '2', '--factors', '8']);
    expect(r.n_train + r.n_test).toBe(8000);
    expect(r.data).toMatch(/200 users, 300 items, 8000 ratings/);
    const io = memoryIO();
    await expect(main(['node', 'wasmrec', 'train', '--synthetic-size', '200,300', '--json'], io)).rejects.toThrow(/three integers/);
    await expect(main(['node', 'wasmrec', 'train', '--synthetic-size', '200,300,8000', '--data', '/nowhere', '--json'], io)).rejects.toThrow(/does not apply to --data/);
  });

  it('trains mini-batch Adam and reports validation metrics', async () => {
    const r = await trainJson(['--data', 'synthetic', '--epochs', '4', '--optimizer', 'adam', '--lr', '0.01', '--batch', '128', '--validation-split', '0.1']);
    expect(r).toMatchObject({ optimizer: 'adam', lr: 0.01, batch: 128, epochs: 4 });
    expect(r.val!.rmse).toBeGreaterThan(0);
    expect(r.test.rmse!).toBeLessThan(1.2);
  });
});

// Workers run the built script (dist/), so this runs the CLI as installed: bin/wasmrec.js,
// failing when dist/ is older than src/. Only a runtime without shared memory skips.
const BIN = fileURLToPath(new URL('../../bin/wasmrec.js', import.meta.url));

describe.skipIf(!threadsSupported())('wasmrec train --threads (the built CLI)', () => {
  beforeAll(requireFreshDist);

  it('trains MF with fused SGD on 2 threads, reports them, and lands near 1 thread', async () => {
    const run = async (threads: number) => {
      const { stdout } = await execFileAsync(process.execPath, [BIN, 'train', '--data', 'synthetic', '--epochs', '12', '--factors', '16', '--threads', String(threads), '--json']);
      return JSON.parse(stdout.trim().split('\n').at(-1)!) as TrainResult;
    };
    const [one, two] = [await run(1), await run(2)];
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
    expect(two.batch).toBe(1);
    expect(Math.abs(two.test.rmse! - one.test.rmse!)).toBeLessThan(0.01);
    expect(two.loss[two.loss.length - 1]).toBeLessThan(two.loss[0]);
  });

  it('rejects a thread count that is not a positive integer', async () => {
    await expect(execFileAsync(process.execPath, [BIN, 'train', '--data', 'synthetic', '--threads', '0'])).rejects.toMatchObject({ stderr: expect.stringMatching(/--threads/) });
  });
});
