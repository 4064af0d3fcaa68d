// BST's options and measured defaults (./bst.ts).

import type { SequenceModelOptions } from './sequence-model.js';

export interface BstOptions extends Omit<SequenceModelOptions, 'historyDecay'> {
  /** Attention heads of the block; must divide the width (default 1). */
  heads?: number;
  /** Dropout on the embeddings and the block's two branches (default 0.2). */
  dropout?: number;
  /** Hidden widths of the MLP over [attended, candidate, product] (default [64]). */
  mlpLayers?: number[];
  /** Each history event's rating (bucketed, embedded) joins its token (default off: on u1 ratings it left validation RMSE at 0.965). */
  eventRatings?: boolean;
  /** Item vectors (tokens and candidates) from an item tower over the items' features and id, as sequence-two-tower's: new items get vectors (needs the features; default off). */
  itemFeatures?: boolean;
  /** The user's categorical features, embedded, join the MLP's input (./bst-user-input.ts; needs the features; default off). */
  demographics?: boolean;
}

/**
 * Defaults measured on ML-100K next-item (events ≥ 3, full ranking, HR@10 0.2015 at 30
 * epochs with 8 negatives, 0.181 with 4; README model zoo); negatives per positive are the
 * loss's. A rating (mse) model trains `ratingEpochs`: on u1 it overfits after 2–4.
 */
export const BST_DEFAULTS = { factors: 64, historyLength: 50, lr: 0.002, epochs: 30, ratingEpochs: 4, batchSize: 32, heads: 1, dropout: 0.2, mlpLayers: [64], negatives: 8 } as const;
