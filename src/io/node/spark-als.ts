// Spark MLlib's ALSModel as `ALSModel.save(path)` writes it: metadata/part-00000 (one JSON
// line: class, rank, paramMap) and userFactors/, itemFactors/ folders of Parquet part files
// with columns `id` int and `features` array<float>. Read with hyparquet, a row group at a
// time into one preallocated table per side; every problem names the file and the field.

import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parquetRead, parquetSchema, type FileMetaData } from 'hyparquet';
import { causeOf } from './fs-errors.js';
import { openParquet, type OpenParquet } from './parquet-file.js';

export const SPARK_ALS_CLASS = 'org.apache.spark.ml.recommendation.ALSModel';

/** One side's factors: ids (Spark's ints as strings) and an ids × rank table. */
export interface SparkFactors {
  ids: string[];
  factors: Float32Array;
  files: string[];
}

export interface SparkAlsModel {
  rank: number;
  /** The metadata line as Spark wrote it (class, sparkVersion, uid, paramMap, …). */
  metadata: Record<string, unknown>;
  users: SparkFactors;
  items: SparkFactors;
}

/** A problem in a saved ALS model, naming the file and the field. */
export class SparkModelError extends Error {
  constructor(file: string, field: string, message: string) {
    super(`${file}: ${field ? `field ${field}: ` : ''}${message}`);
    this.name = 'SparkModelError';
  }
}

/**
 * Reads the folder `ALSModel.save` wrote.
 *
 * @example
 * const als = await readSparkAls('hdfs-copy/als-model'); // als.users.ids, als.users.factors (users × rank)
 */
export async function readSparkAls(dir: string): Promise<SparkAlsModel> {
  const info = await stat(dir).catch((err) => {
    throw new SparkModelError(dir, '', `cannot read the model folder: ${causeOf(err)}`);
  });
  if (!info.isDirectory()) throw new SparkModelError(dir, '', 'not a folder (ALSModel.save writes a folder with metadata/, userFactors/ and itemFactors/)');
  const { metadata, rank } = await readMetadata(join(dir, 'metadata', 'part-00000'));
  const users = await readFactors(join(dir, 'userFactors'), rank);
  const items = await readFactors(join(dir, 'itemFactors'), rank);
  return { rank, metadata, users, items };
}

async function readMetadata(path: string): Promise<{ metadata: Record<string, unknown>; rank: number }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new SparkModelError(path, '', `cannot read the model's metadata: ${causeOf(err)}`);
  }
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new SparkModelError(path, '', `not a JSON line: ${JSON.stringify(line.slice(0, 60))}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new SparkModelError(path, '', 'not a JSON object');
  const m = json as Record<string, unknown>;
  if (m.class !== SPARK_ALS_CLASS) throw new SparkModelError(path, 'class', `is ${JSON.stringify(m.class)}, expected ${SPARK_ALS_CLASS}`);
  // ALSModel's writer puts rank beside the params; accept it in paramMap too.
  const params = (typeof m.paramMap === 'object' && m.paramMap) || {};
  const rank = m.rank ?? (params as Record<string, unknown>).rank;
  if (!(Number.isInteger(rank) && (rank as number) >= 1 && (rank as number) <= 65_536)) throw new SparkModelError(path, 'rank', `must be an integer in [1, 65536], got ${JSON.stringify(rank)}`);
  return { metadata: m, rank: rank as number };
}

async function readFactors(folder: string, rank: number): Promise<SparkFactors> {
  const names = await readdir(folder).catch((err) => {
    throw new SparkModelError(folder, '', `cannot read the factor folder: ${causeOf(err)}`);
  });
  const files = names.filter((n) => n.startsWith('part-') && n.endsWith('.parquet')).sort().map((n) => join(folder, n));
  if (files.length === 0) throw new SparkModelError(folder, '', 'no part-*.parquet files');
  // First the footers: the schema of every file and the total row count, so the table is allocated once.
  const opened: OpenParquet[] = [];
  try {
    for (const f of files) {
      opened.push(await openParquet(f));
      checkSchema(f, opened[opened.length - 1].metadata);
    }
    const total = opened.reduce((s, p) => s + Number(p.metadata.num_rows), 0);
    const t: Target = { idValues: new Float64Array(total), factors: new Float32Array(total * rank), at: 0 };
    const starts: number[] = [];
    for (let k = 0; k < files.length; k++) {
      starts.push(t.at);
      t.at = await readPart(files[k], opened[k], rank, t);
    }
    checkUnique(t.idValues, files, starts);
    return { ids: Array.from(t.idValues, String), factors: t.factors, files };
  } finally {
    for (const p of opened) await p.close();
  }
}

/** `id` an int column, `features` a list of float (Spark's array<float>, any of Parquet's list layouts). */
function checkSchema(file: string, metadata: FileMetaData): void {
  const root = parquetSchema(metadata);
  const child = (name: string) => root.children.find((c) => c.element.name === name);
  const id = child('id');
  if (!id) throw new SparkModelError(file, 'id', `missing (the file has ${root.children.map((c) => c.element.name).join(', ')})`);
  if (id.children.length || (id.element.type !== 'INT32' && id.element.type !== 'INT64')) throw new SparkModelError(file, 'id', `must be an int column, found ${id.element.type ?? 'a group'}`);
  const features = child('features');
  if (!features) throw new SparkModelError(file, 'features', `missing (the file has ${root.children.map((c) => c.element.name).join(', ')})`);
  let leaf = features;
  while (leaf.children.length === 1) leaf = leaf.children[0];
  const isList = features.children.length === 1 && leaf !== features && leaf.children.length === 0;
  if (!isList || (leaf.element.type !== 'FLOAT' && leaf.element.type !== 'DOUBLE')) {
    throw new SparkModelError(file, 'features', `must be array<float> (a Parquet LIST of FLOAT), found ${features.children.length ? `a group of ${leaf.element.type ?? 'groups'}` : features.element.type}`);
  }
}

interface Target {
  /** Ids as numbers while reading (1M strings and a Map of them cost seconds of GC). */
  idValues: Float64Array;
  factors: Float32Array;
  /** The table row of the part's first row. */
  at: number;
}

/** Throws for the first id that appears twice, naming both places. */
function checkUnique(ids: Float64Array, files: string[], starts: number[]): void {
  const sorted = ids.slice().sort();
  let dup = NaN;
  for (let k = 1; k < sorted.length && Number.isNaN(dup); k++) if (sorted[k] === sorted[k - 1]) dup = sorted[k];
  if (Number.isNaN(dup)) return;
  const first = ids.indexOf(dup);
  const second = ids.indexOf(dup, first + 1);
  const fileOf = (row: number) => starts.filter((s) => s <= row).length - 1;
  const [f1, f2] = [fileOf(first), fileOf(second)];
  throw new SparkModelError(files[f2], 'id', `id ${dup} (row ${second - starts[f2]}) appears twice${f1 === f2 ? ' in this file' : `; also in ${files[f1]}`}`);
}

/** Reads one part file's rows into the table from row `t.at`, a row group at a time; returns the next row. */
async function readPart(path: string, part: OpenParquet, rank: number, t: Target): Promise<number> {
  let groupStart = 0;
  let failure: Error | null = null;
  for (const group of part.metadata.row_groups) {
    const groupEnd = groupStart + Number(group.num_rows);
    await parquetRead({
      file: part.file,
      metadata: part.metadata,
      columns: ['id', 'features'],
      rowStart: groupStart,
      rowEnd: groupEnd,
      onChunk: ({ columnName, columnData, rowStart, rowEnd }) => {
        // hyparquet does not pass a callback's exception on: keep the first, throw it below.
        if (failure) return;
        const from = Math.max(rowStart, groupStart);
        const to = Math.min(rowEnd, groupEnd);
        try {
          for (let r = from; r < to; r++) {
            const value = columnData[r - rowStart];
            if (columnName === 'id') takeId(path, r, value, t);
            else takeFeatures(path, r, value, rank, t);
          }
        } catch (err) {
          failure = err as Error;
        }
      },
    });
    if (failure) throw failure;
    groupStart = groupEnd;
  }
  return t.at + groupStart;
}

function takeId(path: string, row: number, value: unknown, t: Target): void {
  const id = typeof value === 'bigint' ? Number(value) : value;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw new SparkModelError(path, 'id', `row ${row} holds ${String(value)}, not an integer id`);
  t.idValues[t.at + row] = id;
}

function takeFeatures(path: string, row: number, value: unknown, rank: number, t: Target): void {
  const v = value as ArrayLike<number> | null;
  if (v === null || v === undefined || typeof v.length !== 'number') throw new SparkModelError(path, 'features', `row ${row} is null`);
  if (v.length !== rank) throw new SparkModelError(path, 'features', `row ${row} has ${v.length} values; the model's rank is ${rank}`);
  const base = (t.at + row) * rank;
  for (let c = 0; c < rank; c++) {
    const x = v[c];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new SparkModelError(path, 'features', `row ${row}, value ${c} is ${String(x)}, not a finite number`);
    t.factors[base + c] = x;
  }
}
