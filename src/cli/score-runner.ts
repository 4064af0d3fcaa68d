// `wasmrec score`: top-k lists for a shard of users, streamed as `user,rank,item,score` lines
// with bounded memory — users are read, scored and written a block at a time — so that
// Spark's RDD.pipe, a Beam job or a serverless fan-out can run shards in parallel.

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createBackend, type BackendName } from '../backends/index.js';
import { forEachRow } from '../data/csv.js';
import { DataError } from '../data/errors.js';
import { loadModelFile } from '../io/node/model-file.js';
import { floatText } from '../io/vector-encode.js';
import type { Recommender } from '../models/recommender.js';
import { topK } from '../models/topk.js';
import { Int8Ranking, type ScoringDtype } from '../io/int8-ranking.js';
import type { CliIO } from './io.js';
import { csvCell } from './predict-runner.js';
import { outputSink, type Sink } from './output-sink.js';

/**
 * Most floats of one block's users × items scores (32 MB): bounds memory at any catalogue
 * size. Each block rebuilds the items' rows for the GEMM, so larger blocks pay that less
 * often: at 100k items, 41-user blocks scored 500 users in 1.57 s, 164-user blocks in 0.99 s.
 */
const MAX_BLOCK_FLOATS = 1 << 23;

export interface ScoreArgs {
  modelFile: string;
  usersFrom: string;
  k: number;
  excludeSeen?: boolean;
  /** Items with fewer training interactions are left out (default: the model's minSupport). */
  minSupport?: number;
  /** Users per block (default: as many as fit MAX_BLOCK_FLOATS scores). */
  block?: number;
  out?: string;
  backend: BackendName;
  /** int8: rank against an int8 copy of the item table (../models/int8-ranking.ts); default f32. */
  quantize?: ScoringDtype;
}

export interface ScoreSummary {
  users: number;
  unknown_users: number;
  lines: number;
  seconds: number;
  users_per_second: number;
  block: number;
  quantize: ScoringDtype;
  /** The reader closed stdout before the end. */
  stopped?: boolean;
}

/**
 * Scores every user of `args.usersFrom` and streams their lists to `args.out` (or stdout);
 * a file appears whole or not at all. Users the model does not know get the unknown user's list.
 */
export async function runScore(args: ScoreArgs, io: CliIO): Promise<ScoreSummary> {
  const { model } = await loadModelFile(args.modelFile, await createBackend(args.backend));
  const sink = await outputSink(args.out ?? '-', io);
  const started = performance.now();
  const block = args.block ?? Math.max(1, Math.floor(MAX_BLOCK_FLOATS / Math.max(1, model.nItems)));
  const quantize = args.quantize ?? 'f32';
  const summary: ScoreSummary = { users: 0, unknown_users: 0, lines: 0, seconds: 0, users_per_second: 0, block, quantize };
  let int8: Int8Ranking | null = null;
  try {
    int8 = quantize === 'int8' ? Int8Ranking.create(model, { minSupport: args.minSupport }) : null;
    const minSupport = args.minSupport ?? model.minSupport;
    const reused = int8 ? new Float32Array(block * model.nItems) : null;
    const scoreUsers = (users: Int32Array) => (int8 ? int8.rankingScores(users, reused!.subarray(0, users.length * model.nItems)) : model.rankingScores(users, minSupport));
    await sink.write('user,rank,item,score\n');
    let ids: string[] = [];
    for await (const id of userIds(args.usersFrom)) {
      ids.push(id);
      if (ids.length === block) {
        await scoreBlock(model, scoreUsers, ids, args, sink, summary);
        ids = [];
      }
    }
    if (ids.length) await scoreBlock(model, scoreUsers, ids, args, sink, summary);
    await sink.close();
  } catch (err) {
    await sink.abort();
    // A reader that stops early (`| head`) closes the pipe: the end of the job, not a failure.
    if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
    summary.stopped = true;
  } finally {
    int8?.dispose();
    model.dispose();
  }
  summary.seconds = (performance.now() - started) / 1000;
  summary.users_per_second = Math.round(summary.users / summary.seconds);
  io.err(`${summary.stopped ? 'stopped early (the reader closed the pipe): ' : ''}${model.kind}: ${summary.users} users (${summary.unknown_users} unknown to the model) × top ${args.k} of ${model.nItems} items (${quantize}) in ${summary.seconds.toFixed(2)} s (${summary.users_per_second} users/s, blocks of ${block})`);
  return summary;
}

async function scoreBlock(model: Recommender, scoreUsers: (users: Int32Array) => Float32Array, ids: string[], args: ScoreArgs, sink: Sink, summary: ScoreSummary): Promise<void> {
  const users = Int32Array.from(ids, (id) => model.indexes.userIndex.get(id));
  const nItems = model.nItems;
  const scores = scoreUsers(users);
  const mask = new Uint8Array(nItems);
  const itemIds = model.indexes.itemIndex.ids;
  const lines: string[] = [];
  for (let r = 0; r < users.length; r++) {
    const seen = args.excludeSeen ? model.seenItems(users[r]) : null;
    if (seen) for (const i of seen) mask[i] = 1;
    const top = topK(scores.subarray(r * nItems, (r + 1) * nItems), args.k, mask);
    if (seen) for (const i of seen) mask[i] = 0;
    const user = csvCell(ids[r]);
    for (let j = 0; j < top.indices.length; j++) lines.push(`${user},${j + 1},${csvCell(itemIds[top.indices[j]])},${floatText(top.scores[j])}`);
    if (users[r] < 0) summary.unknown_users++;
  }
  summary.users += users.length;
  summary.lines += lines.length;
  if (lines.length) await sink.write(lines.join('\n') + '\n');
}

/**
 * The ids of a users file, in order, read line by line: a CSV or TSV whose header names
 * `user` (other columns are ignored). Errors name the file, line and field.
 */
export async function* userIds(path: string): AsyncGenerator<string> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let column = -1;
  let sep = ',';
  let lineNo = 0;
  for await (const raw of lines) {
    lineNo++;
    const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (line.trim() === '') continue;
    if (column < 0) sep = line.includes('\t') ? '\t' : ',';
    // One line at a time through the CSV parser: quoted ids may hold the separator.
    let fields: string[] = [];
    forEachRow(line, sep, (f, _n, problem) => {
      if (problem) throw new DataError(path, lineNo, String(problem.field + 1), problem.problem);
      fields = f;
    });
    if (column < 0) {
      column = fields.map((f) => f.trim()).indexOf('user');
      if (column < 0) throw new DataError(path, lineNo, 'user', `the header must name a 'user' column, found ${JSON.stringify(line.slice(0, 60))}`);
      continue;
    }
    const id = (fields[column] ?? '').trim();
    if (id === '' || /[\u0000-\u001f]/.test(id)) throw new DataError(path, lineNo, 'user', 'empty id or control character');
    yield id;
  }
  if (column < 0) throw new DataError(path, 0, 'user', "empty file: expected a header naming 'user' and one user per line");
}
