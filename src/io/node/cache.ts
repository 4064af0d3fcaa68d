// Where `wasmrec fetch` keeps downloaded data sets.

import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The cache folder: env WASMREC_CACHE, else ~/.cache/wasmrec. Each data set lives in
 * `<cacheRoot>/<name>` (e.g. ml-100k), the files directly inside.
 *
 * @example
 * cacheRoot(); // '/home/me/.cache/wasmrec'
 */
export function cacheRoot(): string {
  const env = process.env.WASMREC_CACHE;
  return env ? resolve(env) : join(homedir(), '.cache', 'wasmrec');
}
