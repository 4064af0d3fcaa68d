// Section `interop`: batch top-10 scoring (`wasmrec score`) in users/s at 20k and 100k items,
// dim 32 and 64, f32 vs int8 scoring (`--quantize`), wasm vs js; exporting the 100k item vectors in each format; and importing a Spark ALS model of 1M users × 32 factors (`wasmrec import
// spark-als`): seconds and peak RSS. Models are built from random factor tables; each job
// runs in its own process so that its peak memory is its own.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parquetWriteFile } from 'hyparquet-writer';
import { parseArgs } from '../lib/args.js';
import { num, spread, table, times } from '../lib/format.js';
import { record } from '../lib/rows.js';
import { summarize } from '../lib/stats.js';
import { loadWasmrec } from '../lib/wasmrec.js';

const opts = parseArgs();
const lib = await loadWasmrec();
const JOB = fileURLToPath(new URL('./job.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'wasmrec-bench-interop-'));
const samples = opts.quick ? 1 : 3;
const K = 32;
const nUsers = opts.quick ? 500 : 2000;
const importRows = opts.quick ? 100_000 : 1_000_000;
// WASMREC_BENCH_INTEROP=score (or shards, export, import; comma-separated) runs only those parts.
const parts = process.env.WASMREC_BENCH_INTEROP?.split(',').filter(Boolean) ?? ['score', 'shards', 'export', 'import'];
const DIMS = [32, 64];

/** xorshift32 floats in [-0.5, 0.5): reproducible factor tables without wasmrec's generator. */
function randomTable(rows, seed, dim = K) {
  const v = new Float32Array(rows * dim);
  let s = seed >>> 0 || 1;
  for (let k = 0; k < v.length; k++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    v[k] = (s >>> 0) / 2 ** 32 - 0.5;
  }
  return v;
}

function runJob(args) {
  const res = spawnSync(process.execPath, [JOB, ...args], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`interop job ${args[0]} failed: ${res.stderr.split('\n').slice(-4).join(' ')}`);
  return JSON.parse(res.stdout.trim().split('\n').pop());
}

const ids = (n, prefix) => Array.from({ length: n }, (_, k) => `${prefix}${k}`);
const usersFile = join(dir, 'users.csv');
writeFileSync(usersFile, `user\n${ids(nUsers, 'u').join('\n')}\n`);
const be = await lib.createBackend('js');

console.log('\n## Interop: batch scoring and Spark import\n');
/** The MF model file of a random catalogue (K = 32 for the export and import rows). */
async function modelFile(nItems, dim) {
  const model = lib.mfFromFactors(be, { userIds: ids(nUsers, 'u'), userFactors: randomTable(nUsers, 1, dim), itemIds: ids(nItems, 'i'), itemFactors: randomTable(nItems, 2, dim), factors: dim });
  const file = join(dir, `mf-${nItems}-${dim}.wasmrec`);
  await lib.saveModel(file, model);
  model.dispose();
  return file;
}
if (parts.includes('score')) {
  console.log(`\`wasmrec score --k 10\` over ${nUsers} users of an MF model with random factors (no exclusions, minSupport 0), output to a file; \`--quantize int8\` ranks against an int8 copy of the item table (int8 × int8 dot products); median (min–max) of ${samples} runs, each in its own process (load, score, write), single thread.\n`);
  const lines = [];
  for (const nItems of [20_000, 100_000]) {
    for (const dim of DIMS) {
      const file = await modelFile(nItems, dim);
      for (const quantize of ['f32', 'int8']) {
        const rate = {};
        const peak = {};
        for (const backend of ['wasm', 'js']) {
          const runs = Array.from({ length: samples }, () => runJob(['score', file, usersFile, backend, quantize]));
          rate[backend] = summarize(runs.map((r) => r.users / r.seconds));
          peak[backend] = Math.max(...runs.map((r) => r.peak_mb));
          record({ section: 'interop', case: `score-top10-${nItems}-items-dim${dim}-${quantize}`, unit: 'users/s', system: `wasmrec-${backend}`, threads: 1, median: rate[backend].median, min: rate[backend].min, max: rate[backend].max, samples, peak_mb: peak[backend] });
        }
        lines.push([`${num(nItems)} items`, String(dim), quantize, spread(rate.wasm), spread(rate.js), times(rate.wasm.median / rate.js.median), `${num(peak.wasm)} / ${num(peak.js)}`]);
        process.stderr.write(`  measured score at ${nItems} items, dim ${dim}, ${quantize}\n`);
      }
    }
  }
  console.log(table(['catalogue', 'dim', 'scoring', 'wasm (users/s)', 'js (users/s)', 'wasm ÷ js', 'peak RSS MB (wasm / js)'], lines));
}

// A million users × 100k items scored in shards, as Spark's RDD.pipe or a serverless fan-out
// would: each shard a process that loads the whole model and lists its slice of users, so
// memory is the model's, whatever the number of users.
if (parts.includes('shards')) {
  const bigUsers = opts.quick ? 100_000 : 1_000_000;
  const shardUsers = opts.quick ? 500 : 2_500;
  const nShards = 4;
  const model = lib.mfFromFactors(be, { userIds: ids(bigUsers, 'u'), userFactors: randomTable(bigUsers, 3), itemIds: ids(100_000, 'i'), itemFactors: randomTable(100_000, 4), factors: K });
  const file = join(dir, 'mf-many-users.wasmrec');
  await lib.saveModel(file, model);
  model.dispose();
  const lines = [];
  for (const quantize of ['f32', 'int8']) {
    const runs = [];
    for (let s = 0; s < nShards; s++) {
      // Shard s: users s, s + stride, … across the whole id range (as a hash partitioner spreads them).
      const stride = Math.floor(bigUsers / shardUsers);
      const shard = join(dir, `shard-${s}.csv`);
      writeFileSync(shard, `user\n${Array.from({ length: shardUsers }, (_, k) => `u${s + k * stride}`).join('\n')}\n`);
      runs.push(runJob(['score', file, shard, 'wasm', quantize]));
    }
    const perShard = summarize(runs.map((r) => r.seconds));
    const rate = summarize(runs.map((r) => r.users / r.seconds));
    const peak = Math.max(...runs.map((r) => r.peak_mb));
    record({ section: 'interop', case: `score-shards-${bigUsers}-users-100000-items-${quantize}`, unit: 'users/s', system: 'wasmrec-wasm', threads: 1, median: rate.median, min: rate.min, max: rate.max, samples: nShards, seconds_per_shard: perShard.median, peak_mb: peak });
    lines.push([quantize, spread(perShard), spread(rate), num(peak), num((bigUsers / rate.median) / 3600)]);
  }
  console.log(`\n\`wasmrec score --k 10\` of an MF model of ${num(bigUsers)} users × 100,000 items (K = ${K}, ${num((bigUsers + 100_000) * K * 4 / 2 ** 20)} MiB of factors), ${nShards} shards of ${num(shardUsers)} users spread over the id range, each a fresh process (load the whole model, score, write), wasm:\n`);
  console.log(table(['scoring', 'seconds per shard', 'users/s (with the load)', 'peak RSS MB', 'core-hours for all users'], lines));
}

// Export of the 100k-item table.
if (parts.includes('export')) {
  const exportFile = await modelFile(100_000, K);
  const exportLines = [];
  for (const [format, quantize] of [['npy', 'f32'], ['npy', 'int8'], ['parquet', 'f32'], ['parquet', 'f16'], ['jsonl', 'f32']]) {
    const runs = Array.from({ length: samples }, () => runJob(['export', exportFile, format, quantize]));
    const s = summarize(runs.map((r) => r.seconds));
    record({ section: 'interop', case: `export-item-vectors-100000-${format}-${quantize}`, unit: 's', system: 'wasmrec', threads: 1, median: s.median, min: s.min, max: s.max, samples, bytes: runs[0].bytes });
    exportLines.push([`${format} ${quantize}`, spread(s), num(runs[0].bytes / 2 ** 20), num(Math.max(...runs.map((r) => r.peak_mb)))]);
  }
  console.log(`
\`wasmrec export --what item-vectors\` of the 100,000 × ${K} table (+ bias column), each run a fresh process (load the model file, encode, write):\n`);
  console.log(table(['format', 'seconds', 'MiB written', 'peak RSS MB'], exportLines));
}

if (parts.includes('import')) {
  // Spark's layout: metadata/part-00000 and Parquet parts of id INT32, features LIST<FLOAT>.
  const spark = join(dir, 'als');
  for (const [side, rows] of [['userFactors', importRows], ['itemFactors', 20_000]]) {
    mkdirSync(join(spark, side), { recursive: true });
    const table = randomTable(rows, rows);
    parquetWriteFile({
      filename: join(spark, side, 'part-00000-bench-c000.snappy.parquet'),
      columnData: [
        { name: 'id', data: Int32Array.from({ length: rows }, (_, k) => k) },
        { name: 'features', data: Array.from({ length: rows }, (_, r) => Array.from(table.subarray(r * K, (r + 1) * K))) },
      ],
      schema: [
        { name: 'spark_schema', num_children: 2 },
        { name: 'id', type: 'INT32', repetition_type: 'REQUIRED' },
        { name: 'features', repetition_type: 'OPTIONAL', num_children: 1, converted_type: 'LIST' },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' },
      ],
    });
  }
  mkdirSync(join(spark, 'metadata'));
  writeFileSync(join(spark, 'metadata', 'part-00000'), `${JSON.stringify({ class: 'org.apache.spark.ml.recommendation.ALSModel', sparkVersion: '3.5.1', rank: K, paramMap: {} })}\n`);
  const imports = Array.from({ length: samples }, () => runJob(['import', spark]));
  const read = summarize(imports.map((r) => r.read_seconds));
  const total = summarize(imports.map((r) => r.seconds));
  const peakMb = Math.max(...imports.map((r) => r.peak_mb));
  record({ section: 'interop', case: `import-spark-als-${importRows}x${K}`, unit: 's', system: 'wasmrec (hyparquet)', threads: 1, median: total.median, min: total.min, max: total.max, read_median: read.median, samples, peak_mb: peakMb });
  console.log(`\n\`wasmrec import spark-als\` of ${num(importRows)} users + 20,000 items × ${K} (one snappy Parquet part each, written by hyparquet-writer): read ${spread(read)} s, whole import (read, build, save the model file) ${spread(total)} s, peak RSS ${num(peakMb)} MB.`);
}
rmSync(dir, { recursive: true, force: true });
