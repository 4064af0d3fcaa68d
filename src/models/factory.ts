// Building a model by name (what the CLI, cross-validation and grid search use): the
// feature pipeline is fitted on the training part here, so no caller can leak test data;
// options are checked against the kind, so that one meant for another kind fails loudly.

import type { Backend } from '../backends/index.js';
import type { Dataset } from '../data/dataset.js';
import type { Interactions } from '../data/interactions.js';
import { itemTitlesOf } from '../data/titles.js';
import { FeaturePipeline } from '../preprocessing/pipeline.js';
import type { FeatureSpec } from '../preprocessing/spec.js';
import { MeanBaseline, type BaselineOptions } from './baselines.js';
import type { SideFeatures } from './feature-model.js';
import { LinearRS, type LinearRSOptions } from './linear.js';
import { MatrixFactorization, type MFOptions } from './mf.js';
import { SvdPlusPlus, type SvdppOptions } from './svdpp.js';
import { LightGCN, type LightGCNOptions } from './lightgcn.js';
import { YouTubeDNN, type YouTubeOptions } from './youtube.js';
import { SequenceTwoTower, type SequenceTwoTowerOptions } from './sequence-two-tower.js';
import { Gru4Rec, type Gru4RecOptions } from './gru4rec.js';
import { SASRec, type SasrecOptions } from './sasrec.js';
import { BST, type BstOptions } from './bst.js';
import { graphOfColumn } from '../data/graph-columns.js';
import type { Recommender } from './recommender.js';
import { implicitEnsemble, sideFeatureEnsemble, type EnsembleMembers } from './ensemble.js';
import type { ScoreFusion } from './score-fusion.js';
import { TwoTower, type TwoTowerOptions } from './two-tower.js';
import { PopularityBaseline, type PopularityOptions } from './popularity.js';
import { MODEL_OPTION_NAMES, type ModelKind } from './option-names.js';

export { MODEL_KINDS, MODEL_OPTION_NAMES, RANKING_ONLY_KINDS, type ModelKind } from './option-names.js';

/** Factors of `mf-features`: 32 beat 64 on ML-100K u1 (0.932 vs 0.941 test RMSE). */
export const MF_FEATURES_FACTORS = 32;

/** The options each kind takes (`buildModel`'s fourth argument). */
export interface ModelOptionsByKind {
  mean: BaselineOptions;
  'user-mean': BaselineOptions;
  'item-mean': BaselineOptions;
  popularity: PopularityOptions;
  mf: MFOptions;
  svdpp: SvdppOptions;
  lightgcn: LightGCNOptions;
  youtube: YouTubeOptions;
  'sequence-two-tower': SequenceTwoTowerOptions;
  gru4rec: Gru4RecOptions;
  sasrec: SasrecOptions;
  bst: BstOptions;
  'mf-features': TwoTowerOptions;
  linear: LinearRSOptions;
  'two-tower': TwoTowerOptions;
  /** `members`: 'ratings' (default: MF, LinearRS, two-tower) or 'implicit' (two-tower and softmax MF with cold users mapped). */
  ensemble: { members?: EnsembleMembers; fusion?: ScoreFusion };
}

/** The options of some kind (what code that handles every kind passes around). */
export type ModelOptions = ModelOptionsByKind[ModelKind];

/** Whether a kind reads side features (and so needs a fitted pipeline). */
export function usesFeatures(kind: ModelKind): boolean {
  return kind === 'linear' || kind === 'two-tower' || kind === 'mf-features' || kind === 'ensemble' || kind === 'sequence-two-tower';
}

/**
 * Throws when `options` holds a name the kind does not take (a typo, or an option of
 * another kind), naming the ones it takes; `what` says where they came from.
 *
 * @example
 * checkModelOptions('two-tower', { factors: 64 }); // Error: two-tower takes no option 'factors' …
 */
export function checkModelOptions(kind: ModelKind, options: object, what = 'option'): void {
  const valid = MODEL_OPTION_NAMES[kind];
  if (!valid) throw new Error(`unknown model '${String(kind)}' (expected ${Object.keys(MODEL_OPTION_NAMES).join(', ')})`);
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (!valid.includes(name)) {
      const list = valid.length > 0 ? valid.join(', ') : 'none';
      throw new Error(`${kind} takes no ${what} '${name}' (its ${what}s: ${list})`);
    }
  }
}

export interface BuiltModel {
  model: Recommender;
  /** The fitted pipeline for feature models (null for the others). */
  pipeline: FeaturePipeline | null;
  features: SideFeatures | null;
}

/**
 * Creates an untrained model of the given kind for `dataset`, fitting the feature pipeline
 * (`features`: 'auto', 'none', a spec object or its JSON text) on `train` only. The model
 * gets the data set's item titles for its recommendation lists.
 *
 * @example
 * const { model } = buildModel('two-tower', backend, dataset, split.train, { head: 'mlp' });
 * await model.fit(split.train);
 */
export function buildModel<K extends ModelKind>(
  kind: K,
  backend: Backend,
  dataset: Dataset,
  train: Interactions,
  options: ModelOptionsByKind[K] = {} as ModelOptionsByKind[K],
  features: FeatureSpec | string = 'auto',
): BuiltModel {
  checkModelOptions(kind, options);
  let pipeline: FeaturePipeline | null = null;
  let encoded: SideFeatures | null = null;
  // youtube reads the users' features only for its demographics, bst the items' for its item tower and the users' for its demographics.
  if (usesFeatures(kind) || (kind === 'youtube' && (options as YouTubeOptions).demographics) || (kind === 'bst' && ((options as BstOptions).itemFeatures || (options as BstOptions).demographics))) {
    pipeline = FeaturePipeline.fit(dataset, train, features);
    encoded = { user: pipeline.encode('user', dataset.userIndex), item: pipeline.encode('item', dataset.itemIndex) };
  }
  // SVD++ takes the data set's user graph (--user-graph) as its social implicit set.
  const given = kind === 'svdpp' && (options as SvdppOptions).userGraph === undefined ? { ...options, userGraph: graphOfColumn(dataset, 'user') } : options;
  const model = createModel(kind, backend, dataset, encoded, given);
  model.pipeline = pipeline;
  model.itemTitles = itemTitlesOf(dataset);
  return { model, pipeline, features: encoded };
}

/** Creates a model from already encoded features (null for kinds that use none). */
export function createModel<K extends ModelKind>(
  kind: K,
  backend: Backend,
  indexes: Pick<Dataset, 'userIndex' | 'itemIndex'>,
  features: SideFeatures | null,
  options: ModelOptionsByKind[K] = {} as ModelOptionsByKind[K],
): Recommender {
  checkModelOptions(kind, options);
  const needFeatures = () => {
    if (!features) throw new Error(`model '${kind}' needs encoded side features`);
    return features;
  };
  const o = options as ModelOptionsByKind[ModelKind];
  switch (kind as ModelKind) {
    case 'mean':
      return new MeanBaseline(backend, indexes, 'global-mean', o as BaselineOptions);
    case 'user-mean':
      return new MeanBaseline(backend, indexes, 'user-mean', o as BaselineOptions);
    case 'item-mean':
      return new MeanBaseline(backend, indexes, 'item-mean', o as BaselineOptions);
    case 'popularity':
      // Implicit feedback's baseline: items ranked by their number of training positives.
      return new PopularityBaseline(backend, indexes, o as PopularityOptions);
    case 'mf':
      return new MatrixFactorization(backend, indexes, o as MFOptions);
    case 'svdpp':
      return new SvdPlusPlus(backend, indexes, o as SvdppOptions);
    case 'youtube':
      // A user is her latest history pooled through a ReLU layer; next-item full softmax.
      return new YouTubeDNN(backend, indexes, o as YouTubeOptions, features);
    case 'sequence-two-tower':
      // Item vectors from an item tower over content features (+ id); users pool them.
      return new SequenceTwoTower(backend, indexes, needFeatures(), o as SequenceTwoTowerOptions);
    case 'gru4rec':
      // A user is the last state of a GRU over her latest events; next-item full softmax at every step.
      return new Gru4Rec(backend, indexes, o as Gru4RecOptions);
    case 'sasrec':
      // Causal self-attention over the latest events; next-item full softmax at every position.
      return new SASRec(backend, indexes, o as SasrecOptions);
    case 'bst':
      // One transformer block over the latest events, the candidate's target attention over it, an MLP → logit.
      return new BST(backend, indexes, o as BstOptions, features);
    case 'lightgcn':
      // Graph propagation over the user–item training graph; implicit feedback only (BPR).
      return new LightGCN(backend, indexes, o as LightGCNOptions);
    case 'linear':
      return new LinearRS(backend, indexes, needFeatures(), o as LinearRSOptions);
    case 'two-tower':
      return new TwoTower(backend, indexes, needFeatures(), o as TwoTowerOptions);
    case 'mf-features':
      // MF with side features (LightFM-style): each side's factor vector is one linear map
      // of its id and feature embeddings (a single linear tower layer), joined by a dot
      // product plus μ and biases. Saved and loaded as the two-tower it is.
      return new TwoTower(backend, indexes, needFeatures(), { head: 'dot', towerLayers: [MF_FEATURES_FACTORS], ...(o as TwoTowerOptions) });
    case 'ensemble': {
      // Ratings: the best side-feature model on ML-100K u1 (RMSE 0.906), each member with its
      // defaults. Implicit: the best found for brand-new users.
      const { members = 'ratings', fusion } = o as ModelOptionsByKind['ensemble'];
      if (members !== 'ratings' && members !== 'implicit') throw new Error(`ensemble: members must be 'ratings' or 'implicit', got '${String(members)}'`);
      return (members === 'implicit' ? implicitEnsemble : sideFeatureEnsemble)(backend, indexes, needFeatures(), { fusion });
    }
  }
}
