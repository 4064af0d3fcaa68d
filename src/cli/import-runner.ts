// `wasmrec import spark-als`: a Spark ALSModel folder → a wasmrec MF model file that predicts
// Spark's dot products (plus μ when given), and serves, exports and scores like any model.

import { createBackend } from '../backends/index.js';
import { mfFromFactors } from '../io/factor-model.js';
import { saveModel } from '../io/node/model-file.js';
import { readSparkAls } from '../io/node/spark-als.js';
import type { CliIO } from './io.js';

export interface ImportSparkArgs {
  dir: string;
  out: string;
  globalMean?: number;
  json?: boolean;
}

export interface ImportSummary {
  source: string;
  rank: number;
  users: number;
  items: number;
  global_mean: number;
  read_seconds: number;
  out: string;
}

/** Reads the ALS folder, builds the MF model and saves it (whole or not at all). */
export async function runImportSpark(args: ImportSparkArgs, io: CliIO): Promise<ImportSummary> {
  const started = performance.now();
  const als = await readSparkAls(args.dir);
  const readSeconds = (performance.now() - started) / 1000;
  // The js backend: building the tables needs no kernels, and the file is the same on either.
  const model = mfFromFactors(await createBackend('js'), {
    userIds: als.users.ids, userFactors: als.users.factors,
    itemIds: als.items.ids, itemFactors: als.items.factors,
    factors: als.rank, globalMean: args.globalMean ?? 0,
  });
  try {
    const source = { format: 'spark-als', class: als.metadata.class, sparkVersion: als.metadata.sparkVersion ?? null, uid: als.metadata.uid ?? null, paramMap: als.metadata.paramMap ?? null };
    await saveModel(args.out, model, { pipeline: null, itemTitles: null, info: { importedFrom: source } });
  } finally {
    model.dispose();
  }
  const summary: ImportSummary = { source: args.dir, rank: als.rank, users: als.users.ids.length, items: als.items.ids.length, global_mean: args.globalMean ?? 0, read_seconds: Number(readSeconds.toFixed(3)), out: args.out };
  io.err(`spark-als: ${summary.users} users and ${summary.items} items × rank ${summary.rank} from ${als.users.files.length + als.items.files.length} Parquet files in ${readSeconds.toFixed(2)} s; wrote ${args.out} (mf, no biases, μ = ${summary.global_mean})`);
  if (args.json) io.out(JSON.stringify(summary));
  return summary;
}
