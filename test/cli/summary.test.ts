// `wasmrec summary` and `wasmrec train --summary`: the table, the diagrams in each format, the
// JSON contract, clear errors; and the README's diagrams (docs/diagrams) are what the CLI
// draws on MovieLens 100K u1 today.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { DATA_DIR, HAVE_ML100K } from '../data/datadir.js';

async function run(args: string[]) {
  const io = memoryIO();
  await main(['node', 'wasmrec', ...args], io);
  return io;
}

describe('wasmrec summary on a saved two-tower', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmrec-summary-'));
  const modelFile = join(dir, 'tt.wasmrec');
  let trainOut: string[];

  beforeAll(async () => {
    const io = await run(['train', '--data', 'synthetic', '--synthetic-size', '100,80,3000', '--model', 'two-tower', '--epochs', '1', '--summary', '--save', modelFile]);
    trainOut = io.stdout.join('\n').split('\n');
  });

  it('train --summary prints the table before the first epoch', () => {
    const table = trainOut.findIndex((l) => l.startsWith('Model: two-tower'));
    const firstEpoch = trainOut.findIndex((l) => l.startsWith('epoch'));
    expect(table).toBeGreaterThanOrEqual(0);
    expect(table).toBeLessThan(firstEpoch);
    expect(trainOut.some((l) => l.startsWith('Total params: '))).toBe(true);
  });

  it('prints the same table for the saved model, and JSON with snake_case keys whose counts add up', async () => {
    const text = (await run(['summary', '--model-file', modelFile])).stdout.join('\n');
    expect(text).toContain('user_tower/dense0 (Dense)');
    expect(text).toContain('head/dense1 (Dense)');
    const json = JSON.parse((await run(['summary', '--model-file', modelFile, '--json'])).stdout[0]);
    expect(json.kind).toBe('two-tower');
    expect(json.total_params).toBe(json.layers.reduce((n: number, l: { params: number }) => n + l.params, 0));
    expect(json.backend_bytes).toBe(4 * json.total_params);
    expect(text).toContain(`Total params: ${json.total_params.toLocaleString('en-US')}`);
  });

  it('--svg writes a standalone SVG; --dot and --mermaid print the graph', async () => {
    const svgFile = join(dir, 'tt.svg');
    await run(['summary', '--model-file', modelFile, '--svg', svgFile]);
    const svg = readFileSync(svgFile, 'utf8');
    expect(svg).toMatch(/^<\?xml[^>]*>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect((await run(['summary', '--model-file', modelFile, '--svg', '-'])).stdout.join('\n')).toBe(svg.trimEnd());
    expect((await run(['summary', '--model-file', modelFile, '--dot'])).stdout[0].split('\n')[0]).toBe('digraph "two-tower" {');
    expect((await run(['summary', '--model-file', modelFile, '--mermaid'])).stdout[0].split('\n')[0]).toBe('flowchart TB');
  });

  it('errors name the file and the cause; one format at a time', async () => {
    await expect(run(['summary', '--model-file', join(dir, 'missing.wasmrec')])).rejects.toThrow(/--model-file .*missing\.wasmrec: no such file/);
    await expect(run(['summary', '--model-file', modelFile, '--svg', join(dir, 'no-folder', 'x.svg')])).rejects.toThrow(/--svg .*x\.svg: cannot write into the folder/);
    await expect(run(['summary', '--model-file', modelFile, '--dot', '--mermaid'])).rejects.toThrow(/choose one of/);
    expect(existsSync(join(dir, 'no-folder'))).toBe(false);
  });
});

describe.runIf(HAVE_ML100K)("the README's diagrams", () => {
  const DIAGRAMS: Record<string, string[]> = {
    'linear.svg': ['--model', 'linear'],
    'two-tower-mlp.svg': ['--model', 'two-tower', '--head', 'mlp'],
    'two-tower-dot.svg': ['--model', 'two-tower', '--head', 'dot'],
  };
  it.each(Object.entries(DIAGRAMS))('docs/diagrams/%s is what the CLI draws on ML-100K u1 (npm run diagrams redraws them)', async (file, flags) => {
    const dir = mkdtempSync(join(tmpdir(), 'wasmrec-diagram-'));
    const modelFile = join(dir, 'm.wasmrec');
    await run(['train', '--data', DATA_DIR, '--split', 'u1', ...flags, '--epochs', '1', '--save', modelFile]);
    const svg = (await run(['summary', '--model-file', modelFile, '--svg', '-'])).stdout.join('\n');
    const committed = readFileSync(resolve(__dirname, '../../docs/diagrams', file), 'utf8');
    expect(svg).toBe(committed.trimEnd());
  });
});
