// Locates the shared data sets for tests (MovieLens 100K, ml-latest-small, FilmTrust): WASMREC_DATA, else ../shared/data next to the repo.
// With WASMREC_REQUIRE_DATA=1 a missing data set fails the run instead of skipping tests.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The folder that contains ml-100k/ (not ml-100k itself). */
export const DATA_DIR = resolve(repoRoot, process.env.WASMREC_DATA ?? '../shared/data');
export const ML100K_DIR = join(DATA_DIR, 'ml-100k');
export const HAVE_ML100K = existsSync(join(ML100K_DIR, 'u.data'));

if (!HAVE_ML100K && process.env.WASMREC_REQUIRE_DATA === '1') {
  throw new Error(`WASMREC_REQUIRE_DATA=1 but MovieLens 100K is not at ${ML100K_DIR} (set WASMREC_DATA)`);
}

export const ML_LATEST_SMALL_DIR = join(DATA_DIR, 'ml-latest-small');
export const HAVE_ML_LATEST_SMALL = existsSync(join(ML_LATEST_SMALL_DIR, 'ratings.csv'));

export const FILMTRUST_DIR = join(DATA_DIR, 'filmtrust');
export const HAVE_FILMTRUST = existsSync(join(FILMTRUST_DIR, 'ratings.txt')) && existsSync(join(FILMTRUST_DIR, 'trust.txt'));

// CI (WASMREC_REQUIRE_DATA=1) runs the tests on every shared data set; a missing one fails the run.
for (const [name, have] of [['ml-latest-small', HAVE_ML_LATEST_SMALL], ['filmtrust', HAVE_FILMTRUST]] as const) {
  if (!have && process.env.WASMREC_REQUIRE_DATA === '1') throw new Error(`WASMREC_REQUIRE_DATA=1 but ${name} is not in ${DATA_DIR} (set WASMREC_DATA)`);
}
