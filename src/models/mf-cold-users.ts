// Users without training interactions whose features are known get MF factors from them: a
// ridge regression from the side features to the trained users' [p_u, b_u]
// (../preprocessing/feature-map.ts). Users of the data are mapped once after fit (their rows
// then count as known); the map itself is kept, and saved, for brand-new users at request
// time. Softmax MF so mapped ranks new users beyond popularity on AUC (docs/tuning.md, sixth
// round); the implicit ensemble joins it with the two-tower.

import type { EncodedSide } from '../preprocessing/encoded.js';
import { denseWidth, fitFactorMap, mapRow, MAX_FEATURE_WIDTH, sideWithout, type FactorMap } from '../preprocessing/feature-map.js';
import type { MFTables } from './mf-tables.js';
import { stateTensor, type ModelState, type StateTensor } from './state.js';

/** Ridge strength of the map: 10 and 100 measured alike (docs/tuning.md, sixth round). */
export const COLD_USERS_LAMBDA = 10;

/**
 * Where cold users' features come from: one row per user index (plus the unknown row),
 * without what a brand-new user lacks (rating statistics; see `sideWithout`).
 */
export interface ColdUsers {
  features: EncodedSide;
  lambda?: number;
}

/** What the map did: users given factors, users it was fitted on, and its in-sample R². */
export interface ColdUsersReport {
  mapped: number;
  fitted: number;
  r2: number;
}

/** The fitted map: the continuous columns it reads, its design width, and width × (K + 1) weights. */
export interface ColdUserMap {
  columns: string[];
  width: number;
  weights: Float32Array;
}

/**
 * Maps every user that training did not see onto factors and a bias, fitted on the seen
 * users' rows. Mapped users count as seen from then on.
 */
export function mapColdUsers(tables: MFTables, { features: side, lambda = COLD_USERS_LAMBDA }: ColdUsers): { report: ColdUsersReport; map: ColdUserMap | null } {
  const { nUsers, factors: K } = tables.shape;
  if (side.n !== nUsers + 1) throw new Error(`mf: the cold users' features have ${side.n - 1} user rows, the model ${nUsers} users`);
  const seen = tables.userSeen;
  const fitted: number[] = [];
  const cold: number[] = [];
  for (let u = 0; u < nUsers; u++) (seen[u] ? fitted : cold).push(u);
  if (fitted.length === 0) return { report: { mapped: 0, fitted: 0, r2: 0 }, map: null };
  // Targets: each seen user's factors and bias side by side (K + 1 wide).
  const P = tables.P.read();
  const bu = tables.bu.read();
  const targets = new Float32Array(fitted.length * (K + 1));
  fitted.forEach((u, r) => {
    targets.set(P.subarray(u * K, (u + 1) * K), r * (K + 1));
    targets[r * (K + 1) + K] = bu[u];
  });
  const fit = fitFactorMap(side, Int32Array.from(fitted), Int32Array.from(fitted.keys()), targets, K + 1, lambda);
  const row = new Float32Array(K + 1);
  for (const u of cold) {
    mapRow(side, u, fit, row, 0);
    P.set(row.subarray(0, K), u * K);
    bu[u] = row[K];
    seen[u] = 1;
  }
  tables.P.write(P);
  tables.bu.write(bu);
  const map = { columns: side.contNames.slice(), width: fit.width, weights: Float32Array.from(fit.weights) };
  return { report: { mapped: cold.length, fitted: fitted.length, r2: fit.r2 }, map };
}

/**
 * μ + b̂ + b_i + q_i·p̂ for every item, where [p̂, b̂] is row r of `side` (a pipeline's
 * encoding, rating statistics included or not) under the map.
 */
export function scoresFromMap(tables: MFTables, map: ColdUserMap, side: EncodedSide, r: number, globalMean: number): Float32Array {
  const K = tables.shape.factors;
  const missing = map.columns.filter((c) => !side.contNames.includes(c));
  if (missing.length > 0) throw new Error(`mf: the features lack the column(s) ${missing.join(', ')} that the cold users' map reads`);
  const own = sideWithout(side, side.contNames.flatMap((c, k) => (map.columns.includes(c) ? [] : [k])));
  if (denseWidth(own) !== map.width) throw new Error(`mf: the features encode to ${denseWidth(own)} columns, the cold users' map reads ${map.width}`);
  const fit: FactorMap = { width: map.width, weights: Float64Array.from(map.weights), factors: K + 1, r2: 0 };
  const user = new Float32Array(K + 1);
  mapRow(own, r, fit, user, 0);
  const Q = tables.Q.read();
  const bi = tables.bi.read();
  const n = tables.shape.nItems;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = globalMean + user[K] + bi[i];
    for (let k = 0; k < K; k++) s += Q[i * K + k] * user[k];
    out[i] = s;
  }
  return out;
}

/** The map's part of the saved state: its columns and width in the config, its weights as a tensor. */
export function coldUserMapState(map: ColdUserMap | null): { config: Record<string, unknown>; tensors: Record<string, StateTensor> } {
  if (!map) return { config: {}, tensors: {} };
  return { config: { coldUserColumns: map.columns, coldUserMapWidth: map.width }, tensors: { coldUserMap: map.weights.slice() } };
}

/** The saved map, or null when the state has none (checked as the model file's plan checks it). */
export function coldUserMapFromState(state: ModelState, factors: number): ColdUserMap | null {
  const width = state.config.coldUserMapWidth;
  if (width === undefined) return null;
  const columns = state.config.coldUserColumns;
  if (!(Number.isSafeInteger(width) && (width as number) >= 1 && (width as number) <= MAX_FEATURE_WIDTH)) throw new Error(`${state.kind}: coldUserMapWidth must be an integer in [1, ${MAX_FEATURE_WIDTH}], got ${String(width)}`);
  if (!(Array.isArray(columns) && columns.every((c) => typeof c === 'string'))) throw new Error(`${state.kind}: coldUserColumns must be a list of strings`);
  const weights = stateTensor(state, 'coldUserMap', Float32Array, (width as number) * (factors + 1));
  return { columns: columns.slice(), width: width as number, weights: weights.slice() };
}
