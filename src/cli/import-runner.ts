// `wasmrec import spark-als`: a Spark ALSModel folder → a wasmrec MF model file that predicts
// Spark's dot products (plus μ when given), and serves, exports and scores like any model;
// `wasmrec import two-tower`: a two-tower's tower outputs (safetensors by a convention) likewise;
// `wasmrec import two-tower-weights`: its weights → a wasmrec two-tower that cold-starts from features.

import { createBackend } from '../backends/index.js';
import { coldStartFromFeatures, type ColdStartSide } from '../io/factor-cold-start.js';
import { mfFromFactors } from '../io/factor-model.js';
import { readFile } from 'node:fs/promises';
import { ModelFileError } from '../io/model-file-error.js';
import { saveModel } from '../io/node/model-file.js';
import { readTowerVectors } from '../io/tower-vectors.js';
import { readTwoTowerWeights } from '../io/two-tower-weights.js';
import { twoTowerFromWeights } from '../io/two-tower-weights-model.js';
import { readSparkAls } from '../io/node/spark-als.js';
import { resolveData } from './data-source.js';
import type { CliIO } from './io.js';

export interface ImportSparkArgs {
  dir: string;
  out: string;
  globalMean?: number;
  /** A data set whose feature tables map ids Spark never saw into the factor space. */
  data?: string;
  /** Ridge strength of that map (default 1). */
  lambda?: number;
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
  /** With --data: ids added from features, the map's training ids and in-sample R². */
  cold_start?: { users: number; items: number; fitted_users: number; fitted_items: number; r2_users: number; r2_items: number; lambda: number };
}

/** Reads the ALS folder, builds the MF model and saves it (whole or not at all). */
export async function runImportSpark(args: ImportSparkArgs, io: CliIO): Promise<ImportSummary> {
  const started = performance.now();
  const als = await readSparkAls(args.dir);
  const readSeconds = (performance.now() - started) / 1000;
  let users = { ids: als.users.ids, factors: als.users.factors };
  let items = { ids: als.items.ids, factors: als.items.factors };
  let coldStart: ImportSummary['cold_start'];
  if (args.data) {
    const lambda = args.lambda ?? 1;
    const { dataset, description } = await resolveData({ data: args.data });
    const cold = coldStartFromFeatures(dataset, { users, items }, als.rank, lambda);
    users = appended(users, cold.user);
    items = appended(items, cold.item);
    coldStart = { users: cold.user.ids.length, items: cold.item.ids.length, fitted_users: cold.user.fitted, fitted_items: cold.item.fitted, r2_users: round(cold.user.map.r2), r2_items: round(cold.item.map.r2), lambda };
    io.err(`cold start from ${description}: ${coldStart.users} users and ${coldStart.items} items without Spark factors get vectors from their features (maps fitted on ${coldStart.fitted_users} users, R² ${coldStart.r2_users}; ${coldStart.fitted_items} items, R² ${coldStart.r2_items})`);
  }
  // The js backend: building the tables needs no kernels, and the file is the same on either.
  const model = mfFromFactors(await createBackend('js'), {
    userIds: users.ids, userFactors: users.factors,
    itemIds: items.ids, itemFactors: items.factors,
    factors: als.rank, globalMean: args.globalMean ?? 0,
  });
  try {
    const source = { format: 'spark-als', class: als.metadata.class, sparkVersion: als.metadata.sparkVersion ?? null, uid: als.metadata.uid ?? null, paramMap: als.metadata.paramMap ?? null };
    await saveModel(args.out, model, { pipeline: null, itemTitles: null, info: { importedFrom: source, ...(coldStart ? { coldStart } : {}) } });
  } finally {
    model.dispose();
  }
  const summary: ImportSummary = { source: args.dir, rank: als.rank, users: als.users.ids.length, items: als.items.ids.length, global_mean: args.globalMean ?? 0, read_seconds: Number(readSeconds.toFixed(3)), out: args.out, ...(coldStart ? { cold_start: coldStart } : {}) };
  io.err(`spark-als: ${summary.users} users and ${summary.items} items × rank ${summary.rank} from ${als.users.files.length + als.items.files.length} Parquet files in ${readSeconds.toFixed(2)} s; wrote ${args.out} (mf, no biases, μ = ${summary.global_mean})`);
  if (args.json) io.out(JSON.stringify(summary));
  return summary;
}

/**
 * `wasmrec import two-tower FILE`: the tower outputs (and biases) of a two-tower trained in
 * PyTorch or Keras → an MF model scoring μ + b_u + b_i + u·v, as the dot head does.
 */
export async function runImportTowers(args: { file: string; out: string; json?: boolean }, io: CliIO): Promise<{ users: number; items: number; dim: number; out: string }> {
  let tables;
  try {
    tables = readTowerVectors(new Uint8Array(await readFile(args.file)));
  } catch (err) {
    if (err instanceof ModelFileError) throw new ModelFileError(`${args.file}: ${err.message}`);
    throw err;
  }
  const model = mfFromFactors(await createBackend('js'), tables);
  try {
    await saveModel(args.out, model, { pipeline: null, itemTitles: null, info: { importedFrom: { format: 'two-tower-vectors', file: args.file } } });
  } finally {
    model.dispose();
  }
  const summary = { users: tables.userIds.length, items: tables.itemIds.length, dim: tables.factors, out: args.out };
  io.err(`two-tower: ${summary.users} user and ${summary.items} item vectors × ${summary.dim} from ${args.file}; wrote ${args.out} (mf, score = μ + b_u + b_i + u·v)`);
  if (args.json) io.out(JSON.stringify(summary));
  return summary;
}

/**
 * `wasmrec import two-tower-weights FILE`: a two-tower's weights (ids, feature embeddings,
 * Dense layers; docs/model-file.md) → a wasmrec two-tower with the dot head, whose towers
 * also score users and items the file never listed, from their features. Checked whole
 * before anything is written.
 */
export async function runImportTowerWeights(args: { file: string; out: string; json?: boolean }, io: CliIO): Promise<{ users: number; items: number; layers: number[]; features: { user: string[]; item: string[] }; out: string }> {
  let weights;
  try {
    weights = readTwoTowerWeights(new Uint8Array(await readFile(args.file)));
  } catch (err) {
    if (err instanceof ModelFileError) throw new ModelFileError(`${args.file}: ${err.message}`);
    throw err;
  }
  // The js backend: building the tables needs no fast kernels, and the file is the same on either.
  const model = twoTowerFromWeights(await createBackend('js'), weights);
  try {
    await saveModel(args.out, model, { itemTitles: null, info: { importedFrom: { format: 'two-tower-weights', file: args.file } } });
  } finally {
    model.dispose();
  }
  const names = (side: 'user' | 'item') => weights[side].features.map((f) => f.name);
  const summary = { users: weights.user.ids.length, items: weights.item.ids.length, layers: weights.user.dense.map((d) => d.outDim), features: { user: names('user'), item: names('item') }, out: args.out };
  io.err(`two-tower weights: ${summary.users} users, ${summary.items} items, Dense layers [${summary.layers}] (${weights.activation}), features user [${summary.features.user}] item [${summary.features.item}] from ${args.file}; wrote ${args.out} (two-tower, dot head)`);
  if (args.json) io.out(JSON.stringify(summary));
  return summary;
}

/** The imported side with the cold-start ids and vectors after it. */
function appended(side: { ids: string[]; factors: Float32Array }, cold: ColdStartSide): { ids: string[]; factors: Float32Array } {
  const factors = new Float32Array(side.factors.length + cold.vectors.length);
  factors.set(side.factors);
  factors.set(cold.vectors, side.factors.length);
  return { ids: [...side.ids, ...cold.ids], factors };
}

const round = (x: number) => Number(x.toFixed(4));
