// The options of `wasmrec train` (and `cv`), as the command line gives them.

import type { ModelKind } from '../models/factory.js';
import type { BackendName } from '../backends/index.js';
import type { TwoTowerHead } from '../models/two-tower.js';
import type { ScoreFusion } from '../models/score-fusion.js';
import type { SequenceEncoder } from '../models/sequence-two-tower.js';
import type { OptimizerName } from '../training/optimizer.js';
import type { ImplicitEvents } from './implicit.js';
import type { DataArgs } from './data-source.js';
import type { LossName, NegativeSampling } from '../training/losses.js';

export interface TrainArgs extends DataArgs {
  model: ModelKind;
  /** Print the model's summary before training. */
  summary?: boolean;
  /** auto | none | a feature spec file's path (read by the command). */
  features?: string;
  /** The spec file's text when `features` names a file. */
  featureSpecText?: string;
  head?: TwoTowerHead;
  embeddingDim?: number;
  tower?: number[];
  headLayers?: number[];
  dropout?: number;
  idDropout?: number;
  backend: BackendName;
  /** Threads of the wasm backend (createBackend's `threads`). */
  threads?: number;
  epochs?: number;
  factors?: number;
  /** LightGCN propagation layers. */
  layers?: number;
  /** svdpp: TrustSVD's trust term λ_t. */
  trustWeight?: number;
  fusion?: ScoreFusion;
  historyLength?: number;
  timeGaps?: boolean;
  historyDecay?: number;
  demographics?: boolean;
  exampleAge?: boolean;
  /** bst: item vectors from an item tower over the items' features and id (option itemFeatures). */
  itemTower?: boolean;
  /** sasrec: transformer blocks and attention heads. */
  blocks?: number;
  heads?: number;
  /** sequence-two-tower: the user tower over the history (mean-pooled ReLU layer or GRU). */
  encoder?: SequenceEncoder;
  lr?: number;
  reg?: number;
  regBias?: number;
  optimizer?: OptimizerName;
  /** Clip gradients to this global norm per step (0/undefined: off). */
  clipNorm?: number;
  batch?: number;
  validationSplit?: number;
  patience?: number;
  json?: boolean;
  /** Implicit feedback: ratings ≥ threshold are positives; `test` reports ranking metrics. */
  implicit?: boolean;
  threshold?: number;
  /** With --implicit: the training ratings the model learns from (default: the kind's, defaultImplicitEvents). */
  implicitEvents?: ImplicitEvents;
  loss?: Exclude<LossName, 'mse'>;
  negatives?: number;
  /** With --implicit: how negatives are drawn (default: the loss's, uniform). */
  sampling?: NegativeSampling;
  /** Rating models: train a ranking twin with this implicit loss (true: the kind's default). */
  ranking?: Exclude<LossName, 'mse'> | true;
  /** Save the trained model to this file. */
  save?: string;
  /** 'next-item': a last-item split, implicit training on the events, next-item metrics. */
  task?: 'rating' | 'next-item';
  /** --text-encoder [FEATURE=]mean|gru, --graph-aggregate [FEATURE=]mean|gcn: how text and graph features are read. */
  textEncoder?: string;
  graphAggregate?: string;
  /** --word-vectors FEATURE=FILE: start a text feature's token embeddings from these vectors. */
  wordVectors?: string;
  freezeWordVectors?: boolean;
}
