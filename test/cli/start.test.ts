import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

describe('wasmrec start (npm start)', () => {
  it('trains the line-up on generated data, says so, and recommends for known and new users', async () => {
    const io = memoryIO();
    await main(['node', 'wasmrec', 'start', '--data', 'synthetic'], io);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/data: generated MovieLens-like data/);
    const rmse = (label: string) => Number(new RegExp(`trained ${label}.*: test RMSE ([0-9.]+)`).exec(text)![1]);
    // Side information is real in the generated data: the models must beat the baseline.
    expect(rmse('MF')).toBeLessThan(rmse('item mean'));
    expect(rmse('two-tower')).toBeLessThan(rmse('item mean'));
    expect(text.match(/^top 5 for user /gm)).toHaveLength(2);
    expect(text).toMatch(/top 5 for a new user never seen in training \(age 25, gender F, occupation student\)/);
  });
});
