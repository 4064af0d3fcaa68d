// Building a model by name: what the CLI and the grid search use.

import type { Backend } from '../backends/index.js';
import { MatrixFactorization, type MFOptions } from './mf.js';
import type { ModelIndexes, Recommender } from './recommender.js';

export type ModelKind = 'mf';
export const MODEL_KINDS: readonly ModelKind[] = ['mf'];

export interface ModelOptions extends MFOptions {}

/**
 * Creates an untrained model of the given kind over a data set's indexes.
 *
 * @example
 * const model = createModel('mf', backend, dataset, { factors: 64 });
 */
export function createModel(kind: ModelKind, backend: Backend, indexes: ModelIndexes, options: ModelOptions = {}): Recommender {
  switch (kind) {
    case 'mf':
      return new MatrixFactorization(backend, indexes, options);
    default:
      throw new Error(`unknown model '${String(kind)}' (expected ${MODEL_KINDS.join(', ')})`);
  }
}
