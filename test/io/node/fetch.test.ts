import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerFetch } from '../../../src/cli/commands/fetch.js';
import { toMovieLens100kFiles } from '../../../src/data/movielens100k-files.js';
import { generateSynthetic } from '../../../src/data/synthetic.js';
import { fetchDataset } from '../../../src/io/node/fetch.js';
import { findDataDir, loadDataset } from '../../../src/io/node/load.js';

const synthetic = generateSynthetic({ nUsers: 50, nItems: 80, nRatings: 1500, seed: 5 });
const zip = zipSync(
  Object.fromEntries(Object.entries(toMovieLens100kFiles(synthetic)).map(([f, text]) => [`ml-100k/${f}`, strToU8(text)])),
);
const sha = createHash('sha256').update(zip).digest('hex');
const noData = zipSync({ 'ml-100k/README': strToU8('nothing here') });

/** Routes: /good/ml-100k.zip, /cut/ (half the bytes), /lying/ (claims full length, sends half), /empty/, else 404. */
let server: Server;
let base = '';
let hits = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    hits++;
    const route = req.url!.split('/')[1];
    if (route === 'good') res.writeHead(200, { 'content-length': zip.length }).end(zip);
    else if (route === 'cut') res.writeHead(200, { 'content-length': zip.length >> 1 }).end(zip.subarray(0, zip.length >> 1));
    else if (route === 'lying') {
      res.writeHead(200, { 'content-length': zip.length });
      res.write(zip.subarray(0, zip.length >> 1), () => res.destroy());
    } else if (route === 'empty') res.writeHead(200).end(noData);
    else res.writeHead(404).end('not found');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

const caches: string[] = [];
function freshCache(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wasmrec-fetch-'));
  caches.push(dir);
  return dir;
}
afterAll(() => caches.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('fetchDataset', () => {
  it('downloads, verifies, unpacks into <cache>/ml-100k, then serves it from the cache', async () => {
    const cache = freshCache();
    const progress: number[] = [];
    const dir = await fetchDataset('ml-100k', { cache, url: `${base}/good`, sha256: sha, onProgress: (r) => progress.push(r) });
    expect(dir).toBe(join(cache, 'ml-100k'));
    expect(readdirSync(cache)).toEqual(['ml-100k']);
    expect(progress.at(-1)).toBe(zip.length);
    const ds = await loadDataset(dir);
    expect(ds.ratings).toEqual(synthetic.ratings);
    expect(ds.folds!.u2.test.length).toBe(300);
    const before = hits;
    expect(await fetchDataset('ml-100k', { cache, url: `${base}/good` })).toBe(dir);
    expect(hits).toBe(before);
    const saved = { data: process.env.WASMREC_DATA, cache: process.env.WASMREC_CACHE };
    process.env.WASMREC_DATA = join(cache, 'nothing');
    process.env.WASMREC_CACHE = cache;
    try {
      // ../shared/data may exist relative to the working directory; only assert when it does not.
      if (!existsSync('../shared/data')) expect(findDataDir()).toBe(cache);
      expect(findDataDir(cache)).toBe(cache);
    } finally {
      for (const [k, v] of [['WASMREC_DATA', saved.data], ['WASMREC_CACHE', saved.cache]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  const failures: [string, () => Promise<string>, RegExp][] = [
    ['server down', async () => {
      const down = createServer();
      await new Promise<void>((ok) => down.listen(0, '127.0.0.1', ok));
      const port = (down.address() as AddressInfo).port;
      await new Promise<void>((ok) => down.close(() => ok()));
      return `http://127.0.0.1:${port}`;
    }, /could not download http:\/\/127\.0\.0\.1:\d+\/ml-100k\.zip: .*ECONNREFUSED/],
    ['HTTP 404', async () => `${base}/missing`, /HTTP 404/],
    ['truncated zip', async () => `${base}/cut`, /ml-100k\.zip is not a valid zip file \(truncated or corrupt\)/],
    ['connection dropped mid-download', async () => `${base}/lying`, /broke off|incomplete/],
    ['zip without the data files', async () => `${base}/empty`, /ml-100k\.zip lacks u\.data, u\.user/],
  ];
  for (const [name, url, message] of failures) {
    it(`fails clearly on ${name} and leaves nothing in the cache`, async () => {
      const cache = freshCache();
      await expect(fetchDataset('ml-100k', { cache, url: await url() })).rejects.toThrow(message);
      expect(readdirSync(cache)).toEqual([]);
    });
  }

  it('rejects a wrong checksum and leaves nothing in the cache', async () => {
    const cache = freshCache();
    await expect(fetchDataset('ml-100k', { cache, url: `${base}/good`, sha256: '0'.repeat(64) })).rejects.toThrow(
      `checksum mismatch for ${base}/good/ml-100k.zip: SHA-256 ${sha}`,
    );
    expect(readdirSync(cache)).toEqual([]);
  });

  it('keeps an existing cached copy when a forced re-download fails', async () => {
    const cache = freshCache();
    await fetchDataset('ml-100k', { cache, url: `${base}/good`, sha256: sha });
    await expect(fetchDataset('ml-100k', { cache, url: `${base}/cut`, force: true })).rejects.toThrow(/not a valid zip/);
    expect(readdirSync(cache)).toEqual(['ml-100k']);
    expect((await loadDataset(join(cache, 'ml-100k'))).ratings.length).toBe(1500);
  });
});

describe('wasmrec fetch', () => {
  it('prints the folder on stdout, honouring WASMREC_FETCH_BASE_URL', async () => {
    const cache = freshCache();
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
    const errSpy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const saved = process.env.WASMREC_FETCH_BASE_URL;
    process.env.WASMREC_FETCH_BASE_URL = `${base}/good`;
    try {
      const program = new Command('wasmrec').exitOverride();
      registerFetch(program);
      await program.parseAsync(['node', 'wasmrec', 'fetch', 'ml-100k', '--cache', cache, '--sha256', sha]);
    } finally {
      spy.mockRestore();
      errSpy.mockRestore();
      if (saved === undefined) delete process.env.WASMREC_FETCH_BASE_URL;
      else process.env.WASMREC_FETCH_BASE_URL = saved;
    }
    expect(out.join('')).toBe(`${join(cache, 'ml-100k')}\n`);
  });

  it('rejects unknown data set names', async () => {
    const program = new Command('wasmrec').exitOverride().configureOutput({ writeErr: () => undefined });
    registerFetch(program);
    await expect(program.parseAsync(['node', 'wasmrec', 'fetch', 'ml-20m'])).rejects.toThrow(/Allowed choices are ml-100k, ml-1m, ml-latest-small/);
  });
});
