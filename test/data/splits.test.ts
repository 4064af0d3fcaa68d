import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/data/dataset.js';
import { interactions, type Interactions } from '../../src/data/interactions.js';
import { Rng } from '../../src/random.js';
import {
  coldItemSplit, coldUserSplit, kFoldSplit, leaveKOutSplit, makeSplit, randomSplit, splitReport, temporalSplit,
  type SplitWithReport,
} from '../../src/data/splits.js';
import { loadDataset } from '../../src/io/node/load.js';
import { DATA_DIR, HAVE_ML100K } from './datadir.js';

/** 40 users × up to 30 items, random ratings and distinct timestamps. */
function randomRatings(seed = 7): Interactions {
  const rng = new Rng(seed);
  const users: number[] = [];
  const items: number[] = [];
  for (let u = 0; u < 40; u++) {
    for (let i = 0; i < 30; i++) {
      if (rng.uniform() < 0.4) {
        users.push(u);
        items.push(i);
      }
    }
  }
  const n = users.length;
  const ts = rng.permutation(new Int32Array(n));
  return interactions(
    Int32Array.from(users),
    Int32Array.from(items),
    Float32Array.from({ length: n }, () => 1 + rng.int(5)),
    Float64Array.from(ts, (t) => 1e9 + t),
  );
}

/** Each row as a string, to compare multisets of ratings. */
const rows = (d: Interactions) =>
  Array.from({ length: d.length }, (_, r) => `${d.users[r]}|${d.items[r]}|${d.ratings[r]}|${d.timestamps?.[r]}`);

function expectPartition(data: Interactions, split: SplitWithReport) {
  expect([...rows(split.train), ...rows(split.test)].sort()).toEqual(rows(data).sort());
  expect(split.report).toEqual(splitReport(split.train, split.test));
}

describe('splits on generated ratings', () => {
  const data = randomRatings();

  it('random: the requested share, a partition, reproducible from the seed', () => {
    const a = randomSplit(data, { testFraction: 0.25, seed: 1 });
    expect(a.test.length).toBe(Math.round(0.25 * data.length));
    expectPartition(data, a);
    expect(randomSplit(data, { testFraction: 0.25, seed: 1 })).toEqual(a);
    expect(rows(randomSplit(data, { testFraction: 0.25, seed: 2 }).test)).not.toEqual(rows(a.test));
  });

  it('kfold: the k test parts partition the ratings', () => {
    const tests = [0, 1, 2, 3].map((fold) => kFoldSplit(data, { k: 4, fold, seed: 3 }));
    for (const s of tests) {
      expectPartition(data, s);
      expect(Math.abs(s.test.length - data.length / 4)).toBeLessThanOrEqual(1);
    }
    expect(tests.flatMap((s) => rows(s.test)).sort()).toEqual(rows(data).sort());
    expect(() => kFoldSplit(data, { k: 4, fold: 4 })).toThrow(/fold/);
  });

  it('leave-k-out: k test ratings per user, never a test user without training ratings', () => {
    const s = leaveKOutSplit(data, { k: 2, seed: 5 });
    expectPartition(data, s);
    const perUser = new Map<number, number>();
    for (const u of s.test.users) perUser.set(u, (perUser.get(u) ?? 0) + 1);
    expect([...perUser.values()].every((c) => c === 2)).toBe(true);
    expect(s.report.coldUsers).toBe(0);
    expect(rows(leaveKOutSplit(data, { k: 2, seed: 6 }).test)).not.toEqual(rows(s.test));
  });

  it('temporal: every test rating is at least as late as every training rating', () => {
    const s = temporalSplit(data, { testFraction: 0.3 });
    expectPartition(data, s);
    expect(Math.min(...s.test.timestamps!)).toBeGreaterThan(Math.max(...s.train.timestamps!));
    const noTime = interactions(data.users, data.items, data.ratings);
    expect(() => temporalSplit(noTime)).toThrow(/timestamps/);
  });

  it('cold-users: held-out users have no training row, and the report counts them', () => {
    const s = coldUserSplit(data, { testFraction: 0.25, seed: 9 });
    expectPartition(data, s);
    const held = new Set(s.test.users);
    expect(held.size).toBe(10);
    for (let r = 0; r < s.train.length; r++) expect(held.has(s.train.users[r])).toBe(false);
    expect(s.report).toMatchObject({ coldUsers: 10, usersTest: 10, usersTrain: 30, coldUserRatings: s.test.length });
    expect(coldUserSplit(data, { testFraction: 0.25, seed: 9 })).toEqual(s);
    expect([...new Set(coldUserSplit(data, { testFraction: 0.25, seed: 10 }).test.users)].sort()).not.toEqual([...held].sort());
  });

  it('cold-items: held-out items have no training row', () => {
    const s = coldItemSplit(data, { testFraction: 0.2, seed: 9 });
    expectPartition(data, s);
    const held = new Set(s.test.items);
    expect(held.size).toBe(6);
    for (let r = 0; r < s.train.length; r++) expect(held.has(s.train.items[r])).toBe(false);
    expect(s.report.coldItems).toBe(6);
  });

  it('rejects fractions outside (0, 1) and unknown kinds', () => {
    expect(() => randomSplit(data, { testFraction: 1 })).toThrow(/fraction/);
    const ds = { ratings: data, description: 'generated' } as Dataset;
    expect(() => makeSplit(ds, { kind: 'u1' })).toThrow(/no fold "u1"/);
    expect(() => makeSplit(ds, { kind: 'bogus' as never })).toThrow(/unknown kind/);
  });
});

describe.skipIf(!HAVE_ML100K)('splits on MovieLens 100K', () => {
  let ds: Dataset;
  beforeAll(async () => {
    ds = await loadDataset(DATA_DIR);
  });

  it('fold u1 has 80,000 / 20,000 ratings', () => {
    const s = makeSplit(ds, { kind: 'u1' });
    expect(s.report).toMatchObject({ nTrain: 80000, nTest: 20000 });
  });

  it('cold-users 0.2 (seed 42) holds out 20% of the 943 users, none of them in train', () => {
    const s = makeSplit(ds, { kind: 'cold-users', testFraction: 0.2, seed: 42 });
    expect(Math.abs(s.report.coldUsers - 0.2 * 943)).toBeLessThanOrEqual(1);
    expect(s.report.usersTrain + s.report.coldUsers).toBe(943);
    expect(s.report.nTrain + s.report.nTest).toBe(100000);
    const held = new Set(s.test.users);
    for (let r = 0; r < s.train.length; r++) if (held.has(s.train.users[r])) throw new Error(`held-out user in train row ${r}`);
  });

  it('random 0.2 puts 20,000 ratings in test', () => {
    expect(makeSplit(ds, { kind: 'random', testFraction: 0.2, seed: 42 }).report.nTest).toBe(20000);
  });
});
