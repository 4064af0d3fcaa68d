// A seeded, MovieLens-shaped data set whose ratings really depend on user and item features.

import { Rng } from '../random.js';
import type { Column, Dataset, EntityTable, Split } from './dataset.js';
import { IdIndex, interactions, subset, type Interactions } from './interactions.js';
import { ML100K_GENRES, ML100K_OCCUPATIONS } from './movielens-vocab.js';
import { GENRE_WEIGHTS, MEAN_RATING, NOISE_STD, OCCUPATION_WEIGHTS, pickWeighted, TrueModel, type ItemTraits, type UserTraits } from './synthetic-model.js';

export interface SyntheticOptions {
  readonly nUsers?: number;
  readonly nItems?: number;
  readonly nRatings?: number;
  readonly seed?: number;
  /** Latent dimensions of the true model (the part side features cannot explain). */
  readonly factors?: number;
}

/** MovieLens 100K gives every user at least 20 ratings; so do we when there are enough. */
const MIN_PER_USER = 20;
const N_FOLDS = 5;
/** The span of MovieLens 100K's timestamps (Sept 1997 – April 1998), in seconds. */
const T_START = 874724710;
const T_END = 893286638;
const MEAN_SESSION_DAYS = 20;
/** Log-normal spreads of item popularity and user activity: long tails as in MovieLens. */
const POPULARITY_SPREAD = 1.2;
const POPULARITY_FROM_QUALITY = 1.0;
const ACTIVITY_SPREAD = 1.0;
/** Above this many ratings per cell, sampling distinct pairs by rejection gets slow. */
const MAX_DENSITY = 0.5;

/** Cumulative weights for repeated weighted draws by binary search. */
function cumulative(w: Float64Array): Float64Array {
  const c = new Float64Array(w.length);
  let s = 0;
  for (let k = 0; k < w.length; k++) c[k] = s += w[k];
  return c;
}

function draw(rng: Rng, cum: Float64Array): number {
  const x = rng.uniform() * cum[cum.length - 1];
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function makeUser(rng: Rng): UserTraits {
  const age = Math.round(Math.min(73, Math.max(7, 33 + 12 * rng.normal())));
  // Occupation follows age where it must (students young, retirees old), as in MovieLens.
  let occupation = pickWeighted(rng, OCCUPATION_WEIGHTS);
  if (age < 20 && rng.uniform() < 0.7) occupation = ML100K_OCCUPATIONS.indexOf('student');
  if (age > 62 && rng.uniform() < 0.6) occupation = ML100K_OCCUPATIONS.indexOf('retired');
  return { age, gender: rng.uniform() < 0.71 ? 'M' : 'F', occupation };
}

function makeItem(rng: Rng): ItemTraits {
  const year = Math.max(1922, 1998 - Math.floor(Math.abs(rng.normal()) * 15));
  const n = 1 + pickWeighted(rng, [5, 3, 2]);
  const genres = new Set<number>();
  while (genres.size < n) genres.add(pickWeighted(rng, GENRE_WEIGHTS));
  return { year, genres: [...genres].sort((a, b) => a - b) };
}

/**
 * Generates ratings from μ + user bias + item bias + latent factors + side-feature effects
 * (age × genre, gender × genre, occupation, occupation × genre, film age, age × film age) +
 * noise, rounded to 1..5 stars, with popular items and active users over-represented.
 * Includes folds u1..u5 like MovieLens 100K: each rating is in exactly one test set (20%).
 * The same options always give the same data.
 *
 * @example
 * const ds = generateSynthetic({ nUsers: 100, nItems: 150, nRatings: 5000, seed: 1 });
 * ds.folds!.u1.test.length; // 1000
 */
export function generateSynthetic(opts: SyntheticOptions = {}): Dataset {
  const { nUsers = 600, nItems = 900, nRatings = 60_000, seed = 42, factors = 8 } = opts;
  for (const [k, v] of Object.entries({ nUsers, nItems, nRatings, factors })) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`generateSynthetic: ${k} must be a positive integer, got ${v}`);
  }
  if (nRatings < nUsers + nItems) throw new RangeError(`generateSynthetic: nRatings (${nRatings}) must be at least nUsers + nItems so everyone has a rating`);
  if (nRatings > MAX_DENSITY * nUsers * nItems) throw new RangeError(`generateSynthetic: nRatings (${nRatings}) exceeds ${MAX_DENSITY} × nUsers × nItems`);

  const rng = new Rng(seed);
  const traitsRng = rng.fork();
  const model = new TrueModel(rng.fork(), factors);
  const users = Array.from({ length: nUsers }, () => makeUser(traitsRng));
  const items = Array.from({ length: nItems }, () => makeItem(traitsRng));

  const biasRng = rng.fork();
  const userBias = Float64Array.from(users, (u) => model.userBias(biasRng, u));
  const itemBias = Float64Array.from(items, (it) => model.itemBias(biasRng, it));
  const p = Float64Array.from({ length: nUsers * factors }, () => model.latentScale * biasRng.normal());
  const q = Float64Array.from({ length: nItems * factors }, () => model.latentScale * biasRng.normal());

  const pairs = samplePairs(rng.fork(), itemBias, nUsers, nRatings);
  const noiseRng = rng.fork();
  const n = pairs.length / 2;
  const rawUsers = new Int32Array(n);
  const rawItems = new Int32Array(n);
  const ratings = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const u = pairs[2 * r];
    const i = pairs[2 * r + 1];
    let dot = 0;
    for (let f = 0; f < factors; f++) dot += p[u * factors + f] * q[i * factors + f];
    const z = MEAN_RATING + userBias[u] + itemBias[i] + dot + model.affinity(users[u], items[i]) + NOISE_STD * noiseRng.normal();
    rawUsers[r] = u;
    rawItems[r] = i;
    ratings[r] = Math.min(5, Math.max(1, Math.round(z)));
  }
  const timestamps = sampleTimes(rng.fork(), rawUsers, nUsers);

  // Dense indices in order of first appearance, exactly as a loader reading u.data would assign.
  const userIndex = new IdIndex();
  const itemIndex = new IdIndex();
  const du = rawUsers.map((u) => userIndex.add(String(u + 1)));
  const di = rawItems.map((i) => itemIndex.add(String(i + 1)));
  const all = interactions(du, di, ratings, timestamps);

  return {
    format: 'synthetic',
    description: `synthetic data (seed ${seed}: ${nUsers} users, ${nItems} items, ${n} ratings)`,
    userIndex,
    itemIndex,
    ratings: all,
    users: userTable(users, rng.fork()),
    items: itemTable(items),
    folds: makeFolds(rng.fork(), all),
    report: { files: [], lines: 0, skipped: 0, warnings: [] },
  };
}

/**
 * Distinct (user, item) pairs, interleaved, in random order: every item rated once, every
 * user topped up to MIN_PER_USER, the rest by activity × popularity.
 */
function samplePairs(rng: Rng, quality: Float64Array, nUsers: number, nRatings: number): Int32Array {
  const nItems = quality.length;
  const popularity = cumulative(Float64Array.from(quality, (b) => Math.exp(POPULARITY_SPREAD * rng.normal() + POPULARITY_FROM_QUALITY * b)));
  const activity = cumulative(Float64Array.from({ length: nUsers }, () => Math.exp(ACTIVITY_SPREAD * rng.normal())));
  const minPerUser = Math.max(1, Math.min(MIN_PER_USER, Math.floor((nRatings - nItems) / nUsers / 2)));
  const seen = new Set<number>();
  const perUser = new Int32Array(nUsers);
  const out = new Int32Array(2 * nRatings);
  let n = 0;
  const add = (u: number, i: number): boolean => {
    const key = u * nItems + i;
    if (seen.has(key)) return false;
    seen.add(key);
    perUser[u]++;
    out[2 * n] = u;
    out[2 * n + 1] = i;
    n++;
    return true;
  };
  for (let i = 0; i < nItems; i++) while (!add(draw(rng, activity), i));
  for (let u = 0; u < nUsers; u++) while (perUser[u] < minPerUser) add(u, draw(rng, popularity));
  while (n < nRatings) add(draw(rng, activity), draw(rng, popularity));
  // Shuffle whole pairs so the file order carries no information, as in u.data.
  for (let a = n - 1; a > 0; a--) {
    const b = rng.int(a + 1);
    for (let k = 0; k < 2; k++) {
      const t = out[2 * a + k];
      out[2 * a + k] = out[2 * b + k];
      out[2 * b + k] = t;
    }
  }
  return out;
}

/** Each user rates within a session starting at a random time, lasting ~MEAN_SESSION_DAYS. */
function sampleTimes(rng: Rng, users: Int32Array, nUsers: number): Float64Array {
  const start = Float64Array.from({ length: nUsers }, () => T_START + rng.uniform() * (T_END - T_START));
  const span = Float64Array.from({ length: nUsers }, () => -Math.log(1 - rng.uniform()) * MEAN_SESSION_DAYS * 86400);
  return Float64Array.from(users, (u) => Math.floor(Math.min(T_END, start[u] + rng.uniform() * span[u])));
}

function userTable(users: UserTraits[], rng: Rng): EntityTable {
  const columns: Record<string, Column> = {
    age: { kind: 'number', values: Float64Array.from(users, (u) => u.age) },
    gender: { kind: 'string', values: users.map((u) => u.gender) },
    occupation: { kind: 'string', values: users.map((u) => ML100K_OCCUPATIONS[u.occupation]) },
    zip: { kind: 'string', values: users.map(() => String(rng.int(100000)).padStart(5, '0')) },
  };
  return { ids: users.map((_, u) => String(u + 1)), columns, vocab: { occupation: ML100K_OCCUPATIONS } };
}

function itemTable(items: ItemTraits[]): EntityTable {
  const columns: Record<string, Column> = {
    title: { kind: 'string', values: items.map((it, i) => `Synthetic Movie ${i + 1} (${it.year})`) },
    release_date: { kind: 'string', values: items.map((it) => `01-Jan-${it.year}`) },
    year: { kind: 'number', values: Float64Array.from(items, (it) => it.year) },
    genres: { kind: 'multi', values: items.map((it) => it.genres.map((g) => ML100K_GENRES[g])) },
  };
  return { ids: items.map((_, i) => String(i + 1)), columns, vocab: { genres: ML100K_GENRES } };
}

/** Folds u1..u5: a random fifth of the ratings as each test set, the rest as its training set. */
function makeFolds(rng: Rng, all: Interactions): Record<string, Split> {
  const n = all.length;
  const order = rng.permutation(new Int32Array(n));
  const foldOf = new Int32Array(n);
  for (let k = 0; k < n; k++) foldOf[order[k]] = Math.floor((k * N_FOLDS) / n);
  const folds: Record<string, Split> = {};
  for (let f = 0; f < N_FOLDS; f++) {
    const test: number[] = [];
    const train: number[] = [];
    for (let r = 0; r < n; r++) (foldOf[r] === f ? test : train).push(r);
    const name = `u${f + 1}`;
    folds[name] = { name, train: subset(all, train), test: subset(all, test) };
  }
  return folds;
}
