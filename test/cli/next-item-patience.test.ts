// `train --task next-item --patience N`: early stopping watches the last-item split's
// validation event per user (the one before the test event), ranked like the test.
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import type { TrainResult } from '../../src/cli/train-runner.js';

async function train(args: string[]): Promise<TrainResult> {
  const io = memoryIO();
  await main(['node', 'wasmrec', 'train', '--task', 'next-item', '--data', 'synthetic', '--synthetic-size', '200,150,6000', '--json', ...args], io);
  return JSON.parse(io.stdout.at(-1)!) as TrainResult;
}

describe('train --task next-item --patience', () => {
  it('stops on the validation events (one per user: recall@10 is the hit rate) and reports them', async () => {
    const r = await train(['--model', 'youtube', '--epochs', '12', '--patience', '2']);
    // Measured: stops after 4 of 12 epochs, validation HR@10 0.39 over the 200 users.
    expect(r.epoch_seconds.length).toBeLessThan(12);
    expect(r.val).toBeDefined();
    expect(r.val!.hr_at_10).toBeGreaterThan(0.2);
    // One relevant event per user: recall@10 and the hit rate are the same number.
    expect(r.val!.r_at_10).toBeCloseTo(r.val!.hr_at_10, 10);
    const plain = await train(['--model', 'youtube', '--epochs', '2']);
    expect(plain.val).toBeUndefined();
    expect(plain.epoch_seconds).toHaveLength(2);
  }, 60_000);
});
