// `wasmrec predict`: score (user, item) pairs of a CSV with a saved model, writing user,item,score.

import { readFile } from 'node:fs/promises';
import { createBackend, type BackendName } from '../backends/index.js';
import { detectDelimiter, forEachRow } from '../data/csv.js';
import type { EntityTable } from '../data/dataset.js';
import { DataError } from '../data/errors.js';
import { parseFeatureTable } from '../data/generic-csv.js';
import { ReportBuilder } from '../data/report.js';
import { decode, parseId } from '../data/text.js';
import { predictRawPairs } from '../models/raw-pairs.js';
import { loadModelFile, writeFileAtomic } from '../io/node/model-file.js';
import type { CliIO } from './io.js';

export interface PredictArgs {
  modelFile: string;
  pairs: string;
  out: string;
  userFeaturesFile?: string;
  itemFeaturesFile?: string;
  backend?: BackendName;
}

export interface PredictResult {
  out: string;
  pairs: number;
  /** Distinct ids of the pairs that are not in the model's indexes. */
  new_users: number;
  new_items: number;
}

/** Raw ids of a pairs file with a `user,item` header (other columns are ignored). */
export function parsePairs(text: string, file: string): { users: string[]; items: string[] } {
  const users: string[] = [];
  const items: string[] = [];
  let cols: { user: number; item: number } | null = null;
  const report = new ReportBuilder('throw');
  forEachRow(text, detectDelimiter(text), (fields, lineNo, problem) => {
    if (problem) throw new DataError(file, lineNo, String(problem.field + 1), problem.problem);
    if (!cols) {
      const names = fields.map((f) => f.trim().replace(/^\uFEFF/, ''));
      for (const need of ['user', 'item'] as const) {
        if (!names.includes(need)) throw new DataError(file, lineNo, need, `missing column '${need}' (the header must name user and item, found ${names.join(',')})`);
      }
      cols = { user: names.indexOf('user'), item: names.indexOf('item') };
      return;
    }
    for (const name of ['user', 'item'] as const) {
      if (fields.length <= cols[name]) throw new DataError(file, lineNo, name, 'missing field');
    }
    // parseId throws (the report's policy): empty ids and control characters are errors.
    users.push(parseId(fields[cols.user], file, lineNo, 'user', report)!);
    items.push(parseId(fields[cols.item], file, lineNo, 'item', report)!);
  });
  if (!cols) throw new DataError(file, 0, '', 'empty file: expected a header user,item and one pair per line');
  return { users, items };
}

/** A CSV cell, quoted when it holds a delimiter, quote or line break. */
export function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function featureFile(path: string | undefined): Promise<EntityTable | undefined> {
  return path === undefined ? undefined : parseFeatureTable(await readFile(path), { file: path });
}

/** Runs `wasmrec predict`; the output file appears whole or not at all. */
export async function runPredict(args: PredictArgs, io: CliIO): Promise<PredictResult> {
  const { model } = await loadModelFile(args.modelFile, await createBackend(args.backend ?? 'wasm'));
  const { text } = decode(await readFile(args.pairs), 'utf-8');
  const { users, items } = parsePairs(text, args.pairs);
  const extra = { user: await featureFile(args.userFeaturesFile), item: await featureFile(args.itemFeaturesFile) };
  const scores = predictRawPairs(model, users, items, extra);
  const lines = ['user,item,score'];
  for (let r = 0; r < scores.length; r++) lines.push(`${csvCell(users[r])},${csvCell(items[r])},${scores[r]}`);
  // '-' streams the scores to stdout (for pipes); a file is written whole or not at all.
  if (args.out === '-') io.out(lines.join('\n'));
  else await writeFileAtomic(args.out, `${lines.join('\n')}\n`);
  const newIds = (ids: string[], has: (id: string) => boolean) => new Set(ids.filter((id) => !has(id))).size;
  const result: PredictResult = {
    out: args.out,
    pairs: scores.length,
    new_users: newIds(users, (id) => model.indexes.userIndex.has(id)),
    new_items: newIds(items, (id) => model.indexes.itemIndex.has(id)),
  };
  io.err(`${model.kind}: wrote ${result.pairs} scores to ${args.out === '-' ? 'stdout' : args.out} (${result.new_users} users and ${result.new_items} items not in the model, scored from their features)`);
  model.dispose();
  return result;
}
