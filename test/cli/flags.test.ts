// The installed CLI's answers to misuse: a flag error is one line and where to look, not the
// whole help; `predict --out -` writes the scores to stdout.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireFreshDist } from '../fresh-dist.js';

const BIN = fileURLToPath(new URL('../../bin/wasmrec.js', import.meta.url));
const run = (args: string[]) =>
  promisify(execFile)(process.execPath, [BIN, ...args], { encoding: 'utf8' }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('flag errors', () => {
  beforeAll(() => requireFreshDist());

  it.each([
    [['train', '--epochs', 'x'], /^error: option '--epochs <n>' argument 'x' is invalid\. expected an integer ≥ 1, got 'x'\nsee wasmrec train --help\n$/],
    // A name far from every flag: commander adds "(Did you mean …?)" for near ones (--bogus → --blocks).
    [['train', '--qwxyz'], /^error: unknown option '--qwxyz'\nsee wasmrec train --help\n$/],
    [['recommend', '--k', '3'], /^error: required option '--model-file <file>' not specified\nsee wasmrec recommend --help\n$/],
    [['nope'], /^error: unknown command 'nope'\nsee wasmrec --help\n$/],
    [['train', '--fusion', 'borda'], /^error: option '--fusion <how>' argument 'borda' is invalid\. expected one of adaptive, reciprocal-rank, standardised-mean, got 'borda'\nsee wasmrec train --help\n$/],
  ])('wasmrec %j: the error and a pointer to the help, exit code 1', async (args, expected) => {
    const r = await run(args);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(expected);
  });
});

describe('predict --out -', () => {
  beforeAll(() => requireFreshDist());

  it('writes user,item,score to stdout and the note to stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasmrec-out-'));
    const model = join(dir, 'm.wasmrec');
    expect((await run(['train', '--data', 'synthetic', '--synthetic-size', '60,50,1500', '--epochs', '1', '--save', model])).code).toBe(0);
    const pairs = join(dir, 'pairs.csv');
    writeFileSync(pairs, 'user,item\n1,1\n2,3\nstranger,1\n');
    const r = await run(['predict', '--model-file', model, '--pairs', pairs, '--out', '-']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('user,item,score');
    expect(lines).toHaveLength(4);
    for (const l of lines.slice(1)) expect(Number(l.split(',')[2])).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/wrote 3 scores to stdout/);
  });
});
