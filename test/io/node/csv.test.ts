import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCsvDataset } from '../../../src/io/node/csv.js';

const tmp = mkdtempSync(join(tmpdir(), 'wasmrec-csv-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('loadCsvDataset', () => {
  it('reads train/test/feature files and names them in messages', async () => {
    const p = (f: string, text: string) => (writeFileSync(join(tmp, f), text), join(tmp, f));
    const ds = await loadCsvDataset({
      ratings: p('train.tsv', 'user\titem\trating\n1\t1\t4\n2\t1\t5\n'),
      testRatings: p('test.tsv', 'user\titem\trating\n1\t2\t3\n'),
      itemFeatures: p('items.csv', 'item,year\n1,1990\n2,2000\n'),
    });
    expect(ds.folds!.given.test.length).toBe(1);
    expect(ds.items!.columns.year.kind).toBe('number');
    const bad = p('bad.csv', 'user,item,rating\n1,1,4\n1,2,x\n');
    await expect(loadCsvDataset({ ratings: bad })).rejects.toThrow('bad.csv line 3, field rating: "x" is not a number');
    expect((await loadCsvDataset({ ratings: bad, onError: 'skip' })).report.skipped).toBe(1);
  });
});
