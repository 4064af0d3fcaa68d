// `train --word-vectors tags=words.csv`: a text feature's token embeddings start from word
// vectors (Word2Vec from `wasmrec embed --what words`, or any tool's), optionally frozen.

import type { Dataset } from '../data/dataset.js';
import type { Interactions } from '../data/interactions.js';
import { readVectorFile } from '../io/node/vectors.js';
import { MODEL_OPTION_NAMES, type ModelKind } from '../models/factory.js';
import { FeaturePipeline } from '../preprocessing/pipeline.js';
import type { FeatureSpec } from '../preprocessing/spec.js';
import { textFeatureInit, type FeatureInit } from '../preprocessing/word-vectors.js';

/** Parses `feature=file`, reads the vectors and maps them onto the feature's rows; undefined without the flag. */
export async function wordVectorInit(
  flag: string | undefined,
  freeze: boolean,
  model: ModelKind,
  dataset: Dataset,
  train: Interactions,
  features: FeatureSpec | string,
  log: (line: string) => void,
): Promise<Record<string, FeatureInit> | undefined> {
  if (flag === undefined) {
    if (freeze) throw new Error('--freeze-word-vectors needs --word-vectors FEATURE=FILE');
    return undefined;
  }
  if (!MODEL_OPTION_NAMES[model].includes('featureInit')) throw new Error(`--word-vectors does not apply to --model ${model} (two-tower and mf-features take it)`);
  const m = /^([^=]+)=(.+)$/.exec(flag);
  if (!m) throw new Error(`--word-vectors expects FEATURE=FILE (e.g. tags=words.csv), got '${flag}'`);
  const [, feature, file] = m;
  const { ids, matrix } = await readVectorFile(file);
  const pipeline = FeaturePipeline.fit(dataset, train, features);
  const side = pipeline.spec.item.some((d) => d.type === 'text' && (d.name ?? d.column) === feature) ? 'item' : 'user';
  const { init, covered } = textFeatureInit(pipeline, side, feature, { words: ids, vectors: matrix.data, dim: matrix.cols }, freeze);
  log(`word vectors: ${ids.length} words of width ${matrix.cols} from ${file} start ${(100 * covered).toFixed(1)} % of ${side} feature ${feature}'s rows${freeze ? ' (frozen)' : ''}`);
  return { [feature]: init };
}
