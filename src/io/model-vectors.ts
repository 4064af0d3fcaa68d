// The vectors a trained model scores with, for nearest-neighbour indexes: for models whose
// score is μ + b_u + b_i + u·v (MF and the kinds served as MF tables: svdpp, lightgcn,
// youtube, sequence-two-tower, gru4rec, sasrec; the two-tower with the dot head), user rows [u | 1] and item rows [v | b_i], whose
// inner product is the model's score less μ + b_u, so a user's ranking is the model's.

import { BST } from '../models/bst.js';
import { MatrixFactorization } from '../models/mf.js';
import type { Recommender } from '../models/recommender.js';
import { TwoTower } from '../models/two-tower.js';

export type VectorSide = 'users' | 'items';

export interface ServingVectors {
  ids: string[];
  vectors: Float32Array;
  dim: number;
  /** Whether the last column is the bias column (1 for users, b_i for items). */
  biasColumn: boolean;
}

/**
 * Every user's or item's serving vector, in id order. With `bias` (default true) a last
 * column carries the item bias (a 1 for users), so that inner products rank as the model.
 * Throws for models that do not score by a dot product (baselines, LinearRS, ensembles, the
 * two-tower's mlp and both heads), naming what can be exported instead.
 *
 * @example
 * const { ids, vectors, dim } = servingVectors(model, 'items');
 */
export function servingVectors(model: Recommender, side: VectorSide, options: { bias?: boolean } = {}): ServingVectors {
  const bias = options.bias ?? true;
  const n = side === 'users' ? model.nUsers : model.nItems;
  const ids = [...(side === 'users' ? model.indexes.userIndex : model.indexes.itemIndex).ids];
  const parts = dotParts(model, side, n);
  const dim = parts.dim + (bias ? 1 : 0);
  const vectors = new Float32Array(n * dim);
  for (let r = 0; r < n; r++) {
    vectors.set(parts.vectors.subarray(r * parts.dim, (r + 1) * parts.dim), r * dim);
    if (bias) vectors[r * dim + parts.dim] = side === 'users' ? 1 : parts.bias[r];
  }
  return { ids, vectors, dim, biasColumn: bias };
}

function dotParts(model: Recommender, side: VectorSide, n: number): { vectors: Float32Array; bias: Float32Array; dim: number } {
  if (model instanceof MatrixFactorization && !(model instanceof BST)) {
    const w = model.weights();
    const t = model.saveState().tensors;
    const K = model.factors;
    const [table, biases, seen] = side === 'users' ? [w.userFactors, w.userBias, t.userSeen] : [w.itemFactors, w.itemBias, t.itemSeen];
    // An id without training interactions is scored through the unknown row (the last), as predict does.
    const vectors = new Float32Array(n * K);
    const bias = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      const row = seen[r] ? r : n;
      vectors.set(table.subarray(row * K, (row + 1) * K), r * K);
      bias[r] = biases[row];
    }
    return { vectors, bias, dim: K };
  }
  if (model instanceof TwoTower && model.config.head === 'dot') {
    return model.dotServingVectors(side === 'users' ? 'user' : 'item', Int32Array.from({ length: n }, (_, r) => r));
  }
  const what = model instanceof TwoTower ? `a two-tower with the '${model.config.head}' head scores pairs through an MLP` : model instanceof BST ? 'a bst model scores each (history, candidate) pair through target attention and an MLP' : `a '${model.kind}' model does not score by a dot product of user and item vectors`;
  throw new Error(`export: ${what}; vectors can be exported from mf, svdpp, lightgcn, the sequence models (youtube, sequence-two-tower, gru4rec, sasrec) and two-tower models with the dot head`);
}
