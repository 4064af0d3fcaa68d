// A vector table as Parquet (hyparquet-writer): `id` string, `vector` list<float | float16 |
// int8>, and `scale` float for int8 rows — the shape Spark, DuckDB, pandas and LanceDB read
// as an array column. Node side: the writer's package entry for Node pulls in `fs`.

import { parquetWriteBuffer } from 'hyparquet-writer';
import { fromHalfBits, type VectorTable } from '../vector-quantize.js';

/** Rows per row group: 100k rows of 64 floats is ≈ 25 MB per group before compression. */
const ROW_GROUP_ROWS = 100_000;

const ELEMENT = {
  f32: { type: 'FLOAT' },
  f16: { type: 'FIXED_LEN_BYTE_ARRAY', type_length: 2, logical_type: { type: 'FLOAT16' } },
  int8: { type: 'INT32', converted_type: 'INT_8' },
} as const;

/**
 * The table as a Parquet file's bytes (snappy-compressed, key-value metadata `wasmrec.*`).
 *
 * @example
 * await writeFileAtomic('items.parquet', encodeTableParquet(quantizeTable(ids, vectors, dim, 'int8')));
 */
export function encodeTableParquet(t: VectorTable, metadata: Record<string, string> = {}): Uint8Array {
  const rows: number[][] = new Array(t.ids.length);
  for (let r = 0; r < t.ids.length; r++) {
    const row = new Array<number>(t.dim);
    for (let c = 0; c < t.dim; c++) {
      const v = t.values[r * t.dim + c];
      row[c] = t.dtype === 'f16' ? fromHalfBits(v) : v;
    }
    rows[r] = row;
  }
  const columnData = [
    { name: 'id', data: [...t.ids] },
    { name: 'vector', data: rows },
    ...(t.scales ? [{ name: 'scale', data: t.scales }] : []),
  ];
  const schema = [
    { name: 'schema', num_children: columnData.length },
    { name: 'id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
    { name: 'vector', repetition_type: 'REQUIRED', num_children: 1, converted_type: 'LIST' },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    { name: 'element', repetition_type: 'REQUIRED', ...ELEMENT[t.dtype] },
    ...(t.scales ? [{ name: 'scale', type: 'FLOAT', repetition_type: 'REQUIRED' }] : []),
  ];
  const kvMetadata = Object.entries({ 'wasmrec.dtype': t.dtype, ...metadata }).map(([key, value]) => ({ key, value }));
  // The schema literals are the writer's SchemaElement; its typings want the enums' string unions.
  const buffer = parquetWriteBuffer({ columnData, schema: schema as never, rowGroupSize: ROW_GROUP_ROWS, kvMetadata });
  return new Uint8Array(buffer);
}
