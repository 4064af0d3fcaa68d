// `wasmrec score`: streamed top-k lists over a generated catalogue of 100k items; shards
// concatenate to the whole run's lists, block sizes do not change them, lists match
// `recommend`, and bad input fails naming the file and line.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { saveModel } from '../../src/io/node/model-file.js';
import { buildModel } from '../../src/models/factory.js';
import type { Recommender } from '../../src/models/recommender.js';

const dir = mkdtempSync(join(tmpdir(), 'wasmrec-score-'));
const file = join(dir, 'mf.wasmrec');
const N_USERS = 2000;
const N_ITEMS = 100_000;
let model: Recommender;
let userIds: string[];

async function score(args: string[]) {
  const io = memoryIO();
  await main(['node', 'wasmrec', 'score', '--model-file', file, ...args], io);
  return io;
}

const usersFile = (name: string, ids: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, `user,segment\n${ids.map((id) => `${id},x`).join('\n')}\n`);
  return path;
};

beforeAll(async () => {
  const dataset = generateSynthetic({ nUsers: N_USERS, nItems: N_ITEMS, nRatings: 300_000, seed: 11 });
  const train = dataset.folds!.u1.train;
  ({ model } = buildModel('mf', await createBackend('wasm'), dataset, train, { factors: 16 }));
  await model.fit(train, { epochs: 2 });
  await saveModel(file, model);
  userIds = dataset.userIndex.ids.slice(0, N_USERS);
}, 120_000);

describe('wasmrec score over 100k items', () => {
  it('shards concatenate to the whole run; the block size changes nothing; lists are those of recommend', async () => {
    const all = [...userIds, 'nobody'];
    await score(['--users-from', usersFile('all.csv', all), '--k', '5', '--exclude-seen', '--min-support', '0', '--out', join(dir, 'all.csv.out')]);
    const whole = readFileSync(join(dir, 'all.csv.out'), 'utf8');
    const lines = whole.trimEnd().split('\n');
    expect(lines[0]).toBe('user,rank,item,score');
    expect(lines).toHaveLength(1 + all.length * 5);
    const shards: string[] = [];
    for (let s = 0; s < 4; s++) {
      const ids = all.slice(Math.floor((s * all.length) / 4), Math.floor(((s + 1) * all.length) / 4));
      const io = await score(['--users-from', usersFile(`shard${s}.csv`, ids), '--k', '5', '--exclude-seen', '--min-support', '0', '--block', String(7 + s * 100)]);
      shards.push(...io.stdout.join('\n').split('\n').slice(1));
      expect(io.stderr.at(-1)).toMatch(new RegExp(`${ids.length} users \\(${s === 3 ? 1 : 0} unknown to the model\\) × top 5 of 100000 items`));
    }
    // Users, ranks and items are the same; a score may differ in the last digit with its row's place in the GEMM.
    const fields = (l: string) => l.split(',');
    expect(shards.map((l) => fields(l).slice(0, 3))).toEqual(lines.slice(1).map((l) => fields(l).slice(0, 3)));
    shards.forEach((l, k) => expect(Number(fields(l)[3])).toBeCloseTo(Number(fields(lines[k + 1])[3]), 5));
    for (const u of [0, 17, 999, 1999]) {
      const rec = model.recommendIndices(u, 5, { minSupport: 0 });
      const rows = lines.slice(1 + u * 5, 6 + u * 5).map((l) => l.split(','));
      expect(rows.map((r) => r[0])).toEqual(new Array(5).fill(userIds[u]));
      expect(rows.map((r) => r[1])).toEqual(['1', '2', '3', '4', '5']);
      expect(rows.map((r) => r[2])).toEqual(Array.from(rec.indices, (i) => model.indexes.itemIndex.ids[i]));
      rows.forEach((r, j) => expect(Number(r[3])).toBeCloseTo(rec.scores[j], 4));
    }
  }, 120_000);

  it('--quantize int8: the same users and ranks, lists that overlap the f32 ones, scores near theirs', async () => {
    const ids = [...userIds.slice(0, 300), 'nobody'];
    const users = usersFile('q.csv', ids);
    const f32 = await score(['--users-from', users, '--k', '10', '--exclude-seen', '--min-support', '0']);
    const int8 = await score(['--users-from', users, '--k', '10', '--exclude-seen', '--min-support', '0', '--quantize', 'int8', '--block', '64']);
    expect(int8.stderr.at(-1)).toMatch(/301 users \(1 unknown to the model\) × top 10 of 100000 items \(int8\)/);
    const rows = (io: { stdout: string[] }) => io.stdout.join('\n').split('\n').slice(1).map((l) => l.split(','));
    const [a, b] = [rows(f32), rows(int8)];
    expect(b.map((r) => r.slice(0, 2))).toEqual(a.map((r) => r.slice(0, 2)));
    let shared = 0;
    for (let k = 0; k < a.length; k += 10) {
      const listed = new Set(a.slice(k, k + 10).map((r) => r[2]));
      shared += b.slice(k, k + 10).filter((r) => listed.has(r[2])).length;
    }
    console.log(`score --quantize int8 vs f32 over 100k items: top-10 overlap ${(shared / a.length).toFixed(3)}`);
    expect(shared / a.length).toBeGreaterThan(0.8);
    // The first-ranked score of each list: the f32 one to int8 precision.
    for (let k = 0; k < a.length; k += 10) expect(Math.abs(Number(b[k][3]) - Number(a[k][3]))).toBeLessThan(0.05);
  }, 120_000);

  it('without --exclude-seen the training items may be listed; k = 1', async () => {
    const io = await score(['--users-from', usersFile('few.csv', userIds.slice(0, 50)), '--k', '1', '--min-support', '0']);
    expect(io.stdout.join('\n').split('\n')).toHaveLength(51);
    const scores = model.rankingScores(Int32Array.of(0), 0);
    expect(io.stdout.join('\n').split('\n')[1].split(',')[2]).toBe(model.indexes.itemIndex.ids[scores.indexOf(Math.max(...scores))]);
  });

  it('a users file without a user column or with an empty id fails naming the file and line; no partial output', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'id\n1\n');
    await expect(score(['--users-from', bad, '--out', join(dir, 'bad.out')])).rejects.toThrow(/bad\.csv.*line 1.*'user' column/);
    writeFileSync(bad, 'user\n1\n\n""\n');
    await expect(score(['--users-from', bad, '--out', join(dir, 'bad.out')])).rejects.toThrow(/bad\.csv.*line 4.*empty id/);
    expect(() => readFileSync(join(dir, 'bad.out'))).toThrow(/ENOENT/);
    expect(readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
    // Quoted ids may hold the separator; a quote left open is an error naming the line.
    const quoted = join(dir, 'quoted.csv');
    writeFileSync(quoted, `segment,user\n"a,b","${userIds[5]}"\n`);
    expect((await score(['--users-from', quoted, '--k', '1', '--min-support', '0'])).stdout.join('\n').split('\n')[1]).toMatch(new RegExp(`^${userIds[5]},1,`));
    writeFileSync(quoted, 'user\n"open\n');
    await expect(score(['--users-from', quoted])).rejects.toThrow(/quoted\.csv.*line 2/);
  });
});
