// What the two-tower's full-catalogue scoring needs from the items, whichever the users:
// computed once and kept by the model until its parameters change (\`recommend\` scores one
// user per call: redoing the item tower each time was most of its cost).

import type { Backend } from '../backends/index.js';
import type { Param } from '../training/param.js';
import { itemHalf } from './pair-head.js';
import { dotItemRows } from './score-all.js';
import type { TwoTowerNet } from './two-tower-net.js';

export interface ItemScoring {
  vectors: Float32Array;
  bias: Float32Array;
  /** \`dotItemRows\`: [v | 1 | b_i (+ prior) + μ], or without v for the mlp head. */
  dotRows: Float32Array;
  /** B = V·W_v, the items' half of the mlp head's first layer (null for the dot head). */
  hidden: Float32Array | null;
}

/**
 * The item tower's outputs (\`vectors\`, every item), b_i plus the popularity prior (\`biasRows\`
 * reads a bias table's rows as \`forward\` does), and B = V·W_v for a head; \`dot\`: whether the
 * score has the u·v term.
 */
export function itemScoringOf(be: Backend, n: TwoTowerNet, vectors: Float32Array, biasRows: (table: Param) => Float32Array, dot: boolean, mu: number): ItemScoring {
  const bias = biasRows(n.bi);
  if (n.prior) {
    const prior = biasRows(n.prior);
    for (let i = 0; i < bias.length; i++) bias[i] += prior[i];
  }
  const hidden = n.head ? itemHalf(be, n.head, vectors, n.user.tower.outDim) : null;
  const dotRows = dotItemRows({ itemVectors: vectors, itemBias: bias, dim: dot ? n.user.tower.outDim : 0, mu });
  return { vectors, bias, dotRows, hidden };
}
