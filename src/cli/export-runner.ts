// `wasmrec export`: a saved model's user or item vectors for a nearest-neighbour index
// (FAISS, ScaNN, pgvector, Vectorize), as .npy, Parquet, JSON lines or CSV, optionally as
// f16 or int8 with per-row scales; or a two-tower's user tower alone (./export-user-tower.ts).

import { createBackend, type BackendName } from '../backends/index.js';
import { servingVectors } from '../io/model-vectors.js';
import { loadModelFile, writeFileAtomic } from '../io/node/model-file.js';
import { encodeTableParquet } from '../io/node/parquet-vectors.js';
import { encodeIdLines, encodeNpy } from '../io/vector-encode.js';
import { quantizeTable, type VectorDtype, type VectorTable } from '../io/vector-quantize.js';
import { encodeTableCsv, encodeTableJsonl } from '../io/vector-table-encode.js';
import { idsPathOf } from './embed-runner.js';
import { runUserTowerExport, type UserTowerSummary } from './export-user-tower.js';
import type { CliIO } from './io.js';

export const EXPORT_TARGETS = ['item-vectors', 'user-vectors', 'user-tower'] as const;
export const EXPORT_FORMATS = ['npy', 'parquet', 'jsonl', 'csv'] as const;
export const QUANTIZE = ['f32', 'f16', 'int8'] as const;

export interface ExportArgs {
  modelFile: string;
  what: (typeof EXPORT_TARGETS)[number];
  /** Required for item-vectors and user-vectors; refused for user-tower (one safetensors file). */
  format?: (typeof EXPORT_FORMATS)[number];
  /** Output file; '-' (the default for jsonl and csv) = stdout. */
  out?: string;
  /** npy: where the ids go (default: beside --out, `.ids.txt`). */
  ids?: string;
  quantize: VectorDtype;
  /** commander's --no-bias: false drops the bias column. */
  bias: boolean;
  backend: BackendName;
  json?: boolean;
}

export interface ExportSummary {
  what: string;
  format: string;
  dtype: VectorDtype;
  rows: number;
  dim: number;
  bias_column: boolean;
  out: string;
  ids: string | null;
  scales: string | null;
  bytes: number;
}

/** Exports the vectors; returns what was written. */
export async function runExport(args: ExportArgs, io: CliIO): Promise<ExportSummary | UserTowerSummary> {
  if (args.what === 'user-tower') return runUserTowerExport(args, io);
  const format = args.format;
  if (format === undefined) throw new Error(`--what ${args.what} needs --format (${EXPORT_FORMATS.join(' | ')})`);
  const out = args.out ?? '-';
  if (out === '-' && (format === 'npy' || format === 'parquet')) throw new Error(`--format ${format} writes binary: give --out FILE`);
  const { model } = await loadModelFile(args.modelFile, await createBackend(args.backend));
  try {
    const side = args.what === 'user-vectors' ? 'users' : 'items';
    const v = servingVectors(model, side, { bias: args.bias });
    const table = quantizeTable(v.ids, v.vectors, v.dim, args.quantize);
    const name = side === 'users' ? 'user' : 'item';
    const summary: ExportSummary = { what: args.what, format, dtype: args.quantize, rows: v.ids.length, dim: v.dim, bias_column: v.biasColumn, out, ids: null, scales: null, bytes: 0 };
    summary.bytes = await writeTable(table, args, out, name, summary, model.kind, io);
    const where = out === '-' ? 'stdout' : out;
    io.err(`${model.kind}: ${summary.rows} ${side} × ${summary.dim} (${args.quantize}${v.biasColumn ? `, last column ${side === 'users' ? '1' : 'the item bias'}` : ''}) to ${where}${summary.ids ? `, ids in ${summary.ids}` : ''}${summary.scales ? `, scales in ${summary.scales}` : ''}`);
    if (args.json) io.out(JSON.stringify(summary));
    return summary;
  } finally {
    model.dispose();
  }
}

async function writeTable(t: VectorTable, args: ExportArgs, out: string, name: string, summary: ExportSummary, kind: string, io: CliIO): Promise<number> {
  if (args.format === 'jsonl' || args.format === 'csv') {
    const text = args.format === 'jsonl' ? encodeTableJsonl(t) : encodeTableCsv(t, name);
    if (out === '-') io.out(text.trimEnd());
    else await writeFileAtomic(out, text);
    return text.length;
  }
  if (args.format === 'parquet') {
    const bytes = encodeTableParquet(t, { 'wasmrec.model_kind': kind, 'wasmrec.what': args.what, 'wasmrec.bias_column': String(args.bias) });
    await writeFileAtomic(out, bytes);
    return bytes.length;
  }
  // .npy holds numbers only: ids (and int8 scales) go beside it; ids first, so the vectors never appear without them.
  summary.ids = args.ids ?? idsPathOf(out);
  await writeFileAtomic(summary.ids, encodeIdLines(t.ids));
  if (t.scales) {
    summary.scales = `${out.replace(/\.npy$/i, '')}.scales.npy`;
    await writeFileAtomic(summary.scales, encodeNpy(t.scales, t.ids.length, 1));
  }
  const bytes = encodeNpy(t.values, t.ids.length, t.dim);
  await writeFileAtomic(out, bytes);
  return bytes.length;
}
