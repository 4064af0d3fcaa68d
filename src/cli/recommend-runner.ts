// `wasmrec recommend`: the top k items for a known user or for a new user described by features.

import { createBackend, type BackendName } from '../backends/index.js';
import { loadModelFile } from '../io/node/model-file.js';
import type { RawRow, RawValue } from '../preprocessing/derive.js';
import type { Recommendation, RecommendationBasis } from '../models/recommendations.js';
import type { CliIO } from './io.js';
import { formatTable } from './table.js';
import { SequenceModel } from '../models/sequence-model.js';

export interface RecommendArgs {
  modelFile: string;
  user?: string;
  /** `age=25,gender=F,occupation=student`; `a|b` gives a list (e.g. genres). */
  userFeatures?: string;
  /** An anonymous session: item ids, oldest first (sequence models). */
  history?: string;
  historyTimes?: string;
  k?: number;
  /** Leave out items with fewer training interactions (default: the model's, 5; 0 = none). */
  minSupport?: number;
  json?: boolean;
  backend?: BackendName;
}

/** The `--json` contract. */
export interface RecommendResult {
  model: string;
  user: string | null;
  user_features: RawRow | null;
  /** How the list was made: the user's own scores, their feature row, a session's history, or the unknown-user ranking. */
  basis: RecommendationBasis | 'history';
  /** --history: the given ids the model does not know (skipped). */
  unknown_items?: string[];
  k: number;
  /** score: what the list is ranked by; rating: a rating model's predicted rating; support: the item's training interactions. */
  items: { rank: number; item: string; title?: string; score: number; rating?: number; support: number }[];
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
  const given = [args.user, args.userFeatures, args.history].filter((x) => x !== undefined).length;
  if (given !== 1) throw new Error('recommend: give exactly one of --user <id>, --user-features <list> and --history <items>');
  const k = args.k ?? 10;
  const { model } = await loadModelFile(args.modelFile, await createBackend(args.backend ?? 'wasm'));
  const options = { minSupport: args.minSupport };
  let items: Recommendation[];
  let basis: RecommendationBasis | 'history';
  let features: RawRow | null = null;
  let unknownItems: string[] | undefined;
  if (args.history !== undefined) {
    if (!(model instanceof SequenceModel)) throw new Error(`recommend --history: a '${model.kind}' model knows users by id; a sequence model (--model youtube, sequence-two-tower, gru4rec, sasrec, bst) serves sessions`);
    const session = args.history.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const out = model.recommendForHistory(session, k, args.historyTimes === undefined ? null : sessionTimes(args.historyTimes, session.length));
    unknownItems = out.unknown;
    if (out.unknown.length > 0) io.err(`--history: ${out.unknown.length} item(s) the model does not know, skipped: ${out.unknown.join(', ')}`);
    if (out.unknown.length === session.length) io.err('--history: no known item: the list is what the model gives an empty history (its learned item prior)');
    items = out.items;
    basis = 'history';
  } else if (args.historyTimes !== undefined) {
    throw new Error('recommend: --history-times goes with --history');
  } else if (args.user !== undefined) {
    basis = model.recommendationBasis(args.user);
    if (basis === 'features') features = model.pipeline!.rawRow('user', args.user);
    if (basis === 'unknown user') io.err(`user ${args.user} is not in the model file: showing the unknown-user ranking (use --user-features to describe them)`);
    items = model.recommend(args.user, k, options);
  } else {
    features = parseFeatureList(args.userFeatures!);
    const known = model.pipeline ? Object.keys(model.pipeline.toJSON().user.table.columns) : [];
    const unknown = Object.keys(features).filter((name) => !known.includes(name));
    if (!model.pipeline) io.err(`${model.kind} uses no side features: every new user gets the unknown-user ranking`);
    else if (unknown.length > 0) throw new Error(`--user-features: unknown feature ${unknown.map((n) => `'${n}'`).join(', ')} (the model knows ${known.join(', ') || 'none'})`);
    items = model.recommendForFeatures(features, k, options);
    basis = model.pipeline ? 'features' : 'unknown user';
  }
  const support = model.itemSupport;
  const rows = items.map((it, r) => ({
    rank: r + 1, item: it.item, ...(it.title !== undefined ? { title: it.title } : {}), score: it.score,
    ...(it.rating !== undefined ? { rating: it.rating } : {}), support: support ? support[it.index] : 0,
  }));
  const result: RecommendResult = { model: model.kind, user: args.user ?? null, user_features: features, basis, k, items: rows, ...(unknownItems ? { unknown_items: unknownItems } : {}) };
  model.dispose();
  if (args.json) io.out(JSON.stringify(result));
  else {
    const titled = rows.some((r) => r.title !== undefined);
    const rated = rows.some((r) => r.rating !== undefined);
    const header = ['rank', 'item', ...(titled ? ['title'] : []), 'score', ...(rated ? ['predicted rating'] : []), 'training ratings'];
    io.out(formatTable([header, ...rows.map((r) => [r.rank, r.item, ...(titled ? [r.title ?? ''] : []), r.score, ...(rated ? [r.rating ?? ''] : []), r.support])]));
  }
  return result;
}

/** --history-times: one finite number (seconds) per session item. */
function sessionTimes(text: string, n: number): number[] {
  const parts = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length !== n) throw new Error(`--history-times: ${parts.length} time(s) for ${n} --history item(s)`);
  return parts.map((p, k) => {
    const t = Number(p);
    if (!Number.isFinite(t)) throw new Error(`--history-times: time ${k + 1} is not a number: '${p}'`);
    return t;
  });
}
