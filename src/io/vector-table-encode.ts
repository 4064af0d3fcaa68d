// A (possibly quantised) vector table as text: JSON lines or CSV, one row per id, for loaders
// of vector indexes (pgvector COPY, Vectorize's NDJSON upload, FAISS via NumPy). The .npy
// form is `encodeNpy` (./vector-encode.ts). No Node API.
import { checkCsvIds, floatText } from './vector-encode.js';
import { fromHalfBits, type VectorTable } from './vector-quantize.js';

/** Row r's values as text: f32 with 9 significant digits, f16 as the half's exact decimal, int8 as integers. */
function rowTexts(t: VectorTable, r: number, out: string[], at: number): void {
  const { values, dim } = t;
  for (let c = 0; c < dim; c++) {
    const v = values[r * dim + c];
    out[at + c] = t.dtype === 'int8' ? String(v) : floatText(t.dtype === 'f16' ? fromHalfBits(v) : v);
  }
}

/**
 * One JSON object per line: `{"id":"242","vector":[…]}`, plus `"scale"` for int8 rows
 * (value = scale × integer).
 *
 * @example
 * encodeTableJsonl(quantizeTable(['a'], Float32Array.of(0.5, 1), 2, 'f32')); // '{"id":"a","vector":[0.5,1]}\n'
 */
export function encodeTableJsonl(t: VectorTable): string {
  const lines: string[] = [];
  const texts: string[] = new Array(t.dim);
  for (let r = 0; r < t.ids.length; r++) {
    rowTexts(t, r, texts, 0);
    const scale = t.scales ? `,"scale":${floatText(t.scales[r])}` : '';
    lines.push(`{"id":${JSON.stringify(t.ids[r])},"vector":[${texts.join(',')}]${scale}}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

/**
 * `id,name[0],…,name[d-1]` (and `scale` for int8), one row per id: the same columns as
 * `encodeVectorCsv`, so an f32 export also reads back as a `vector` feature table.
 *
 * @example
 * encodeTableCsv(table, 'item'); // 'id,item[0],item[1],scale\n242,-12,127,0.0031\n…'
 */
export function encodeTableCsv(t: VectorTable, name: string): string {
  checkCsvIds(t.ids);
  const header = ['id', ...Array.from({ length: t.dim }, (_, k) => `${name}[${k}]`), ...(t.scales ? ['scale'] : [])];
  const lines = [header.join(',')];
  const row: string[] = new Array(header.length);
  for (let r = 0; r < t.ids.length; r++) {
    row[0] = t.ids[r];
    rowTexts(t, r, row, 1);
    if (t.scales) row[t.dim + 1] = floatText(t.scales[r]);
    lines.push(row.join(','));
  }
  return lines.join('\n') + '\n';
}
