import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import type { TrainResult } from '../../src/cli/train-runner.js';
import { toMovieLens100kFiles } from '../../src/data/movielens100k-files.js';
import { generateSynthetic } from '../../src/data/synthetic.js';

async function trainJson(args: string[]): Promise<TrainResult> {
  const io = memoryIO();
  await main(['node', 'wasmrec', 'train', ...args, '--json'], io);
  return JSON.parse(io.stdout[io.stdout.length - 1]) as TrainResult;
}

const ds = generateSynthetic({ nUsers: 80, nItems: 90, nRatings: 3000, seed: 11 });

describe('wasmrec train on data from files', () => {
  it('trains on a folder laid out like MovieLens 100K, with its own u1.base/u1.test as given', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wasmrec-ml-'));
    const files = toMovieLens100kFiles(ds);
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    const lines = (name: string) => files[name].split('\n').filter((l) => l.trim() !== '').length;
    const r = await trainJson(['--data', dir, '--split', 'u1', '--model', 'linear', '--epochs', '2']);
    expect(r.n_train).toBe(lines('u1.base'));
    expect(r.n_test).toBe(lines('u1.test'));
    expect(r.features).toBe('auto');
    expect(Number.isFinite(r.test.rmse)).toBe(true);
  });

  it('trains on CSV files with a separate test file, feature tables and renamed columns', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wasmrec-csv-'));
    const rows = (data: typeof ds.ratings) =>
      Array.from({ length: data.length }, (_, r) => `${ds.userIndex.ids[data.users[r]]},${ds.itemIndex.ids[data.items[r]]},${data.ratings[r]}`);
    const { train, test } = ds.folds!.u1;
    await writeFile(join(dir, 'train.csv'), ['uid,iid,stars', ...rows(train)].join('\n'));
    await writeFile(join(dir, 'test.csv'), ['uid,iid,stars', ...rows(test)].join('\n'));
    const users = ds.users!;
    const age = users.columns.age;
    const gender = users.columns.gender;
    await writeFile(
      join(dir, 'users.csv'),
      ['user,age,gender', ...users.ids.map((id, r) => `${id},${age.kind === 'number' ? age.values[r] : ''},${gender.kind === 'string' ? gender.values[r] : ''}`)].join('\n'),
    );
    const r = await trainJson([
      '--format', 'csv', '--ratings', join(dir, 'train.csv'), '--test-ratings', join(dir, 'test.csv'),
      '--user-features', join(dir, 'users.csv'), '--columns', 'user=uid,item=iid,rating=stars',
      '--model', 'two-tower', '--epochs', '2',
    ]);
    expect(r.split).toBe('given');
    expect(r.n_train).toBe(train.length);
    expect(r.n_test).toBe(test.length);
    expect(Number.isFinite(r.test.rmse)).toBe(true);
  });

  it('uses a cold-users split and a feature spec file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wasmrec-spec-'));
    const spec = join(dir, 'spec.json');
    await writeFile(spec, JSON.stringify({ user: [{ type: 'categorical', column: 'gender' }], item: [{ type: 'multi', column: 'genres' }] }));
    const r = await trainJson(['--data', 'synthetic', '--split', 'cold-users', '--test-fraction', '0.25', '--features', spec, '--model', 'linear', '--epochs', '2']);
    expect(r.split).toMatch(/cold-users/);
    expect(r.features).toBe(spec);
    expect(r.n_test).toBeGreaterThan(0);
  });

  it('fails with a clear message for missing or bad data options', async () => {
    await expect(main(['node', 'wasmrec', 'train', '--format', 'csv'], memoryIO())).rejects.toThrow(/--format csv needs --ratings/);
    await expect(main(['node', 'wasmrec', 'train', '--data', '/no/such/dir'], memoryIO())).rejects.toThrow(/no data set found at \/no\/such\/dir/);
    await expect(main(['node', 'wasmrec', 'train', '--data', 'synthetic', '--split', 'sideways'], memoryIO())).rejects.toThrow(/unknown split 'sideways'/);
  });

  it('trains the social SVD++ on space-separated ratings and a trust graph as FilmTrust ships them; the graph changes the model', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wasmrec-social-'));
    const r = ds.ratings;
    await writeFile(join(dir, 'ratings.txt'), Array.from({ length: r.length }, (_, x) => `${ds.userIndex.ids[r.users[x]]} ${ds.itemIndex.ids[r.items[x]]} ${r.ratings[x]}`).join('\n'));
    const links = Array.from({ length: 200 }, (_, e) => `${ds.userIndex.ids[e % 80]} ${ds.userIndex.ids[(e * 7 + 3) % 80]} 1`);
    await writeFile(join(dir, 'trust.txt'), [...links, 'nobody u1 1'].join('\n'));
    const common = ['--format', 'csv', '--ratings', join(dir, 'ratings.txt'), '--split', 'kfold', '--model', 'svdpp', '--epochs', '5', '--factors', '8'];
    const plain = await trainJson(common);
    const social = await trainJson([...common, '--user-graph', join(dir, 'trust.txt')]);
    expect(plain.n_train + plain.n_test).toBe(r.length);
    expect(social.model).toBe('svdpp');
    expect(social.test.rmse).not.toBe(plain.test.rmse);
    await expect(trainJson([...common, '--user-graph', join(dir, 'missing.txt')])).rejects.toThrow(/--user-graph .*missing\.txt/);
  });

  it('starts a text feature from word vectors (--word-vectors), frozen on request, and refuses what does not fit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wasmrec-words-'));
    const r = ds.ratings;
    await writeFile(join(dir, 'ratings.csv'), ['user,item,rating', ...Array.from({ length: r.length }, (_, x) => `${ds.userIndex.ids[r.users[x]]},${ds.itemIndex.ids[r.items[x]]},${r.ratings[x]}`)].join('\n'));
    const words = ['space', 'war', 'love', 'story'];
    await writeFile(join(dir, 'items.csv'), ['item,blurb', ...ds.itemIndex.ids.map((id, k) => `${id},${words[k % 4]} ${words[(k + 1) % 4]}`)].join('\n'));
    await writeFile(join(dir, 'words.csv'), words.map((w, k) => `${w},${k},${-k},0.5`).join('\n'));
    await writeFile(join(dir, 'spec.json'), JSON.stringify({ user: [], item: [{ type: 'text', column: 'blurb', buckets: 64 }] }));
    const common = ['--format', 'csv', '--ratings', join(dir, 'ratings.csv'), '--item-features', join(dir, 'items.csv'), '--features', join(dir, 'spec.json'), '--epochs', '1'];
    const io = memoryIO();
    await main(['node', 'wasmrec', 'train', ...common, '--model', 'two-tower', '--word-vectors', `blurb=${join(dir, 'words.csv')}`, '--freeze-word-vectors', '--json'], io);
    expect(io.stderr.join('\n')).toMatch(/word vectors: 4 words of width 3 from .*words\.csv start \d+\.\d % of item feature blurb's rows \(frozen\)/);
    expect(Number.isFinite((JSON.parse(io.stdout.at(-1)!) as TrainResult).test.rmse)).toBe(true);
    await expect(trainJson([...common, '--model', 'linear', '--word-vectors', `blurb=${join(dir, 'words.csv')}`])).rejects.toThrow(/--word-vectors does not apply to --model linear/);
    await expect(trainJson([...common, '--model', 'two-tower', '--word-vectors', join(dir, 'words.csv')])).rejects.toThrow(/expects FEATURE=FILE/);
    await expect(trainJson([...common, '--model', 'two-tower', '--word-vectors', `title=${join(dir, 'words.csv')}`])).rejects.toThrow(/no text feature 'title'/);
  });
});
