import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findDataDir, loadDataset } from '../../../src/io/node/load.js';
import { DATA_DIR, HAVE_ML100K, ML100K_DIR } from '../../data/datadir.js';

describe.skipIf(!HAVE_ML100K)('loadDataset on MovieLens 100K', () => {
  it('has the published counts, from the folder or its parent', async () => {
    for (const dir of [ML100K_DIR, DATA_DIR]) {
      const ds = await loadDataset(dir);
      expect(ds.format).toBe('ml-100k');
      expect(ds.ratings.length).toBe(100_000);
      expect(ds.userIndex.size).toBe(943);
      expect(ds.itemIndex.size).toBe(1682);
      expect(ds.users!.ids).toHaveLength(943);
      expect(ds.items!.ids).toHaveLength(1682);
      expect(ds.items!.vocab!.genres).toHaveLength(19);
      expect(ds.users!.vocab!.occupation).toHaveLength(21);
      expect(ds.report.skipped).toBe(0);
      expect(ds.report.warnings).toEqual([]);
      expect(ds.description).toContain('ml-100k');
    }
  });

  it('reads folds u1..u5 of 80,000/20,000 whose test sets partition u.data', async () => {
    const ds = await loadDataset(ML100K_DIR);
    const folds = ['u1', 'u2', 'u3', 'u4', 'u5'];
    expect(Object.keys(ds.folds!).filter((f) => folds.includes(f))).toEqual(folds);
    const nItems = ds.itemIndex.size;
    const all = new Set<number>();
    for (let r = 0; r < ds.ratings.length; r++) all.add(ds.ratings.users[r] * nItems + ds.ratings.items[r]);
    const tested = new Set<number>();
    for (const name of folds) {
      const { train, test } = ds.folds![name];
      expect([train.length, test.length]).toEqual([80_000, 20_000]);
      for (let r = 0; r < test.length; r++) tested.add(test.users[r] * nItems + test.items[r]);
    }
    expect(tested.size).toBe(100_000);
    expect([...tested].every((k) => all.has(k))).toBe(true);
  });

  it('finds the data folder from an explicit path and from WASMREC_DATA', () => {
    expect(findDataDir(DATA_DIR)).toBe(DATA_DIR);
    const saved = process.env.WASMREC_DATA;
    process.env.WASMREC_DATA = DATA_DIR;
    try {
      expect(findDataDir()).toBe(DATA_DIR);
    } finally {
      if (saved === undefined) delete process.env.WASMREC_DATA;
      else process.env.WASMREC_DATA = saved;
    }
  });
});

describe('loadDataset errors', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'wasmrec-load-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('says what it looked for when the folder holds no data set', async () => {
    await expect(loadDataset(tmp)).rejects.toThrow(/no MovieLens data set here \(looked for u\.data/);
    expect(findDataDir(tmp)).toBeNull();
    expect(findDataDir(join(tmp, 'nope'))).toBeNull();
  });

  it('passes onError through to the parser', async () => {
    const dir = join(tmp, 'ml-100k');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'u.data'), '1\t2\t3\t4\n1\t3\tbad\t5\n');
    await expect(loadDataset(tmp)).rejects.toThrow('u.data line 2, field rating: "bad" is not a number');
    const ds = await loadDataset(tmp, { onError: 'skip' });
    expect([ds.ratings.length, ds.report.skipped]).toEqual([1, 1]);
  });
});

