import { beforeAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import type { Dataset } from '../../src/data/dataset.js';
import { explore, formatEda, pearson, type EdaResult } from '../../src/analysis/eda.js';
import { makeSplit } from '../../src/data/splits.js';
import { subset } from '../../src/data/interactions.js';
import { loadDataset } from '../../src/io/node/load.js';
import { registerEda } from '../../src/cli/commands/eda.js';
import { memoryIO } from '../../src/cli/io.js';
import { tinyDataset } from '../preprocessing/fixture.js';
import { DATA_DIR, HAVE_ML100K } from '../data/datadir.js';

const groups = (eda: EdaResult, feature: string) =>
  eda.byFeature.find((f) => f.feature === feature)!.groups.map((g) => [g.value, g.count, g.meanRating]);

describe('explore (hand-computed)', () => {
  const { dataset, trainRows, testRows } = tinyDataset();
  const eda = explore(dataset);

  it('counts ratings, their values and the mean', () => {
    expect(eda).toMatchObject({ nRatings: 6, nUsers: 4, nItems: 3, meanRating: 20 / 6, density: 0.5 });
    expect(eda.ratingCounts).toEqual([{ value: 1, count: 1 }, { value: 2, count: 1 }, { value: 3, count: 1 }, { value: 4, count: 1 }, { value: 5, count: 2 }]);
  });

  it('groups ratings by user and item feature values, missing last', () => {
    expect(groups(eda, 'gender')).toEqual([['F', 1, 5], ['M', 4, 2.5], ['(missing)', 1, 5]]);
    // i1 (4, 5, 5) is Action and Comedy, i2 (2, 3) Comedy; i3 has no genre.
    expect(groups(eda, 'genres')).toEqual([['Action', 3, 14 / 3], ['Comedy', 5, 3.8]]);
    expect(groups(eda, 'decade')).toEqual([['1990s', 5, 3.8], ['(missing)', 1, 1]]);
    expect(groups(eda, 'age group')).toEqual([['18-24', 3, 7 / 3], ['25-34', 1, 5], ['35-44', 1, 5], ['(missing)', 1, 3]]);
    expect(eda.byFeature.some((f) => f.feature === 'title')).toBe(true); // 3 distinct ≤ MAX_GROUPS
  });

  it('correlates continuous features with the rating', () => {
    // Ratings with a known age: (20,4) (20,2) (30,5) (20,1) (40,5).
    const x = [20, 20, 30, 20, 40];
    const y = [4, 2, 5, 1, 5];
    const mx = 26, my = 3.4;
    const r = x.reduce((s, xi, i) => s + (xi - mx) * (y[i] - my), 0) /
      Math.sqrt(x.reduce((s, xi) => s + (xi - mx) ** 2, 0) * y.reduce((s, yi) => s + (yi - my) ** 2, 0));
    const age = eda.correlations.find((c) => c.feature === 'age')!;
    expect(age.n).toBe(5);
    expect(age.r).toBeCloseTo(r, 12);
    expect(pearson([1, 1, 1], [1, 2, 3]).r).toBeNaN();
  });

  it('reports the cold users and items of a split, with statistics from its train part', () => {
    const { ratings } = dataset;
    const split = { name: 'hand', train: subset(ratings, trainRows), test: subset(ratings, testRows) };
    const withSplit = explore(dataset, { split });
    expect(withSplit.split!.report).toMatchObject({ nTrain: 4, nTest: 2, coldUsers: 1, coldItems: 1 });
    expect(withSplit.statsFrom).toMatch(/train/);
    expect(withSplit.correlations.find((c) => c.side === 'user' && c.feature === 'rating_mean')!.n).toBe(2);
    const text = formatEda(withSplit);
    expect(text).toContain('cold in test: 1 users (1 ratings), 1 items (1 ratings)');
    expect(text).toContain('user gender');
  });
});

describe.skipIf(!HAVE_ML100K)('explore MovieLens 100K', () => {
  let ds: Dataset;
  beforeAll(async () => {
    ds = await loadDataset(DATA_DIR);
  });

  it('shows what the course EDA shows', () => {
    const eda = explore(ds);
    expect(eda.nRatings).toBe(100000);
    expect(eda.meanRating).toBeCloseTo(3.52986, 10);
    expect(groups(eda, 'gender').map((g) => g[0])).toEqual(['F', 'M']);
    expect(groups(eda, 'occupation')).toHaveLength(21);
    expect(groups(eda, 'genres')).toHaveLength(19);
    const byGender = eda.byFeature.find((f) => f.feature === 'gender')!.groups;
    expect(byGender.reduce((s, g) => s + g.count, 0)).toBe(100000);
    expect(eda.correlations.map((c) => `${c.side} ${c.feature}`)).toEqual(
      expect.arrayContaining(['user age', 'item year', 'user rating_mean', 'item rating_mean', 'item rating_log_count']),
    );
  });

  it('counts the cold users of a cold-users split', () => {
    const split = makeSplit(ds, { kind: 'cold-users', testFraction: 0.2, seed: 42 });
    const eda = explore(ds, { split });
    expect(Math.abs(eda.split!.report.coldUsers - 188.6)).toBeLessThanOrEqual(1);
    expect(eda.split!.report.coldItems).toBeGreaterThanOrEqual(0);
  });

  it('runs as `wasmrec eda --split cold-users --json`', async () => {
    const io = memoryIO();
    const program = new Command('wasmrec').exitOverride();
    registerEda(program, io);
    await program.parseAsync(['eda', '--data', DATA_DIR, '--split', 'cold-users', '--test-fraction', '0.2', '--seed', '42', '--json'], { from: 'user' });
    const out = JSON.parse(io.stdout.join('\n'));
    expect(out.nRatings).toBe(100000);
    expect(Math.abs(out.split.report.coldUsers - 188.6)).toBeLessThanOrEqual(1);
  });
});
