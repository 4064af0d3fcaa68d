// loadDataset's format detection on generated ML-1M and ml-latest-small folders, and the
// streaming reader used for ratings files too big for one string.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IdIndex } from '../../../src/data/interactions.js';
import { HALF_STARS, readRatingsText } from '../../../src/data/ratings.js';
import { ReportBuilder } from '../../../src/data/report.js';
import { loadDataset } from '../../../src/io/node/load.js';
import { streamRatings } from '../../../src/io/node/stream.js';

const tmp = mkdtempSync(join(tmpdir(), 'wasmrec-formats-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string | Uint8Array>): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return dir;
}

const context = () => ({ userIndex: new IdIndex(), itemIndex: new IdIndex(), report: new ReportBuilder('skip') });

describe('loadDataset format detection', () => {
  it('loads an ML-1M folder, directly or from its parent', async () => {
    const dir = folder('p1/ml-1m', {
      'ratings.dat': '1::10::5::978300760\n2::10::3::978300761\n',
      'users.dat': '1::F::1::10::48067\n2::M::56::16::70072\n',
      'movies.dat': Uint8Array.from('10::Caf\xe9 (1995)::Comedy|Drama\n', (c) => c.charCodeAt(0)),
    });
    for (const d of [dir, join(tmp, 'p1')]) {
      const ds = await loadDataset(d);
      expect(ds.format).toBe('ml-1m');
      expect(ds.ratings.length).toBe(2);
      expect(ds.items!.columns.title.values[0]).toBe('Café (1995)');
    }
  });

  it('loads ml-latest-small from its parent and honours an explicit format', async () => {
    folder('p2/ml-latest-small', {
      'ratings.csv': 'userId,movieId,rating,timestamp\n1,1,4.5,964982703\n',
      'movies.csv': 'movieId,title,genres\n1,"Heat, The (1995)",(no genres listed)\n',
    });
    const ds = await loadDataset(join(tmp, 'p2'), { format: 'ml-latest' });
    expect(ds.format).toBe('ml-latest');
    expect(ds.items!.columns.title.values[0]).toBe('Heat, The (1995)');
    expect(ds.items!.columns.genres.values[0]).toEqual([]);
    await expect(loadDataset(join(tmp, 'p2'), { format: 'ml-1m' })).rejects.toThrow(/no ml-1m data set here/);
  });
});

describe('streamRatings', () => {
  it('gives the same result as reading the whole text, across chunk boundaries and bad lines', async () => {
    const rows = ['userId,movieId,rating,timestamp'];
    for (let r = 0; r < 300_000; r++) rows.push(`${r % 997},${(r * 7) % 5003},${1 + (r % 9) / 2},${r}`);
    rows[12345] = '5,5,x,1';
    const text = rows.join('\r\n') + '\r\n';
    const path = join(tmp, 'big.csv');
    writeFileSync(path, text);
    const a = context();
    const b = context();
    const streamed = await streamRatings(path, 'ratings.csv', ',', HALF_STARS, a, rows[0]);
    const whole = readRatingsText('ratings.csv', text, ',', HALF_STARS, b, rows[0]);
    expect(streamed).toEqual(whole);
    expect(a.userIndex.ids).toEqual(b.userIndex.ids);
    expect(a.report.build()).toEqual(b.report.build());
    expect(a.report.build().warnings[0]).toMatch(/^skipped ratings\.csv line 12346, field rating: "x"/);
  });
});
