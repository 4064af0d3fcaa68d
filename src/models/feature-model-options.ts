// The options every feature model (LinearRS, two-tower) takes, and how they resolve: id
// dropout may default per loss (a kind's implicit defaults), the rest is checked once.

import type { EncodedSide } from '../preprocessing/encoded.js';

/** Encoded features of both sides; rows follow the model's IdIndexes (plus the unknown row). */
export interface SideFeatures {
  user: EncodedSide;
  item: EncodedSide;
}

export interface FeatureModelOptions {
  /** Largest mini-batch `fit` may use; batch buffers are sized for it once (default 1024). */
  maxBatch?: number;
  /** Probability of replacing a known id by the unknown id row during training (default: the model kind's). */
  idDropout?: number;
  /**
   * Id dropout of the user side only (default idDropout). Cold-start users need more of it
   * than items do: with implicit feedback on ML-100K, 0.5 for users and none for items beat
   * one shared rate for brand-new users (see test/models/implicit.test.ts).
   */
  userIdDropout?: number;
  /** Id dropout of the item side only (default idDropout). */
  itemIdDropout?: number;
  /**
   * Continuous columns that describe an entity's training ratings (default: names starting
   * with `rating_`, the pipeline's rating statistics). A dropped id also gets these columns'
   * values of the unknown row, as a real cold entity would.
   */
  coldColumns?: readonly string[];
  /**
   * Train by replaying each batch's recorded step (forward, loss, backward and update) as
   * one call into the kernels (default true). false calls every kernel from TypeScript:
   * the same arithmetic, for comparisons. Data-parallel threads need step programs.
   */
  stepPrograms?: boolean;
}

/** A kind's id dropout when the options give none (may depend on the compiled loss). */
export interface IdDropoutDefaults {
  idDropout: number;
  userIdDropout?: number;
  itemIdDropout?: number;
}

/** Id dropout per side, from the options over the kind's defaults; checked. */
export function resolveIdDropout(options: FeatureModelOptions, defaults: IdDropoutDefaults): { user: number; item: number } {
  const shared = options.idDropout ?? defaults.idDropout;
  const out = {
    user: options.userIdDropout ?? (options.idDropout !== undefined ? shared : (defaults.userIdDropout ?? shared)),
    item: options.itemIdDropout ?? (options.idDropout !== undefined ? shared : (defaults.itemIdDropout ?? shared)),
  };
  for (const [name, p] of [['idDropout', shared], ['userIdDropout', out.user], ['itemIdDropout', out.item]] as const) {
    if (!(p >= 0 && p < 1)) throw new Error(`${name} must be in [0, 1), got ${p}`);
  }
  return out;
}

/** The continuous columns of each side that a dropped id also sees as the unknown row's. */
export function resolveColdColumns(options: FeatureModelOptions, features: SideFeatures): { user: number[]; item: number[] } {
  const cold = (side: EncodedSide) =>
    side.contNames.flatMap((name, c) => ((options.coldColumns ? options.coldColumns.includes(name) : name.startsWith('rating_')) ? [c] : []));
  return { user: cold(features.user), item: cold(features.item) };
}

/** Checks that the encoded features have one row per id plus the unknown row, and maxBatch. */
export function checkFeatureShapes(features: SideFeatures, nUsers: number, nItems: number, maxBatch: number): void {
  for (const [side, n] of [['user', nUsers], ['item', nItems]] as const) {
    if (features[side].n !== n + 1) {
      throw new Error(`${side} features have ${features[side].n} rows; the model needs ${n + 1} (one per ${side} index plus the unknown row)`);
    }
  }
  if (!(Number.isInteger(maxBatch) && maxBatch >= 1)) throw new Error(`maxBatch must be an integer ≥ 1, got ${maxBatch}`);
}
