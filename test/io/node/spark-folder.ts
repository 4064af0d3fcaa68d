// Writes folders laid out as Spark's ALSModel.save does (metadata/part-00000, userFactors/ and
// itemFactors/ with snappy Parquet part files of `id` int and `features` array<float>), with
// hyparquet-writer — an independent writer — for the import tests.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { Rng } from '../../../src/random.js';

export interface SideSpec {
  ids: number[];
  /** One array per id (ragged on purpose in some tests). */
  features: number[][];
  /** Rows per part file (default: all in one). */
  perFile?: number;
}

/** Spark's schema for ALS factors: `id` INT32, `features` as a standard 3-level LIST of FLOAT. */
function sparkSchema(featureType = 'FLOAT', idName = 'id') {
  return [
    { name: 'spark_schema', num_children: 2 },
    { name: idName, type: 'INT32', repetition_type: 'REQUIRED' },
    { name: 'features', repetition_type: 'OPTIONAL', num_children: 1, converted_type: 'LIST' },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    { name: 'element', type: featureType, repetition_type: 'REQUIRED' },
  ];
}

export function writePart(path: string, ids: number[], features: number[][], options: { featureType?: string; idName?: string } = {}): void {
  const columnData = [{ name: options.idName ?? 'id', data: Int32Array.from(ids) }, { name: 'features', data: features }];
  writeFileSync(path, new Uint8Array(parquetWriteBuffer({ columnData, schema: sparkSchema(options.featureType, options.idName) as never, rowGroupSize: 20_000 })));
}

/** A whole ALSModel folder; returns its path. */
export function writeSparkFolder(dir: string, rank: number, users: SideSpec, items: SideSpec, metadata: Record<string, unknown> = {}): string {
  mkdirSync(join(dir, 'metadata'), { recursive: true });
  const meta = { class: 'org.apache.spark.ml.recommendation.ALSModel', timestamp: 1764800000000, sparkVersion: '3.5.1', uid: 'ALS_3f1c', paramMap: { userCol: 'user', itemCol: 'item', predictionCol: 'prediction', coldStartStrategy: 'nan', blockSize: 4096 }, defaultParamMap: {}, rank, ...metadata };
  writeFileSync(join(dir, 'metadata', 'part-00000'), `${JSON.stringify(meta)}\n`);
  writeFileSync(join(dir, 'metadata', '_SUCCESS'), '');
  for (const [name, side] of [['userFactors', users], ['itemFactors', items]] as const) {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, '_SUCCESS'), '');
    const per = side.perFile ?? Math.max(1, side.ids.length);
    for (let p = 0, k = 0; k < side.ids.length || p === 0; p++, k += per) {
      writePart(join(dir, name, `part-${String(p).padStart(5, '0')}-6b1e-c000.snappy.parquet`), side.ids.slice(k, k + per), side.features.slice(k, k + per));
    }
  }
  return dir;
}

/** `n` ids (spread out, not 0..n-1) with random float32 factors of width `rank`. */
export function randomSide(n: number, rank: number, seed: number, perFile?: number): SideSpec {
  const rng = new Rng(seed);
  const ids = Array.from({ length: n }, (_, k) => k * 7 + 3);
  const features = ids.map(() => Array.from({ length: rank }, () => Math.fround(rng.uniform() * 2 - 1)));
  return { ids, features, perFile };
}
