// An MF model from factor tables trained elsewhere (Spark's ALS, a two-tower's tower outputs,
// any p_u, q_i pair): μ and biases as given (default none), every id seen, so that
// predict(u, i) = μ + b_u + b_i + p_u · q_i. No Node API.

import type { Backend } from '../backends/index.js';
import { IdIndex } from '../data/interactions.js';
import { MatrixFactorization } from '../models/mf.js';

export interface FactorTables {
  userIds: readonly string[];
  /** users × factors, row-major, in userIds order. */
  userFactors: Float32Array;
  itemIds: readonly string[];
  /** items × factors. */
  itemFactors: Float32Array;
  factors: number;
  /** μ added to every prediction (default 0: Spark's ALS predicts the bare dot product). */
  globalMean?: number;
  /** b_u and b_i, one per id (default: none, zeros). */
  userBias?: Float32Array;
  itemBias?: Float32Array;
}

/**
 * An MF model (kind 'mf', loss mse, no clipping: no training summary) holding the tables;
 * the unknown user's and item's rows (and biases) are zero, so ids the tables lack predict μ.
 *
 * @example
 * const model = mfFromFactors(backend, { userIds, userFactors, itemIds, itemFactors, factors: 10 });
 * await saveModel('als.wasmrec', model, { info: { source: 'spark-als' } });
 */
export function mfFromFactors(backend: Backend, t: FactorTables): MatrixFactorization {
  const K = t.factors;
  const userIndex = new IdIndex(t.userIds);
  const itemIndex = new IdIndex(t.itemIds);
  if (userIndex.size !== t.userIds.length || itemIndex.size !== t.itemIds.length) throw new Error('factor tables: an id is repeated');
  if (!(Number.isInteger(K) && K >= 1)) throw new Error(`factor tables: factors must be an integer ≥ 1, got ${K}`);
  for (const [name, ids, v] of [['user', t.userIds, t.userFactors], ['item', t.itemIds, t.itemFactors]] as const) {
    if (v.length !== ids.length * K) throw new Error(`factor tables: ${v.length} ${name} values for ${ids.length} ids × ${K} factors`);
    const bad = v.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw new Error(`factor tables: ${name} '${ids[Math.floor(bad / K)]}' has a value that is not finite`);
  }
  for (const [name, ids, b] of [['user', t.userIds, t.userBias], ['item', t.itemIds, t.itemBias]] as const) {
    if (b && (b.length !== ids.length || !b.every(Number.isFinite))) throw new Error(`factor tables: ${name} biases must be ${ids.length} finite numbers`);
  }
  const withUnknownRow = (v: Float32Array | undefined, n: number, width = K) => {
    const out = new Float32Array((n + 1) * width);
    if (!v) return out;
    out.set(v);
    return out;
  };
  const nu = t.userIds.length;
  const ni = t.itemIds.length;
  const model = new MatrixFactorization(backend, { userIndex, itemIndex }, { factors: K });
  model.loadState({
    kind: 'mf',
    config: { factors: K },
    globalMean: t.globalMean ?? 0,
    tensors: {
      userFactors: withUnknownRow(t.userFactors, nu),
      itemFactors: withUnknownRow(t.itemFactors, ni),
      userBias: withUnknownRow(t.userBias, nu, 1),
      itemBias: withUnknownRow(t.itemBias, ni, 1),
      userSeen: new Uint8Array(nu).fill(1),
      itemSeen: new Uint8Array(ni).fill(1),
    },
  });
  return model;
}
