// The names of every option each model kind takes, kept in step with the option types by
// the compiler (a name missing here, or one no type has, fails to compile), so that options
// can be checked at run time: from JavaScript, the CLI and grid search.

import type { BaselineOptions } from './baselines.js';
import type { FeatureModelOptions } from './feature-model-options.js';
import type { LinearRSOptions } from './linear.js';
import type { MFOptions } from './mf.js';
import type { SvdppOptions } from './svdpp.js';
import type { LightGCNOptions } from './lightgcn.js';
import type { YouTubeOptions } from './youtube.js';
import type { SequenceTwoTowerOptions } from './sequence-two-tower.js';
import type { Gru4RecOptions } from './gru4rec.js';
import type { SasrecOptions } from './sasrec.js';
import type { BstOptions } from './bst.js';
import type { PopularityOptions } from './popularity.js';
import type { TwoTowerOptions } from './two-tower-options.js';

export type ModelKind = 'mean' | 'user-mean' | 'item-mean' | 'popularity' | 'mf' | 'svdpp' | 'lightgcn' | 'youtube' | 'sequence-two-tower' | 'gru4rec' | 'sasrec' | 'bst' | 'mf-features' | 'linear' | 'two-tower' | 'ensemble';
export const MODEL_KINDS: readonly ModelKind[] = ['mean', 'user-mean', 'item-mean', 'popularity', 'mf', 'svdpp', 'lightgcn', 'youtube', 'sequence-two-tower', 'gru4rec', 'sasrec', 'bst', 'mf-features', 'linear', 'two-tower', 'ensemble'];
/** Kinds that only rank (trained on events or positives; no rating head): the CLI trains them as with --implicit. */
export const RANKING_ONLY_KINDS: readonly ModelKind[] = ['lightgcn', 'youtube', 'sequence-two-tower', 'gru4rec', 'sasrec'];

/** Every key of T, listed: the compiler refuses a list that misses one or names another. */
type AllKeys<T> = readonly (keyof T)[];
function keysOf<T>() {
  return <const L extends AllKeys<T>>(list: L & ([Exclude<keyof T, L[number]>] extends [never] ? unknown : { missing: Exclude<keyof T, L[number]> })): readonly string[] => list as readonly string[];
}

const FEATURE_MODEL = keysOf<FeatureModelOptions>()(['maxBatch', 'idDropout', 'userIdDropout', 'itemIdDropout', 'coldColumns', 'stepPrograms']);
const TWO_TOWER = keysOf<TwoTowerOptions>()([
  ...(FEATURE_MODEL as readonly (keyof FeatureModelOptions)[]),
  'idDim', 'featureDim', 'towerLayers', 'headLayers', 'head', 'activation', 'dropout', 'sideFeatures', 'regId', 'regFeatures', 'regHistory', 'regDense', 'regBias', 'popularityPrior', 'featureInit',
]);

/** The option names of each kind (`buildModel` refuses any other). */
export const MODEL_OPTION_NAMES: Record<ModelKind, readonly string[]> = {
  mean: keysOf<BaselineOptions>()(['minCount']),
  'user-mean': keysOf<BaselineOptions>()(['minCount']),
  'item-mean': keysOf<BaselineOptions>()(['minCount']),
  popularity: keysOf<PopularityOptions>()(['minRating']),
  mf: keysOf<MFOptions>()(['factors', 'initStd', 'regFactors', 'regBias', 'stepPrograms']),
  svdpp: keysOf<SvdppOptions>()(['factors', 'initStd', 'regFactors', 'regBias', 'stepPrograms', 'history', 'userGraph', 'regImplicit', 'trustWeight']),
  lightgcn: keysOf<LightGCNOptions>()(['factors', 'initStd', 'regFactors', 'regBias', 'stepPrograms', 'layers']),
  youtube: keysOf<YouTubeOptions>()(['factors', 'initStd', 'regFactors', 'regBias', 'stepPrograms', 'historyLength', 'timeGaps', 'historyDecay', 'demographics', 'exampleAge']),
  'sequence-two-tower': keysOf<SequenceTwoTowerOptions>()(['factors', 'initStd', 'regFactors', 'regBias', 'stepPrograms', 'historyLength', 'timeGaps', 'historyDecay', 'itemIdDim', 'itemIdDropout', 'regItem', 'encoder', 'dropout', 'blocks', 'heads']),
  gru4rec: keysOf<Gru4RecOptions>()(['factors', 'initStd', 'regFactors', 'regBias', 'stepPrograms', 'historyLength', 'dropout']),
  sasrec: keysOf<SasrecOptions>()(['factors', 'initStd', 'regFactors', 'regBias', 'stepPrograms', 'historyLength', 'blocks', 'heads', 'dropout']),
  bst: keysOf<BstOptions>()(['factors', 'initStd', 'regFactors', 'regBias', 'stepPrograms', 'historyLength', 'timeGaps', 'heads', 'dropout', 'mlpLayers', 'eventRatings', 'itemFeatures', 'demographics']),
  'mf-features': TWO_TOWER,
  linear: keysOf<LinearRSOptions>()([...(FEATURE_MODEL as readonly (keyof FeatureModelOptions)[]), 'factors', 'regFactors', 'regBias', 'regFeatures', 'initStd']),
  'two-tower': TWO_TOWER,
  ensemble: ['members', 'fusion'],
};
