// `train --text-encoder`: the spec's text features read in order by a GRU without a spec
// file; the saved model reads them the same way in `recommend`; bad values fail clearly.
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

  it('fails on an unknown encoder or a feature that is not text, naming what there is', async () => {
    await expect(main(['node', 'wasmrec', 'train', ...DATA, '--text-encoder', 'lstm'], memoryIO())).rejects.toThrow(/--text-encoder expects mean or gru, or FEATURE=ENCODER \(e\.g\. tags=gru\), got 'lstm'/);
    await expect(main(['node', 'wasmrec', 'train', ...DATA, '--text-encoder', 'gender=gru'], memoryIO())).rejects.toThrow(/no text feature 'gender' \(text features: title\)/);
    await expect(main(['node', 'wasmrec', 'train', '--data', 'synthetic', '--synthetic-size', '80,60,2000', '--model', 'two-tower', '--text-encoder', 'gru'], memoryIO())).rejects.toThrow(/the features have no text feature \(text features: none\)/);
  });
});
