// Files named on the command line (issue 11): a missing input or an unwritable output fails
// before any training, naming the flag, the path and the cause; --epochs 0 is refused.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { loadCsvDataset } from '../../src/io/node/csv.js';
import { requireFreshDist } from '../fresh-dist.js';

const dir = mkdtempSync(join(tmpdir(), 'wasmrec-files-'));
const ratings = join(dir, 'ratings.csv');
writeFileSync(ratings, 'user,item,rating\n' + Array.from({ length: 400 }, (_, k) => `u${k % 20},i${k % 37},${1 + (k % 5)}`).join('\n') + '\n');
const missing = join(dir, 'nope.csv');

async function train(args: string[]) {
  const io = memoryIO();
  const run = main(['node', 'wasmrec', 'train', '--format', 'csv', '--ratings', ratings, '--split', 'random', ...args], io);
  return { io, run };
}

describe('input files', () => {
  const cases: [string, string[], string][] = [
    ['--ratings', ['--ratings', missing], `--ratings ${missing}: no such file or directory`],
    ['--test-ratings', ['--test-ratings', missing], `--test-ratings ${missing}: no such file or directory`],
    ['--item-features', ['--item-features', missing], `--item-features ${missing}: no such file or directory`],
    ['--features', ['--model', 'linear', '--features', missing], `--features ${missing}: no such file or directory`],
    ['a folder given as --ratings', ['--ratings', dir], `--ratings ${dir}: is a folder, not a file`],
  ];
  it.each(cases)('a missing %s names the flag, the path and the cause', async (_flag, args, message) => {
    const { io, run } = await train(args);
    await expect(run).rejects.toThrow(message);
    expect(io.stdout).toEqual([]);
  });

  it('--data names the cause when the folder is missing or holds no data set', async () => {
    await expect(main(['node', 'wasmrec', 'train', '--data', missing], memoryIO())).rejects.toThrow(`no data set found at ${missing}: no such file or directory`);
    await expect(main(['node', 'wasmrec', 'train', '--data', dir], memoryIO())).rejects.toThrow(/no data set found at .*: no MovieLens files in it/);
    await expect(main(['node', 'wasmrec', 'eda', '--data', ratings], memoryIO())).rejects.toThrow(`no data set found at ${ratings}: not a folder`);
  });

  it('the library loader names the file too', async () => {
    await expect(loadCsvDataset({ ratings: missing })).rejects.toThrow(`cannot read ${missing}: no such file or directory`);
  });

  it('predict and recommend check their files before loading anything', async () => {
    const io = memoryIO();
    await expect(main(['node', 'wasmrec', 'predict', '--model-file', missing, '--pairs', ratings, '--out', join(dir, 'out.csv')], io)).rejects.toThrow(`--model-file ${missing}: no such file or directory`);
    await expect(main(['node', 'wasmrec', 'predict', '--model-file', ratings, '--pairs', ratings, '--out', join(dir, 'no', 'out.csv')], io)).rejects.toThrow(/--out .*out\.csv: cannot write into the folder .*no: no such file or directory/);
    await expect(main(['node', 'wasmrec', 'recommend', '--model-file', missing, '--user', '1'], io)).rejects.toThrow(`--model-file ${missing}: no such file or directory`);
  });
});

describe('--save', () => {
  it('into a missing folder fails before training, naming the path given', async () => {
    const target = join(dir, 'no-such-folder', 'model.wasmrec');
    const { io, run } = await train(['--save', target, '--epochs', '50']);
    await expect(run).rejects.toThrow(`--save ${target}: cannot write into the folder ${join(dir, 'no-such-folder')}: no such file or directory`);
    // Nothing was trained or printed, and no temporary file was left anywhere.
    expect(io.stdout).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('onto a folder fails before training', async () => {
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    const { run } = await train(['--save', folder]);
    await expect(run).rejects.toThrow(`--save ${folder}: is a folder, not a file`);
  });

  it('into a writable folder still saves', async () => {
    const target = join(dir, 'model.wasmrec');
    const { run } = await train(['--save', target, '--epochs', '1', '--json']);
    await run;
    expect(existsSync(target)).toBe(true);
  });
});

const BIN = fileURLToPath(new URL('../../bin/wasmrec.js', import.meta.url));

describe('the installed CLI', () => {
  beforeAll(requireFreshDist);

  it('refuses --epochs 0', async () => {
    const run = promisify(execFile)(process.execPath, [BIN, 'train', '--data', 'synthetic', '--epochs', '0']);
    await expect(run).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/--epochs <n>' argument '0' is invalid\. expected an integer ≥ 1/) });
  });
});
