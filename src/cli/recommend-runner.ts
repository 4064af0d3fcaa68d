// `wasmrec recommend`: the top k items for a known user or for a new user described by features.

import { createBackend, type BackendName } from '../backends/index.js';
import { loadModelFile } from '../io/node/model-file.js';
import type { RawRow, RawValue } from '../preprocessing/derive.js';
import type { Ranked } from '../models/topk.js';
import type { CliIO } from './io.js';
import { formatTable } from './table.js';

export interface RecommendArgs {
  modelFile: string;
  user?: string;
  /** `age=25,gender=F,occupation=student`; `a|b` gives a list (e.g. genres). */
  userFeatures?: string;
  k?: number;
  json?: boolean;
  backend?: BackendName;
}

/** The `--json` contract. */
export interface RecommendResult {
  model: string;
  user: string | null;
  user_features: RawRow | null;
  /** How the list was made: the user's own scores, their feature row, or the unknown-user ranking. */
  basis: 'known user' | 'features' | 'unknown user';
  k: number;
  items: { rank: number; item: string; title?: string; score: number }[];
}

/** Parses `name=value,…`: numbers become numbers, `a|b` a list, empty a missing value. */
export function parseFeatureList(text: string): RawRow {
  const row: RawRow = {};
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const key = eq > 0 ? part.slice(0, eq).trim() : '';
    if (!key) throw new Error(`--user-features: expected name=value pairs separated by commas, got '${part}'`);
    const raw = part.slice(eq + 1).trim();
    let value: RawValue = raw;
    if (raw === '') value = null;
    else if (raw.includes('|')) value = raw.split('|').map((s) => s.trim()).filter((s) => s !== '');
    else if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw)) value = Number(raw);
    row[key] = value;
  }
  return row;
}

export async function runRecommend(args: RecommendArgs, io: CliIO): Promise<RecommendResult> {
  if ((args.user === undefined) === (args.userFeatures === undefined)) throw new Error('recommend: give exactly one of --user <id> and --user-features <list>');
  const k = args.k ?? 10;
  const { model, itemTitles } = await loadModelFile(args.modelFile, await createBackend(args.backend ?? 'wasm'));
  const table = model.pipeline?.toJSON().user.table ?? null;
  let ranked: Ranked;
  let basis: RecommendResult['basis'];
  let features: RawRow | null = null;
  if (args.user !== undefined) {
    const u = model.indexes.userIndex.get(args.user);
    const row = table ? table.ids.indexOf(args.user) : -1;
    if (u >= 0) {
      ranked = model.recommend(u, k);
      basis = 'known user';
    } else if (row >= 0) {
      // A user with a feature row but no ratings in the data: a cold start from that row.
      features = Object.fromEntries(Object.entries(table!.columns).map(([name, col]) => [name, col.values[row] ?? null]));
      ranked = model.recommendForFeatures(features, k);
      basis = 'features';
    } else {
      io.err(`user ${args.user} is not in the model file: showing the unknown-user ranking (use --user-features to describe them)`);
      ranked = model.recommend(-1, k);
      basis = 'unknown user';
    }
  } else {
    features = parseFeatureList(args.userFeatures!);
    const known = table ? Object.keys(table.columns) : [];
    const unknown = Object.keys(features).filter((name) => !known.includes(name));
    if (!model.pipeline) io.err(`${model.kind} uses no side features: every new user gets the unknown-user ranking`);
    else if (unknown.length > 0) throw new Error(`--user-features: unknown feature ${unknown.map((n) => `'${n}'`).join(', ')} (the model knows ${known.join(', ') || 'none'})`);
    ranked = model.recommendForFeatures(features, k);
    basis = model.pipeline ? 'features' : 'unknown user';
  }
  const items = Array.from(ranked.indices, (i, r) => {
    const id = model.indexes.itemIndex.ids[i];
    const title = itemTitles?.[id];
    return { rank: r + 1, item: id, ...(title !== undefined ? { title } : {}), score: ranked.scores[r] };
  });
  const result: RecommendResult = { model: model.kind, user: args.user ?? null, user_features: features, basis, k, items };
  model.dispose();
  if (args.json) io.out(JSON.stringify(result));
  else {
    const header = itemTitles ? ['rank', 'item', 'title', 'score'] : ['rank', 'item', 'score'];
    io.out(formatTable([header, ...items.map((it) => (itemTitles ? [it.rank, it.item, it.title ?? '', it.score] : [it.rank, it.item, it.score]))]));
  }
  return result;
}
