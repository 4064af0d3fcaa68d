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
    const ids = new Array<string>(total);
    const factors = new Float32Array(total * rank);
    const firstFile = new Map<number, number>();
    let at = 0;
    for (let k = 0; k < files.length; k++) at = await readPart(files[k], opened[k], rank, { ids, factors, at, firstFile, fileIndex: k, files });
    return { ids, factors, files };
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
  ids: string[];
  factors: Float32Array;
  at: number;
  firstFile: Map<number, number>;
  fileIndex: number;
  files: string[];
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
  const seen = t.firstFile.get(id);
  if (seen !== undefined) throw new SparkModelError(path, 'id', `id ${id} (row ${row}) appears twice${seen === t.fileIndex ? ' in this file' : `; also in ${t.files[seen]}`}`);
  t.firstFile.set(id, t.fileIndex);
  t.ids[t.at + row] = String(id);
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
