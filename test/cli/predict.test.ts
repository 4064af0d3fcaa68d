// `wasmrec train --save`, `wasmrec predict` and `wasmrec recommend` on MovieLens 100K u1:
// the contracts scripts rely on, cold-start ids, and errors that name file, line and field.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import type { RecommendResult } from '../../src/cli/recommend-runner.js';
import type { TrainResult } from '../../src/cli/train-runner.js';
import { loadDataset } from '../../src/io/node/load.js';
import { loadModel } from '../../src/io/node/model-file.js';
import { DATA_DIR, HAVE_ML100K, ML100K_DIR } from '../data/datadir.js';

async function run(args: string[]) {
  const io = memoryIO();
  await main(['node', 'wasmrec', ...args], io);
  return io;
}

describe.runIf(HAVE_ML100K)('predict and recommend with a two-tower model saved from ML-100K u1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmrec-cli-'));
  const modelFile = join(dir, 'two-tower.wasmrec');
  let trained: TrainResult;

  beforeAll(async () => {
    const io = await run(['train', '--data', DATA_DIR, '--split', 'u1', '--model', 'two-tower', '--epochs', '2', '--save', modelFile, '--json']);
    trained = JSON.parse(io.stdout[io.stdout.length - 1]) as TrainResult;
  });

  it('train --save writes the file and says so in the JSON', () => {
    expect(trained.saved).toBe(modelFile);
    expect(existsSync(modelFile)).toBe(true);
    expect(readdirSync(dir)).toEqual(['two-tower.wasmrec']);
  });

  it('predict scores known pairs as predictIds does, and unseen or unknown ids with finite scores', async () => {
    const test = (await loadDataset(ML100K_DIR)).folds!.u1.test;
    const ds = await loadDataset(ML100K_DIR);
    const known = Array.from({ length: 40 }, (_, r) => [ds.userIndex.ids[test.users[r]], ds.itemIndex.ids[test.items[r]]]);
    const pairs = [...known, ['newbie', '50'], ['newbie', 'no-such-movie'], ['ghost', '50'], ['1', 'no-such-movie'], ['retiree', '50']];
    const pairsFile = join(dir, 'pairs.csv');
    writeFileSync(pairsFile, `user,item\n${pairs.map((p) => p.join(',')).join('\n')}\n`);
    const usersFile = join(dir, 'new-users.csv');
    writeFileSync(usersFile, 'user,age,gender,occupation,zip\nnewbie,19,F,student,02139\nretiree,71,M,retired,55105\n');
    const out = join(dir, 'scores.csv');
    await run(['predict', '--model-file', modelFile, '--pairs', pairsFile, '--out', out, '--user-features-file', usersFile]);

    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('user,item,score');
    expect(lines).toHaveLength(pairs.length + 1);
    const rows = lines.slice(1).map((l) => l.split(','));
    rows.forEach((r, k) => expect([r[0], r[1]]).toEqual(pairs[k]));
    const scores = rows.map((r) => Number(r[2]));
    for (const s of scores) expect(Number.isFinite(s)).toBe(true);

    const model = await loadModel(modelFile, await createBackend('wasm'));
    const expected = model.predictIds(known.map((p) => p[0]), known.map((p) => p[1]));
    expect(Float32Array.from(scores.slice(0, known.length))).toEqual(expected);
    // The features of the new users matter: a student and a retiree differ from each other
    // and from a user with no features at all.
    const [newbie50, , ghost50, , retiree50] = scores.slice(known.length);
    expect(newbie50).not.toBe(ghost50);
    expect(newbie50).not.toBe(retiree50);
  });

  it('predict errors name the file, line and field, and leave no output behind', async () => {
    const bad = join(dir, 'bad.csv');
    const out = join(dir, 'never.csv');
    writeFileSync(bad, 'user,movie\n1,50\n');
    await expect(run(['predict', '--model-file', modelFile, '--pairs', bad, '--out', out])).rejects.toThrow(`${bad} line 1, field item: missing column 'item'`);
    writeFileSync(bad, 'user,item\n1,50\n2,\n');
    await expect(run(['predict', '--model-file', modelFile, '--pairs', bad, '--out', out])).rejects.toThrow(`${bad} line 3, field item: empty id`);
    writeFileSync(bad, 'user,item\n1,50\n"2\r2",50\n');
    await expect(run(['predict', '--model-file', modelFile, '--pairs', bad, '--out', out])).rejects.toThrow(`${bad} line 3, field user: "2\\r2" contains a control character (U+000D)`);
    writeFileSync(bad, 'user,item\n1,50\n2,"50\n3,7\n');
    await expect(run(['predict', '--model-file', modelFile, '--pairs', bad, '--out', out])).rejects.toThrow(`${bad} line 3, field 2: unterminated quote`);
    await expect(run(['predict', '--model-file', bad, '--pairs', bad, '--out', out])).rejects.toThrow(`${bad}: not a wasmrec model file`);
    expect(existsSync(out)).toBe(false);
  });

  it('recommend --user excludes the training items and shows titles', async () => {
    const io = await run(['recommend', '--model-file', modelFile, '--user', '1', '--k', '20', '--json']);
    expect(io.stdout).toHaveLength(1);
    const r = JSON.parse(io.stdout[0]) as RecommendResult;
    expect(r).toMatchObject({ model: 'two-tower', user: '1', basis: 'known user', k: 20 });
    expect(r.items).toHaveLength(20);
    const ds = await loadDataset(ML100K_DIR);
    const train = ds.folds!.u1.train;
    const seen = new Set<string>();
    for (let i = 0; i < train.length; i++) if (ds.userIndex.ids[train.users[i]] === '1') seen.add(ds.itemIndex.ids[train.items[i]]);
    expect(seen.size).toBeGreaterThan(100);
    for (const it of r.items) expect(seen.has(it.item)).toBe(false);
    expect(r.items[0].title).toBeTruthy();

    const table = await run(['recommend', '--model-file', modelFile, '--user', '1', '--k', '3']);
    expect(table.stdout.join('\n')).toMatch(/^rank +item +title +score/);
  });

  it('recommend --user-features gives a new user k distinct items', async () => {
    const io = await run(['recommend', '--model-file', modelFile, '--user-features', 'age=25,gender=F,occupation=student', '--k', '10', '--json']);
    const r = JSON.parse(io.stdout[0]) as RecommendResult;
    expect(r.basis).toBe('features');
    expect(r.user_features).toEqual({ age: 25, gender: 'F', occupation: 'student' });
    expect(new Set(r.items.map((i) => i.item)).size).toBe(10);
    await expect(run(['recommend', '--model-file', modelFile, '--user-features', 'agee=25'])).rejects.toThrow(/unknown feature 'agee'/);
    await expect(run(['recommend', '--model-file', modelFile])).rejects.toThrow(/exactly one of --user/);
  });
});
