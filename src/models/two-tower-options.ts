// The two-tower model's options, the defaults chosen on MovieLens 100K, and how options
// resolve to a validated configuration.

import type { Activation } from '../nn/dense.js';
import { defaultFeatureDim } from '../nn/features.js';
import type { FeatureModelOptions } from './feature-model-options.js';
import type { FeatureInit } from '../preprocessing/word-vectors.js';

export type TwoTowerHead = 'dot' | 'mlp' | 'both';

export interface TwoTowerOptions extends FeatureModelOptions {
  /** Width of the user/item id embeddings (default 24; 0 = features only). */
  idDim?: number;
  /** Width of each feature embedding: a number, or a rule of (name, cardinality) (default: ≈1.6·√cardinality, 2..16). */
  featureDim?: number | ((name: string, cardinality: number) => number);
  /** Dense layers of each tower (default [32]); [] feeds the embeddings straight to the head. */
  towerLayers?: number[];
  /** Hidden layers of the MLP head before its output unit (default [64]). */
  headLayers?: number[];
  /** How the towers' outputs are joined (default 'mlp'). */
  head?: TwoTowerHead;
  /** Hidden activation everywhere (default 'relu'). */
  activation?: Activation;
  /** Dropout after hidden layers (default 0). */
  dropout?: number;
  /** Use the side features (default true); false gives a pure id model (a neural MF). */
  sideFeatures?: boolean;
  /** L2 on the id embedding rows, per example that uses a row (default TWO_TOWER_DEFAULTS.regId). */
  regId?: number;
  /** L2 on feature embedding rows, per example that uses a row (default TWO_TOWER_DEFAULTS.regFeatures). */
  regFeatures?: number;
  /** L2 on the rows of behaviour-history embeddings (sequence features), per example that uses a row (default TWO_TOWER_DEFAULTS.regHistory). */
  regHistory?: number;
  /** L2 on dense weight matrices, per step (default TWO_TOWER_DEFAULTS.regDense). */
  regDense?: number;
  /** L2 on the user/item biases, per example (default TWO_TOWER_DEFAULTS.regBias). */
  regBias?: number;
  /**
   * Implicit losses: add this weight × log(1 + the item's training positives) to the scores
   * the trained model gives (predictions, scoreItems, recommend; not the training logits).
   * Default 1 for implicit losses (0 for ratings). See src/models/popularity-prior.ts.
   */
  popularityPrior?: number;
  /**
   * Starting values of feature embeddings by feature name (e.g. a text feature's tokens from
   * Word2Vec: `textFeatureInit`); their width sets the feature's width. Used when the network
   * is built, not saved (the trained values are).
   */
  featureInit?: Record<string, FeatureInit>;
}

/**
 * Defaults chosen on ML-100K u1 (auto features; Adam lr 0.003, batch 256, cosine decay over
 * 8 epochs): test RMSE 0.921 for the `mlp` head. A 64-unit head beat 32 (0.928), [64, 32]
 * (0.927) and 128 (0.924); deeper towers ([64, 32]) did not help and cost 2× on the js
 * backend. One layer per tower keeps an epoch ≈ 0.3 s on wasm and ≈ 3 s on js. (The L2 of
 * embedding rows counts per example, so at batch 256 regId 0.768 is 0.003 per step.)
 */
export const TWO_TOWER_DEFAULTS = {
  idDim: 24,
  towerLayers: [32] as readonly number[],
  headLayers: [64] as readonly number[],
  head: 'mlp' as TwoTowerHead,
  activation: 'relu' as Activation,
  dropout: 0,
  idDropout: 0.1,
  regId: 0.768,
  regFeatures: 0.0256,
  // A tenth of regFeatures: a history row is pooled with ~100 others, so its gradient is
  // diluted while its per-example L2 is not (ML-100K u1 with auto+history: 0.9165 → 0.9147).
  regHistory: 0.00256,
  regDense: 0.0001,
  regBias: 0.256,
  popularityPrior: 0,
  epochs: 8,
  lr: 0.003,
};

/**
 * What implicit losses change (chosen on ML-100K u1 and cold-user splits, ratings ≥ 4;
 * docs/tuning.md): user id dropout 0.5 and none for items lifted brand-new users above
 * popularity; the popularity prior with lighter bias and id L2 lifted them on AUC too.
 */
export const TWO_TOWER_IMPLICIT_DEFAULTS = { userIdDropout: 0.5, itemIdDropout: 0, regBias: 0, regId: 0.0768, popularityPrior: 1 };

/** The resolved options: every width and strength a TwoTower is built with. */
export interface TwoTowerConfig {
  idDim: number;
  featureDim: (name: string, cardinality: number) => number;
  towerLayers: number[];
  headLayers: number[];
  head: TwoTowerHead;
  activation: Activation;
  dropout: number;
  sideFeatures: boolean;
  regId: number;
  regFeatures: number;
  regHistory: number;
  regDense: number;
  regBias: number;
  popularityPrior: number;
  featureInit: Record<string, FeatureInit>;
}

/** Options with the defaults filled in (those of implicit losses when `implicit`), validated (clear errors for impossible shapes). */
export function twoTowerConfig(options: TwoTowerOptions, implicit = false): TwoTowerConfig {
  const d = implicit ? { ...TWO_TOWER_DEFAULTS, ...TWO_TOWER_IMPLICIT_DEFAULTS } : TWO_TOWER_DEFAULTS;
  const fd = options.featureDim;
  const init = options.featureInit ?? {};
  const rule: (name: string, card: number) => number = typeof fd === 'function' ? fd : typeof fd === 'number' ? () => fd : (_n, card) => defaultFeatureDim(card);
  const c: TwoTowerConfig = {
    idDim: options.idDim ?? d.idDim,
    featureDim: (name, card) => (init[name] ? init[name].values.length / card : rule(name, card)),
    towerLayers: [...(options.towerLayers ?? d.towerLayers)],
    headLayers: [...(options.headLayers ?? d.headLayers)],
    head: options.head ?? d.head,
    activation: options.activation ?? d.activation,
    dropout: options.dropout ?? d.dropout,
    sideFeatures: options.sideFeatures ?? true,
    regId: options.regId ?? d.regId,
    regFeatures: options.regFeatures ?? d.regFeatures,
    regHistory: options.regHistory ?? d.regHistory,
    regDense: options.regDense ?? d.regDense,
    regBias: options.regBias ?? d.regBias,
    popularityPrior: options.popularityPrior ?? d.popularityPrior,
    featureInit: init,
  };
  if (!['dot', 'mlp', 'both'].includes(c.head)) throw new Error(`two-tower: unknown head '${c.head}' (expected dot, mlp or both)`);
  for (const w of [c.idDim, ...c.towerLayers, ...c.headLayers]) if (!(Number.isInteger(w) && w >= 0)) throw new Error(`two-tower: layer and embedding widths must be integers ≥ 0, got ${w}`);
  if (c.towerLayers.includes(0) || c.headLayers.includes(0)) throw new Error('two-tower: layer widths must be ≥ 1');
  for (const k of ['dropout', 'regId', 'regFeatures', 'regHistory', 'regDense', 'regBias', 'popularityPrior'] as const) {
    if (!(Number.isFinite(c[k]) && c[k] >= 0)) throw new Error(`two-tower: ${k} must be a finite number ≥ 0, got ${c[k]}`);
  }
  return c;
}
