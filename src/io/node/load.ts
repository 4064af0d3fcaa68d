// Loading data sets from disk (Node): format detection, file reading, data folder discovery.

import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Dataset } from '../../data/dataset.js';
import { DataError, type OnError } from '../../data/errors.js';
import { ML100K_FOLDS, parseMovieLens100k } from '../../data/movielens100k.js';
import { parseMovieLens1m } from '../../data/movielens1m.js';
import { LATEST_RATINGS_HEADER, parseMovieLensLatest } from '../../data/movielens-latest.js';
import type { FileContent } from '../../data/text.js';
import { newLoadContext } from '../../data/load-context.js';
import { HALF_STARS } from '../../data/ratings.js';
import { STREAM_THRESHOLD_BYTES, streamRatings } from './stream.js';
import { cacheRoot } from './cache.js';

export type LoadFormat = 'auto' | 'ml-100k' | 'ml-1m' | 'ml-latest';
type Concrete = Exclude<LoadFormat, 'auto'>;

export interface LoadOptions {
  /** Which MovieLens release; 'auto' (default) decides from the file names. */
  readonly format?: LoadFormat;
  /** 'throw' (default) stops at the first bad line; 'skip' drops it and counts it in the report. */
  readonly onError?: OnError;
}

/** The file each release cannot do without: its presence identifies the format. */
const MARKER: Record<Concrete, string[]> = {
  'ml-100k': ['u.data'],
  'ml-1m': ['ratings.dat'],
  'ml-latest': ['ratings.csv', 'movies.csv'],
};

/** Folder names GroupLens' zips unpack to, in the order a parent folder is searched. */
const SUBFOLDERS: [string, Concrete][] = [
  ['ml-100k', 'ml-100k'],
  ['ml-latest-small', 'ml-latest'],
  ['ml-1m', 'ml-1m'],
  ['ml-latest', 'ml-latest'],
];

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function formatOf(dir: string): Concrete | null {
  for (const [format, files] of Object.entries(MARKER) as [Concrete, string[]][]) {
    if (files.every((f) => existsSync(join(dir, f)))) return format;
  }
  return null;
}

/**
 * The folder holding the data files and their format: `dir` itself, or its first subfolder
 * named like a GroupLens release (ml-100k first). Null when neither matches.
 */
export function resolveDataset(dir: string, format: LoadFormat = 'auto'): { dir: string; format: Concrete } | null {
  if (!isDir(dir)) return null;
  const own = formatOf(dir);
  if (own && (format === 'auto' || format === own)) return { dir, format: own };
  for (const [name, f] of SUBFOLDERS) {
    if (format !== 'auto' && format !== f) continue;
    const sub = join(dir, name);
    if (isDir(sub) && formatOf(sub) === f) return { dir: sub, format: f };
  }
  return null;
}

/**
 * Loads a MovieLens folder. `dir` may be the release folder itself or a parent holding e.g.
 * `ml-100k/`.
 *
 * @example
 * const ds = await loadDataset(findDataDir() ?? 'data');
 * ds.ratings.length; // 100000
 */
export async function loadDataset(dir: string, opts: LoadOptions = {}): Promise<Dataset> {
  const found = resolveDataset(dir, opts.format);
  if (!found) {
    const want = opts.format && opts.format !== 'auto' ? opts.format : 'MovieLens';
    throw new DataError(dir, 0, '', `no ${want} data set here (looked for ${Object.values(MARKER).flat().join(', ')} and subfolders ${SUBFOLDERS.map((s) => s[0]).join(', ')})`);
  }
  const parseOpts = { onError: opts.onError, source: found.dir };
  switch (found.format) {
    case 'ml-100k': {
      const names = ['u.data', 'u.user', 'u.item', 'u.genre', 'u.occupation', ...ML100K_FOLDS.flatMap((f) => [`${f}.base`, `${f}.test`])];
      return parseMovieLens100k(await readPresent(found.dir, names), parseOpts);
    }
    case 'ml-1m':
      return parseMovieLens1m(await readPresent(found.dir, ['ratings.dat', 'users.dat', 'movies.dat']), parseOpts);
    case 'ml-latest': {
      const path = join(found.dir, 'ratings.csv');
      if (statSync(path).size <= STREAM_THRESHOLD_BYTES) {
        return parseMovieLensLatest(await readPresent(found.dir, ['ratings.csv', 'movies.csv', 'tags.csv']), parseOpts);
      }
      const ctx = newLoadContext(opts.onError);
      const ratings = await streamRatings(path, 'ratings.csv', ',', HALF_STARS, ctx, LATEST_RATINGS_HEADER);
      return parseMovieLensLatest(await readPresent(found.dir, ['movies.csv', 'tags.csv']), { ...parseOpts, streamed: { ratings, ctx } });
    }
  }
}

/** Reads those of `names` that exist in `dir`; absent ones are left out, not errors. */
async function readPresent(dir: string, names: string[]): Promise<Record<string, FileContent>> {
  const out: Record<string, FileContent> = {};
  await Promise.all(
    names.map(async (name) => {
      const p = join(dir, name);
      if (existsSync(p)) out[name] = await readFile(p);
    }),
  );
  return out;
}

/**
 * Where the MovieLens data is: `explicit` when given (null if it holds none), else the env
 * variable WASMREC_DATA, else `../shared/data` relative to the working directory, else the
 * `wasmrec fetch` cache. Returns a folder `loadDataset` accepts, or null.
 *
 * @example
 * const dir = findDataDir();
 * if (dir) console.log((await loadDataset(dir)).description);
 */
export function findDataDir(explicit?: string): string | null {
  const candidates = explicit !== undefined ? [explicit] : [process.env.WASMREC_DATA, '../shared/data', cacheRoot()];
  for (const c of candidates) {
    if (c && resolveDataset(resolve(c))) return resolve(c);
  }
  return null;
}
