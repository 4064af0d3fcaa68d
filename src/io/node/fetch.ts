// Downloading GroupLens' MovieLens zips into the cache: verify, unzip, then move into place.

import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { cacheRoot } from './cache.js';

export const OFFICIAL_BASE_URL = 'https://files.grouplens.org/datasets/movielens';

export type FetchName = 'ml-100k' | 'ml-1m' | 'ml-latest-small';

interface Known {
  /** MD5 of the official zip as GroupLens publishes it (<zip>.md5); absent when the zip is re-issued. */
  readonly md5?: string;
  /** Files without which the loader cannot work: their absence means a wrong or broken zip. */
  readonly required: readonly string[];
}

/**
 * The official zips. ml-100k and ml-1m are frozen releases whose MD5s are widely published;
 * ml-latest-small is re-issued from time to time, so only its contents are checked.
 */
export const FETCHABLE: Readonly<Record<FetchName, Known>> = {
  'ml-100k': { md5: '0e33842e24a9c977be4e0107933c0723', required: ['u.data', 'u.user', 'u.item', 'u.genre', 'u.occupation'] },
  'ml-1m': { md5: 'c4d9eecfca2ab87c1945afe126590906', required: ['ratings.dat', 'users.dat', 'movies.dat'] },
  'ml-latest-small': { required: ['ratings.csv', 'movies.csv'] },
};

export interface FetchOptions {
  /** Cache root; the data set goes to `<cache>/<name>`. Default: env WASMREC_CACHE or ~/.cache/wasmrec. */
  readonly cache?: string;
  /** Base URL (the zip name is appended) or a full URL ending in .zip. Default: env WASMREC_FETCH_BASE_URL or GroupLens. */
  readonly url?: string;
  /** Expected SHA-256 of the zip (hex). Replaces the built-in MD5 check. */
  readonly sha256?: string;
  /** Download again even when the cache already has the data set. */
  readonly force?: boolean;
  /** Called as bytes arrive; `total` is undefined when the server sends no length. */
  readonly onProgress?: (received: number, total: number | undefined) => void;
  /** Called with notes for the user (e.g. "checksum not verified"). */
  readonly onNote?: (message: string) => void;
}

/** What went wrong while fetching; nothing half-written is left in the cache when it is thrown. */
export class FetchError extends Error {
  override readonly name = 'FetchError';
}

/**
 * Downloads, verifies and unpacks a MovieLens release into the cache and returns the folder.
 * The files are written to a temporary sibling folder which is renamed at the end, so an
 * interrupted fetch never leaves a partial data set behind.
 *
 * @example
 * const dir = await fetchDataset('ml-100k'); // ~/.cache/wasmrec/ml-100k
 * const ds = await loadDataset(dir);
 */
export async function fetchDataset(name: FetchName, opts: FetchOptions = {}): Promise<string> {
  const known = FETCHABLE[name];
  if (!known) throw new FetchError(`unknown data set ${JSON.stringify(name)} (known: ${Object.keys(FETCHABLE).join(', ')})`);
  const dest = join(opts.cache ?? cacheRoot(), name);
  if (!opts.force && known.required.every((f) => existsSync(join(dest, f)))) {
    opts.onNote?.(`${name} is already in ${dest} (use --force to download again)`);
    return dest;
  }
  const base = opts.url ?? process.env.WASMREC_FETCH_BASE_URL ?? OFFICIAL_BASE_URL;
  const url = base.endsWith('.zip') ? base : `${base.replace(/\/+$/, '')}/${name}.zip`;

  const zip = await download(url, opts.onProgress);
  verify(zip, name, known, url, opts);
  const files = unpack(zip, name, known);

  const root = dirname(dest);
  await mkdir(root, { recursive: true });
  const tmp = join(root, `.${name}.partial-${randomBytes(6).toString('hex')}`);
  try {
    await mkdir(tmp);
    for (const [file, bytes] of Object.entries(files)) {
      await mkdir(dirname(join(tmp, file)), { recursive: true });
      await writeFile(join(tmp, file), bytes);
    }
    if (existsSync(dest)) await rm(dest, { recursive: true, force: true });
    await rename(tmp, dest);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  return dest;
}

async function download(url: string, onProgress?: FetchOptions['onProgress']): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    // undici hides the useful part (ECONNREFUSED, ENOTFOUND) in `cause`.
    const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
    throw new FetchError(`could not download ${url}: ${cause}`);
  }
  if (!res.ok || !res.body) throw new FetchError(`could not download ${url}: HTTP ${res.status} ${res.statusText}`);
  const header = Number(res.headers.get('content-length'));
  const total = Number.isFinite(header) && header > 0 ? header : undefined;
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      chunks.push(chunk);
      received += chunk.length;
      onProgress?.(received, total);
    }
  } catch (err) {
    throw new FetchError(`download of ${url} broke off after ${received} bytes: ${(err as Error).message}`);
  }
  if (total !== undefined && received !== total) throw new FetchError(`download of ${url} is incomplete: ${received} of ${total} bytes`);
  const out = new Uint8Array(received);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function verify(zip: Uint8Array, name: string, known: Known, url: string, opts: FetchOptions): void {
  if (opts.sha256) {
    const got = createHash('sha256').update(zip).digest('hex');
    if (got !== opts.sha256.toLowerCase()) throw new FetchError(`checksum mismatch for ${url}: SHA-256 ${got}, expected ${opts.sha256}`);
    return;
  }
  // The published MD5 describes GroupLens' bytes; another server may legitimately repackage.
  if (known.md5 && url.startsWith(OFFICIAL_BASE_URL)) {
    const got = createHash('md5').update(zip).digest('hex');
    if (got !== known.md5) throw new FetchError(`checksum mismatch for ${url}: MD5 ${got}, expected ${known.md5}`);
    return;
  }
  opts.onNote?.(`${name}: no checksum to compare with (pass --sha256 to check one); checking the zip's contents only`);
}

/** Unzips into a flat map of file name → bytes, dropping the zip's top folder (ml-100k/). */
function unpack(zip: Uint8Array, name: string, known: Known): Record<string, Uint8Array> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip);
  } catch (err) {
    throw new FetchError(`${name}.zip is not a valid zip file (truncated or corrupt): ${(err as Error).message}`);
  }
  const files: Record<string, Uint8Array> = {};
  for (const [path, bytes] of Object.entries(entries)) {
    if (path.endsWith('/')) continue;
    const rel = path.includes('/') ? path.slice(path.indexOf('/') + 1) : path;
    // Zip entries are untrusted paths: never let one escape the target folder.
    if (rel.split('/').some((p) => p === '..' || p === '') || rel.startsWith('/')) throw new FetchError(`${name}.zip has an unsafe path ${JSON.stringify(path)}`);
    files[rel] = bytes;
  }
  const missing = known.required.filter((f) => !files[f] || files[f].length === 0);
  if (missing.length > 0) throw new FetchError(`${name}.zip lacks ${missing.join(', ')}: not the expected data set`);
  return files;
}
