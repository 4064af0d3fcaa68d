// Loader section: ratings parsed per second for MovieLens 100K's u.data and for a generated
// 1,000,000-row CSV, next to papaparse's raw parse of the same CSV (no validation, no
// indexing), so the cost of wasmrec's checks and id maps is visible. Runs alternate.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { parseArgs } from '../lib/args.js';
import { num, spread, table, times } from '../lib/format.js';
import { record } from '../lib/rows.js';
import { summarize, ratio } from '../lib/stats.js';
import { loadWasmrec } from '../lib/wasmrec.js';

const CSV_ROWS = 1_000_000;

/** userId,movieId,rating,timestamp rows like ml-latest's ratings.csv, from a fixed LCG. */
function generatedCsv(rows) {
  let s = 12345;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
  const lines = ['userId,movieId,rating,timestamp'];
  for (let r = 0; r < rows; r++) {
    lines.push(`${1 + (next() % 100000)},${1 + (next() % 20000)},${(1 + (next() % 10)) / 2},${1_000_000_000 + (next() % 300_000_000)}`);
  }
  return lines.join('\n');
}

const opts = parseArgs();
const lib = await loadWasmrec();
const dataDir = lib.findDataDir();
// findDataDir may name the ml-100k folder itself or the folder holding it.
const udataPath = dataDir && [join(dataDir, 'u.data'), join(dataDir, 'ml-100k', 'u.data')].find(existsSync);
const udata = udataPath ? readFileSync(udataPath, 'utf8') : null;
// Duplicated (user, item) pairs would be rejected: the generator's range makes them rare,
// so the loader skips them and reports a count (counted as parsed work either way).
const csv = generatedCsv(CSV_ROWS);
const runs = opts.quick ? 3 : 7;

const systems = [
  udata && { name: 'wasmrec parseMovieLens100k (u.data)', rows: 100_000, run: () => lib.parseMovieLens100k({ 'u.data': udata }).ratings.length },
  { name: 'wasmrec parseRatingsCsv (1M-row CSV)', rows: CSV_ROWS, run: () => lib.parseRatingsCsv(csv, { onError: 'skip' }).ratings.length },
  {
    name: 'papaparse raw, step callback (1M-row CSV)',
    rows: CSV_ROWS,
    run: () => {
      let sum = 0;
      Papa.parse(csv, { header: false, step: (row) => void (sum += Number(row.data[2])) });
      return sum;
    },
  },
].filter(Boolean);

const samples = systems.map(() => []);
for (let i = 0; i < runs; i++) {
  for (let j = 0; j < systems.length; j++) {
    const k = (i + j) % systems.length;
    const t0 = performance.now();
    systems[k].run();
    samples[k].push(performance.now() - t0);
  }
}

console.log('\n## Loaders (ratings parsed per second)\n');
if (!udata) console.log('(MovieLens 100K not found: u.data row skipped)\n');
const papa = summarize(samples[systems.length - 1]);
const rows = systems.map((s, k) => {
  const t = summarize(samples[k]);
  const perSec = (s.rows / t.median) * 1000;
  record({ section: 'loaders', system: s.name, rows: s.rows, median_ms: t.median, min_ms: t.min, max_ms: t.max, rows_per_s: perSec });
  const vsPapa = s.rows === CSV_ROWS ? times(ratio(papa.median, t.median)) : '–';
  return [s.name, num(s.rows), spread(t), `${num(perSec / 1e6)} M/s`, vsPapa];
});
console.log(table(['parser', 'rows', 'ms: median (min–max)', 'ratings/s', 'speed vs papaparse raw'], rows));
