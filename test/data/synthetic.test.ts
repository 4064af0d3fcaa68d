import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/data/dataset.js';
import { parseMovieLens100k } from '../../src/data/movielens100k.js';
import { toMovieLens100kFiles } from '../../src/data/movielens100k-files.js';
import { generateSynthetic } from '../../src/data/synthetic.js';

const ds = generateSynthetic();

function col(d: Dataset, table: 'users' | 'items', name: string) {
  return d[table]!.columns[name].values;
}

/** RMSE of predicting each test rating by `predict(row)`. */
function rmse(d: Dataset, rows: number[], predict: (r: number) => number): number {
  let s = 0;
  for (const r of rows) s += (d.ratings.ratings[r] - predict(r)) ** 2;
  return Math.sqrt(s / rows.length);
}

describe('generateSynthetic', () => {
  it('has the requested shape, MovieLens-like values and whole-star ratings', () => {
    expect(ds.format).toBe('synthetic');
    expect(ds.ratings.length).toBe(60_000);
    expect(ds.userIndex.size).toBe(600);
    expect(ds.itemIndex.size).toBe(900);
    const r = Array.from(ds.ratings.ratings);
    expect(r.every((x) => Number.isInteger(x) && x >= 1 && x <= 5)).toBe(true);
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    expect(mean).toBeGreaterThan(3.2);
    expect(mean).toBeLessThan(3.9);
    expect(new Set(col(ds, 'users', 'occupation') as string[]).size).toBe(21);
    const genres = col(ds, 'items', 'genres') as string[][];
    expect(genres.every((g) => g.length >= 1 && g.length <= 3)).toBe(true);
    expect(Array.from(ds.ratings.timestamps!).every((t) => Number.isInteger(t) && t > 8e8)).toBe(true);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const small = { nUsers: 60, nItems: 90, nRatings: 2000 };
    const a = generateSynthetic({ ...small, seed: 7 });
    const b = generateSynthetic({ ...small, seed: 7 });
    const c = generateSynthetic({ ...small, seed: 8 });
    for (const k of ['users', 'items', 'ratings', 'timestamps'] as const) expect(b.ratings[k]).toEqual(a.ratings[k]);
    expect(b.userIndex.ids).toEqual(a.userIndex.ids);
    expect(b.users).toEqual(a.users);
    expect(b.folds!.u3.test.items).toEqual(a.folds!.u3.test.items);
    expect(c.ratings.items).not.toEqual(a.ratings.items);
  });

  it('has no duplicate pairs and folds whose test sets partition the ratings 80/20', () => {
    const key = (u: number, i: number) => u * ds.itemIndex.size + i;
    const all = new Set<number>();
    for (let r = 0; r < ds.ratings.length; r++) all.add(key(ds.ratings.users[r], ds.ratings.items[r]));
    expect(all.size).toBe(60_000);
    const tested = new Set<number>();
    for (let f = 1; f <= 5; f++) {
      const { train, test } = ds.folds![`u${f}`];
      expect([train.length, test.length]).toEqual([48_000, 12_000]);
      const inTest = new Set<number>();
      for (let r = 0; r < test.length; r++) inTest.add(key(test.users[r], test.items[r]));
      let overlap = 0;
      for (let r = 0; r < train.length; r++) if (inTest.has(key(train.users[r], train.items[r]))) overlap++;
      expect(overlap).toBe(0);
      for (const k of inTest) tested.add(k);
    }
    expect(tested).toEqual(all);
  });

  it('skews popularity and activity, and gives every user 20 ratings', () => {
    const perItem = new Int32Array(ds.itemIndex.size);
    const perUser = new Int32Array(ds.userIndex.size);
    for (let r = 0; r < ds.ratings.length; r++) {
      perItem[ds.ratings.items[r]]++;
      perUser[ds.ratings.users[r]]++;
    }
    const top = Array.from(perItem).sort((a, b) => b - a).slice(0, 90).reduce((a, b) => a + b, 0);
    expect(top / ds.ratings.length).toBeGreaterThan(0.3); // top 10% of items
    expect(Math.min(...perUser)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...perUser)).toBeGreaterThan(4 * (ds.ratings.length / ds.userIndex.size));
  });

  it('makes side features predictive for cold-start items and users', () => {
    const { users, items, ratings } = ds.ratings;
    const rows = Array.from({ length: ratings.length }, (_, r) => r);
    // Items with odd dense index are "new": their ratings are predicted from genre means of the rest.
    const itemGenres = col(ds, 'items', 'genres') as string[][];
    const itemRow = (i: number) => ds.items!.ids.indexOf(ds.itemIndex.ids[i]);
    const genresOf = ds.itemIndex.ids.map((_, i) => itemGenres[itemRow(i)]);
    const old = rows.filter((r) => items[r] % 2 === 0);
    const cold = rows.filter((r) => items[r] % 2 === 1);
    const mu = old.reduce((s, r) => s + ratings[r], 0) / old.length;
    const sum = new Map<string, [number, number]>();
    for (const r of old) for (const g of genresOf[items[r]]) {
      const e = sum.get(g) ?? [0, 0];
      sum.set(g, [e[0] + ratings[r], e[1] + 1]);
    }
    const byGenre = (r: number) => {
      const gs = genresOf[items[r]].filter((g) => sum.has(g));
      return gs.length ? gs.reduce((s, g) => s + sum.get(g)![0] / sum.get(g)![1], 0) / gs.length : mu;
    };
    expect(rmse(ds, cold, byGenre)).toBeLessThan(rmse(ds, cold, () => mu) - 0.01);
    // Gender × genre: women rate Romance higher relative to Action than men do.
    const gender = col(ds, 'users', 'gender') as string[];
    const genderOf = ds.userIndex.ids.map((id) => gender[Number(id) - 1]);
    const mean = (pred: (r: number) => boolean) => {
      const sel = rows.filter(pred);
      return sel.reduce((s, r) => s + ratings[r], 0) / sel.length;
    };
    const gap = (sex: string) =>
      mean((r) => genderOf[users[r]] === sex && genresOf[items[r]].includes('Romance')) -
      mean((r) => genderOf[users[r]] === sex && genresOf[items[r]].includes('Action'));
    expect(gap('F') - gap('M')).toBeGreaterThan(0.5);
    // Users with odd index are "new": item means from the others, corrected by the
    // (gender, genre) deviation learned from the others, beat item means alone.
    const warm = rows.filter((r) => users[r] % 2 === 0);
    const coldUsers = rows.filter((r) => users[r] % 2 === 1);
    const itemSum = new Float64Array(ds.itemIndex.size);
    const itemN = new Float64Array(ds.itemIndex.size);
    for (const r of warm) {
      itemSum[items[r]] += ratings[r];
      itemN[items[r]]++;
    }
    const itemMean = (r: number) => (itemN[items[r]] > 0 ? itemSum[items[r]] / itemN[items[r]] : mu);
    const dev = new Map<string, [number, number]>();
    for (const r of warm) for (const g of genresOf[items[r]]) {
      const k = `${genderOf[users[r]]}/${g}`;
      const e = dev.get(k) ?? [0, 0];
      dev.set(k, [e[0] + ratings[r] - itemMean(r), e[1] + 1]);
    }
    const withSide = (r: number) => {
      const ks = genresOf[items[r]].map((g) => dev.get(`${genderOf[users[r]]}/${g}`)).filter((e) => e !== undefined);
      return itemMean(r) + (ks.length ? ks.reduce((s, e) => s + e[0] / e[1], 0) / ks.length : 0);
    };
    expect(rmse(ds, coldUsers, withSide)).toBeLessThan(rmse(ds, coldUsers, itemMean) - 0.01);
  });

  it('round-trips through the MovieLens 100K file layout', () => {
    const small = generateSynthetic({ nUsers: 50, nItems: 80, nRatings: 2000, seed: 3 });
    const back = parseMovieLens100k(toMovieLens100kFiles(small));
    expect(back.report.warnings).toEqual([]);
    expect(back.userIndex.ids).toEqual(small.userIndex.ids);
    expect(back.itemIndex.ids).toEqual(small.itemIndex.ids);
    expect(back.ratings).toEqual(small.ratings);
    expect(back.users!.columns).toEqual(small.users!.columns);
    expect(back.items!.columns).toEqual(small.items!.columns);
    expect(back.folds!.u5.test).toEqual(small.folds!.u5.test);
  });

  it('rejects impossible sizes', () => {
    expect(() => generateSynthetic({ nUsers: 10, nItems: 10, nRatings: 15 })).toThrow(/at least nUsers \+ nItems/);
    expect(() => generateSynthetic({ nUsers: 10, nItems: 10, nRatings: 60 })).toThrow(/exceeds/);
    expect(() => generateSynthetic({ nUsers: 0 })).toThrow(/positive integer/);
  });
});
