// Train/test splits: predefined folds, random hold-out, k-fold, leave-k-out per user,
// temporal, and user/item cold start. All randomness comes from a seeded Rng.

import type { Dataset } from './dataset.js';
import { DataError } from './errors.js';
import type { Interactions } from './interactions.js';
import { subset } from './interactions.js';
import { Rng } from '../random.js';
import { lastItemSplit } from './last-item-split.js';
import { splitReport, type SplitWithReport } from './split-report.js';

export { splitReport, type SplitReport, type SplitWithReport } from './split-report.js';

export type SplitKind = 'u1' | 'u2' | 'u3' | 'u4' | 'u5' | 'ua' | 'ub' | 'random' | 'kfold' | 'leave-k-out' | 'temporal' | 'cold-users' | 'cold-items' | 'last-item';

export const SPLIT_KINDS: readonly SplitKind[] = ['u1', 'u2', 'u3', 'u4', 'u5', 'ua', 'ub', 'random', 'kfold', 'leave-k-out', 'temporal', 'cold-users', 'cold-items', 'last-item'];

export const DEFAULT_TEST_FRACTION = 0.2;
export const DEFAULT_SEED = 42;
export const DEFAULT_FOLDS = 5;

export interface SplitOptions {
  kind: SplitKind;
  /** Share of ratings (random, temporal) or of users/items (cold-*) put in test; default 0.2. */
  testFraction?: number;
  seed?: number;
  /** kfold: which fold is the test part, 0..k-1; default 0. */
  fold?: number;
  /** kfold: number of folds (default 5); leave-k-out: ratings held out per user (default 1). */
  k?: number;
  /** last-item: only ratings ≥ this are events (default 3). */
  threshold?: number;
}

/** Builds the split from a per-row test mask, keeping the original row order on both sides. */
function fromMask(name: string, data: Interactions, isTest: Uint8Array): SplitWithReport {
  const trainRows: number[] = [];
  const testRows: number[] = [];
  for (let r = 0; r < data.length; r++) (isTest[r] ? testRows : trainRows).push(r);
  const train = subset(data, trainRows);
  const test = subset(data, testRows);
  return { name, train, test, report: splitReport(train, test) };
}

function checkFraction(f: number): number {
  if (!(f > 0 && f < 1)) throw new Error(`split: test fraction must be in (0, 1), got ${f}`);
  return f;
}

/**
 * A uniformly random `testFraction` of the ratings in test.
 *
 * @example
 * const { train, test, report } = randomSplit(dataset.ratings, { testFraction: 0.2, seed: 42 });
 */
export function randomSplit(data: Interactions, { testFraction = DEFAULT_TEST_FRACTION, seed = DEFAULT_SEED } = {}): SplitWithReport {
  const nTest = Math.round(checkFraction(testFraction) * data.length);
  const perm = new Rng(seed).permutation(new Int32Array(data.length));
  const isTest = new Uint8Array(data.length);
  for (let p = 0; p < nTest; p++) isTest[perm[p]] = 1;
  return fromMask(`random(${testFraction}, seed ${seed})`, data, isTest);
}

/**
 * Fold `fold` (0-based) of a seeded k-fold partition; the k folds partition the ratings.
 *
 * @example
 * for (let f = 0; f < 5; f++) evaluate(kFoldSplit(dataset.ratings, { k: 5, fold: f, seed: 1 }));
 */
export function kFoldSplit(data: Interactions, { k = DEFAULT_FOLDS, fold = 0, seed = DEFAULT_SEED } = {}): SplitWithReport {
  if (!Number.isInteger(k) || k < 2) throw new Error(`kfold: k must be an integer ≥ 2, got ${k}`);
  if (!Number.isInteger(fold) || fold < 0 || fold >= k) throw new Error(`kfold: fold must be in 0..${k - 1}, got ${fold}`);
  const n = data.length;
  const perm = new Rng(seed).permutation(new Int32Array(n));
  const isTest = new Uint8Array(n);
  // Position p of the permutation belongs to fold floor(p·k/n): fold sizes differ by at most one.
  for (let p = 0; p < n; p++) if (Math.floor((p * k) / n) === fold) isTest[perm[p]] = 1;
  return fromMask(`kfold(${fold + 1}/${k}, seed ${seed})`, data, isTest);
}

/**
 * `k` random ratings of every user in test. Users with k ratings or fewer stay wholly in
 * train, so every test user also has training ratings.
 *
 * @example
 * leaveKOutSplit(dataset.ratings, { k: 1, seed: 42 }).report.nTest; // one per user
 */
export function leaveKOutSplit(data: Interactions, { k = 1, seed = DEFAULT_SEED } = {}): SplitWithReport {
  if (!Number.isInteger(k) || k < 1) throw new Error(`leave-k-out: k must be a positive integer, got ${k}`);
  const rowsOf = new Map<number, number[]>();
  for (let r = 0; r < data.length; r++) {
    const rows = rowsOf.get(data.users[r]);
    if (rows) rows.push(r);
    else rowsOf.set(data.users[r], [r]);
  }
  const rng = new Rng(seed);
  const isTest = new Uint8Array(data.length);
  const users = [...rowsOf.keys()].sort((a, b) => a - b);
  for (const u of users) {
    const rows = rowsOf.get(u)!;
    if (rows.length <= k) continue;
    const order = rng.permutation(new Int32Array(rows.length));
    for (let j = 0; j < k; j++) isTest[rows[order[j]]] = 1;
  }
  return fromMask(`leave-${k}-out(seed ${seed})`, data, isTest);
}

/**
 * The latest `testFraction` of the ratings by timestamp in test (ties keep file order), as
 * when a model trained on the past predicts the future.
 *
 * @example
 * temporalSplit(dataset.ratings, { testFraction: 0.2 });
 */
export function temporalSplit(data: Interactions, { testFraction = DEFAULT_TEST_FRACTION } = {}): SplitWithReport {
  const ts = data.timestamps;
  if (!ts) throw new Error('temporal split: these ratings have no timestamps');
  const nTest = Math.round(checkFraction(testFraction) * data.length);
  const order = Array.from({ length: data.length }, (_, r) => r).sort((a, b) => ts[a] - ts[b] || a - b);
  const isTest = new Uint8Array(data.length);
  for (let p = data.length - nTest; p < data.length; p++) isTest[order[p]] = 1;
  return fromMask(`temporal(${testFraction})`, data, isTest);
}

function coldSplit(side: 'users' | 'items', data: Interactions, testFraction: number, seed: number): SplitWithReport {
  const who = data[side];
  const present = [...new Set(who)].sort((a, b) => a - b);
  const nHeld = Math.round(checkFraction(testFraction) * present.length);
  const order = new Rng(seed).permutation(new Int32Array(present.length));
  const held = new Set<number>();
  for (let p = 0; p < nHeld; p++) held.add(present[order[p]]);
  const isTest = new Uint8Array(data.length);
  for (let r = 0; r < data.length; r++) if (held.has(who[r])) isTest[r] = 1;
  return fromMask(`cold-${side}(${testFraction}, seed ${seed})`, data, isTest);
}

/**
 * A `testFraction` of the users (of those with ratings) held out entirely: all their ratings
 * go to test, so the model must rely on their features.
 *
 * @example
 * coldUserSplit(dataset.ratings, { testFraction: 0.2, seed: 42 }).report.coldUsers; // 189 of 943
 */
export function coldUserSplit(data: Interactions, { testFraction = DEFAULT_TEST_FRACTION, seed = DEFAULT_SEED } = {}): SplitWithReport {
  return coldSplit('users', data, testFraction, seed);
}

/**
 * A `testFraction` of the items held out entirely, like coldUserSplit.
 *
 * @example
 * coldItemSplit(dataset.ratings, { testFraction: 0.2, seed: 42 });
 */
export function coldItemSplit(data: Interactions, { testFraction = DEFAULT_TEST_FRACTION, seed = DEFAULT_SEED } = {}): SplitWithReport {
  return coldSplit('items', data, testFraction, seed);
}

/**
 * A predefined fold of the data set (MovieLens 100K: u1..u5, ua, ub), with its report.
 *
 * @example
 * foldSplit(dataset, 'u1').report.nTest; // 20000
 */
export function foldSplit(dataset: Dataset, name: string): SplitWithReport {
  const fold = dataset.folds?.[name];
  if (!fold) {
    const have = Object.keys(dataset.folds ?? {});
    throw new Error(`split: ${dataset.description} has no fold "${name}" (${have.length ? `folds: ${have.join(', ')}` : 'no predefined folds'}); try "random"`);
  }
  return { name: fold.name, train: fold.train, test: fold.test, report: splitReport(fold.train, fold.test) };
}

/**
 * One entry point for every kind of split of `dataset.ratings`.
 *
 * @example
 * const split = makeSplit(dataset, { kind: 'cold-users', testFraction: 0.2, seed: 42 });
 * console.log(split.name, split.report);
 */
export function makeSplit(dataset: Dataset, opts: SplitOptions): SplitWithReport {
  const { kind, testFraction, seed, fold, k } = opts;
  const data = dataset.ratings;
  switch (kind) {
    case 'random':
      return randomSplit(data, { testFraction, seed });
    case 'kfold':
      return kFoldSplit(data, { k, fold, seed });
    case 'leave-k-out':
      return leaveKOutSplit(data, { k, seed });
    case 'temporal':
      if (!data.timestamps) throw new DataError(dataset.report.files[0] ?? 'ratings', 0, 'timestamp', 'a temporal split orders ratings by time; these ratings have no timestamps');
      return temporalSplit(data, { testFraction });
    case 'last-item':
      return lastItemSplit(dataset, { threshold: opts.threshold });
    case 'cold-users':
      return coldUserSplit(data, { testFraction, seed });
    case 'cold-items':
      return coldItemSplit(data, { testFraction, seed });
    default:
      if (!SPLIT_KINDS.includes(kind)) throw new Error(`split: unknown kind "${kind}" (one of ${SPLIT_KINDS.join(', ')})`);
      return foldSplit(dataset, kind);
  }
}
