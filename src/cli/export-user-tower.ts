// `wasmrec export --what user-tower`: a two-tower's user tower alone, as the small
// safetensors file that request-time serving loads (loadUserTower), beside the item vectors
// exported for a nearest-neighbour index.

import { stat } from 'node:fs/promises';
import { createBackend, type BackendName } from '../backends/index.js';
import { loadModelFile, writeFileAtomic } from '../io/node/model-file.js';
import { loadUserTower, serializeUserTower } from '../io/user-tower-file.js';
import type { CliIO } from './io.js';

/** The options of `wasmrec export` as they reach the user tower (./export-runner.ts has them all). */
export interface UserTowerExportArgs {
  modelFile: string;
  what: string;
  format?: string;
  out?: string;
  ids?: string;
  quantize: string;
  bias: boolean;
  backend: BackendName;
  json?: boolean;
}

/** What `--json` prints for the user tower. */
export interface UserTowerSummary {
  what: string;
  format: 'safetensors';
  dtype: 'f32';
  /** Users the tower knows by id. */
  rows: number;
  dim: number;
  out: string;
  bytes: number;
  /** The model file's size, for comparison. */
  model_bytes: number;
}

/** The options of `export` that shape vector tables, refused for the user tower with the reason. */
function refuseTableOptions(args: UserTowerExportArgs): void {
  const refuse = (flag: string) => {
    throw new Error(`${flag} applies to --what item-vectors and user-vectors; --what user-tower writes one safetensors file (f32, the tower's own layers), so leave ${flag.split(' ')[0]} out`);
  };
  if (args.format !== undefined) refuse(`--format ${args.format}`);
  if (args.quantize !== 'f32') refuse(`--quantize ${args.quantize}`);
  if (!args.bias) refuse('--no-bias');
  if (args.ids !== undefined) refuse('--ids');
  if (args.out === undefined || args.out === '-') throw new Error('--what user-tower writes binary: give --out FILE');
}

/** Writes the user tower file; returns what was written. */
export async function runUserTowerExport(args: UserTowerExportArgs, io: CliIO): Promise<UserTowerSummary> {
  refuseTableOptions(args);
  const out = args.out!;
  const { model } = await loadModelFile(args.modelFile, await createBackend(args.backend));
  try {
    const bytes = serializeUserTower(model);
    await writeFileAtomic(out, bytes);
    const modelBytes = (await stat(args.modelFile)).size;
    // Loading what was written checks it as a server will, and gives the vectors' width.
    const tower = loadUserTower(bytes, { source: out });
    const dim = tower.dim;
    tower.dispose();
    const summary: UserTowerSummary = { what: args.what, format: 'safetensors', dtype: 'f32', rows: model.nUsers, dim, out, bytes: bytes.length, model_bytes: modelBytes };
    io.err(`${model.kind}: the user tower of ${summary.rows} users (${bytes.length} bytes; the model file has ${modelBytes}) to ${out}; load it with loadUserTower`);
    if (args.json) io.out(JSON.stringify(summary));
    return summary;
  } finally {
    model.dispose();
  }
}
