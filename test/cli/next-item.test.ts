// `wasmrec train --task next-item`: the last-item split, implicit training on the events and
// full-ranking next-item metrics, from the CLI with its defaults.
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import type { TrainResult } from '../../src/cli/train-runner.js';
import type { NextItemMetrics } from '../../src/training/next-item-metrics.js';
import { DATA_DIR, HAVE_ML100K } from '../data/datadir.js';

type NextItemResult = TrainResult & { test: NextItemMetrics; task: 'next-item' };

async function nextItem(args: string[]): Promise<NextItemResult> {
  const io = memoryIO();
  await main(['node', 'wasmrec', 'train', '--task', 'next-item', ...args, '--json'], io);
  return JSON.parse(io.stdout.at(-1)!) as NextItemResult;
}

describe.runIf(HAVE_ML100K)('train --task next-item on MovieLens 100K', () => {
  it('popularity ranks each user\'s last event as measured by hand; MF (BPR) beats it on every metric', async () => {
    const pop = await nextItem(['--data', DATA_DIR, '--model', 'popularity']);
    expect(pop).toMatchObject({ task: 'next-item', split: 'last-item(ratings ≥ 3)', n_test: 943, implicit: { threshold: 3 } });
    expect(pop.test.hr_at_10).toBeCloseTo(0.0838, 3);
    expect(pop.test.ndcg_at_10).toBeCloseTo(0.0452, 3);
    const mf = await nextItem(['--data', DATA_DIR, '--model', 'mf', '--loss', 'bpr']);
    // Measured: HR@10 0.128, NDCG@10 0.060, MRR 0.056.
    for (const k of ['hr_at_10', 'ndcg_at_10'] as const) expect(mf.test[k], k).toBeGreaterThan(pop.test[k] * 1.3);
    expect(mf.test.mrr).toBeGreaterThan(pop.test.mrr * 1.2);
    expect(mf.test.sampled_100.hr_at_10).toBeGreaterThan(mf.test.hr_at_10 * 3);
  }, 60_000);
});
