// Pretrained word vectors (Word2Vec trained here or elsewhere) as the starting values of a
// text feature's token embeddings: each row is the mean of the vectors of the words that map
// to it (a hash bucket may hold several words; a vocabulary row holds one).

import type { FeaturePipeline } from './pipeline.js';
import type { Side } from './spec.js';
import { tokenize } from './text-tokens.js';

/** Word vectors: row k of `vectors` (rows × dim, row-major) belongs to `words[k]`. */
export interface WordVectors {
  words: readonly string[];
  vectors: Float32Array;
  dim: number;
}

/** Starting values of a feature's embedding table, and whether training may change them. */
export interface FeatureInit {
  /** cardinality × dim, row-major. */
  values: Float32Array;
  /** Keep the rows as given (default false: fine-tune them). */
  freeze?: boolean;
}

/**
 * The init of text feature `feature` from word vectors, with the share of the table's rows
 * that got one (the rest start at zero). Words are normalised as the tokenizer does (lower
 * case, NFKC), so vectors trained on raw text line up with the feature's tokens.
 *
 * @example
 * const init = textFeatureInit(pipeline, 'item', 'tags', words);
 * buildModel('two-tower', be, dataset, train, { featureInit: { tags: init.init } }, pipeline.spec);
 */
export function textFeatureInit(pipeline: FeaturePipeline, side: Side, feature: string, words: WordVectors, freeze = false): { init: FeatureInit; covered: number } {
  const { dim, vectors } = words;
  if (!(Number.isInteger(dim) && dim >= 1) || vectors.length !== words.words.length * dim) {
    throw new Error(`textFeatureInit: ${words.words.length} words need ${words.words.length} × ${dim} values, got ${vectors.length}`);
  }
  const tokens = words.words.map((w) => tokenize(w, { bigrams: false }).join(' '));
  const { codes, cardinality } = pipeline.textTokenCodes(side, feature, tokens);
  const values = new Float32Array(cardinality * dim);
  const counts = new Float32Array(cardinality);
  codes.forEach((code, k) => {
    if (code === 0 || tokens[k] === '') return;
    counts[code]++;
    for (let c = 0; c < dim; c++) values[code * dim + c] += vectors[k * dim + c];
  });
  let covered = 0;
  for (let r = 0; r < cardinality; r++) {
    if (counts[r] === 0) continue;
    covered++;
    for (let c = 0; c < dim; c++) values[r * dim + c] /= counts[r];
  }
  return { init: { values, freeze }, covered: covered / cardinality };
}
