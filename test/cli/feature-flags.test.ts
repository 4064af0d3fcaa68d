// `train --text-encoder` and `--graph-aggregate`: the spec's text features read in order by a
// GRU, its graph features GCN-normalised, without a spec file; the saved model reads them the
// same way in `recommend`; bad values fail clearly.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

const TITLES = JSON.stringify({ user: [{ type: 'categorical', column: 'gender' }], item: [{ type: 'text', column: 'title', buckets: 0, minFrequency: 1 }] });

describe('wasmrec train --text-encoder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmrec-text-encoder-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'titles.json'), TITLES);
  const DATA = ['--data', 'synthetic', '--synthetic-size', '80,60,2000', '--features', join(dir, 'titles.json'), '--model', 'two-tower', '--epochs', '2'];

  it('reads the titles with a GRU (shown in --summary); the saved model recommends with it', async () => {
    const file = join(dir, 'gru.wasmrec');
    const io = memoryIO();
    await main(['node', 'wasmrec', 'train', ...DATA, '--text-encoder', 'title=gru', '--summary', '--save', file, '--json'], io);
    const out = [...io.stderr, ...io.stdout].join('\n');
    expect(out).toMatch(/item\/title\/gru \(GRU\)/);
    const result = JSON.parse(io.stdout.at(-1)!) as { test: { rmse: number } };
    expect(result.test.rmse).toBeGreaterThan(0.3);
    expect(result.test.rmse).toBeLessThan(1.5);
    const rec = memoryIO();
    await main(['node', 'wasmrec', 'recommend', '--model-file', file, '--user', '1', '--k', '5', '--json'], rec);
    const list = JSON.parse(rec.stdout.at(-1)!) as { items: { item: string }[] } | { item: string }[];
    expect(JSON.stringify(list)).toMatch(/"item":"\d+"/);
  });

  it('notes that LinearRS averages a text the flag asks a GRU to read', async () => {
    const io = memoryIO();
    await main(['node', 'wasmrec', 'train', ...DATA.map((a) => (a === 'two-tower' ? 'linear' : a)), '--text-encoder', 'gru', '--json'], io);
    expect(io.stderr.join('\n')).toContain('note: --text-encoder gru is read by the two-tower and mf-features towers; linear pools those features by their mean');
  });

  it('fails on an unknown encoder or a feature that is not text, naming what there is', async () => {
    await expect(main(['node', 'wasmrec', 'train', ...DATA, '--text-encoder', 'lstm'], memoryIO())).rejects.toThrow(/--text-encoder expects mean or gru, or FEATURE=VALUE \(e\.g\. tags=gru\), got 'lstm'/);
    await expect(main(['node', 'wasmrec', 'train', ...DATA, '--text-encoder', 'gender=gru'], memoryIO())).rejects.toThrow(/no text feature 'gender' \(text features: title\)/);
    await expect(main(['node', 'wasmrec', 'train', '--data', 'synthetic', '--synthetic-size', '80,60,2000', '--model', 'two-tower', '--text-encoder', 'gru'], memoryIO())).rejects.toThrow(/the features have no text feature \(text features: none\)/);
  });

  it('--graph-aggregate gcn: the links GCN-normalised (shown in --summary), saved and recommended from', async () => {
    const trust = join(dir, 'trust.txt');
    writeFileSync(trust, Array.from({ length: 80 }, (_, k) => `${k + 1} ${((k + 1) % 80) + 1}`).join('\n'));
    const file = join(dir, 'gcn.wasmrec');
    const io = memoryIO();
    const graph = ['--data', 'synthetic', '--synthetic-size', '80,60,2000', '--model', 'two-tower', '--epochs', '2'];
    await main(['node', 'wasmrec', 'train', ...graph, '--user-graph', trust, '--graph-aggregate', 'gcn', '--summary', '--save', file, '--json'], io);
    expect([...io.stderr, ...io.stdout].join('\n')).toMatch(/user\/neighbours \(NeighbourMean\)\s+GCN-normalised sum/);
    const rec = memoryIO();
    await main(['node', 'wasmrec', 'recommend', '--model-file', file, '--user', '1', '--k', '5', '--json'], rec);
    expect(rec.stdout.at(-1)).toMatch(/"item":"\d+"/);
    await expect(main(['node', 'wasmrec', 'train', ...graph, '--user-graph', trust, '--graph-aggregate', 'sum'], memoryIO())).rejects.toThrow(/--graph-aggregate expects mean or gcn, or FEATURE=VALUE \(e\.g\. neighbours=gcn\), got 'sum'/);
    await expect(main(['node', 'wasmrec', 'train', ...DATA, '--graph-aggregate', 'gcn'], memoryIO())).rejects.toThrow(/the features have no graph feature \(graph features: none\)/);
  });
});
