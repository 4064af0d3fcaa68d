// The "true" rating model behind generateSynthetic: how side features move ratings.
// Effects are named and sized after patterns in MovieLens so that models which use side
// information should beat those that do not, and cold-start users/items stay predictable.

import type { Rng } from '../random.js';
import { ML100K_GENRES, ML100K_OCCUPATIONS } from './movielens-vocab.js';

/** Genre counts in MovieLens 100K's u.item: item genres are drawn with these weights. */
export const GENRE_WEIGHTS: readonly number[] = [2, 251, 135, 42, 122, 505, 109, 50, 725, 22, 24, 92, 56, 61, 247, 101, 251, 71, 27];

/** Occupation counts in MovieLens 100K's u.user, in ML100K_OCCUPATIONS order. */
export const OCCUPATION_WEIGHTS: readonly number[] = [79, 28, 7, 95, 67, 18, 32, 16, 7, 12, 51, 26, 9, 105, 66, 14, 12, 31, 196, 27, 45];

/** Per-genre effects, by genre name; unlisted genres get 0 (plus the seeded jitter). */
const GENRE_QUALITY: Record<string, number> = {
  'Film-Noir': 0.3, Documentary: 0.2, War: 0.25, Drama: 0.15, Mystery: 0.1, Horror: -0.35, "Children's": -0.2, Fantasy: -0.2, Comedy: -0.05,
};
/** Change per +12 years of user age (about one standard deviation in MovieLens). */
const AGE_SLOPE: Record<string, number> = {
  "Children's": -0.45, Animation: -0.3, Horror: -0.3, 'Sci-Fi': -0.15, 'Film-Noir': 0.4, Documentary: 0.3, War: 0.3, Western: 0.25, Musical: 0.2, Drama: 0.15,
};
/** Women minus men, halved (gender is coded +1 F / -1 M). */
const GENDER_SLOPE: Record<string, number> = {
  Romance: 0.35, Musical: 0.25, "Children's": 0.1, Drama: 0.1, Action: -0.3, 'Sci-Fi': -0.25, War: -0.25, Western: -0.2, Horror: -0.15, Crime: -0.1,
};

export const MEAN_RATING = 3.35;
const USER_BIAS_STD = 0.4;
const ITEM_BIAS_STD = 0.25;
const OCCUPATION_BIAS_STD = 0.2;
const OCCUPATION_GENRE_STD = 0.25;
const JITTER_STD = 0.05;
/** Scales the named genre tables: at 1 they are too weak to matter next to the noise. */
const SIDE_SCALE = 1.6;
/** Older films that are still watched are the good ones: +0.08 per decade before 1998. */
const PER_DECADE_OLD = 0.08;
/** Older users prefer older films: per 12 years of age and per 20 years of film age. */
const AGE_YEAR_SLOPE = 0.15;
/** Target standard deviation of the latent dot product p_u · q_i. */
const LATENT_STD = 0.5;
export const NOISE_STD = 0.7;

export interface UserTraits {
  age: number;
  gender: 'M' | 'F';
  occupation: number;
}

export interface ItemTraits {
  year: number;
  genres: number[];
}

/** All coefficients of one seeded model. */
export class TrueModel {
  private readonly genreQuality: Float64Array;
  private readonly ageSlope: Float64Array;
  private readonly genderSlope: Float64Array;
  private readonly occBias: Float64Array;
  private readonly occGenre: Float64Array;
  readonly latentScale: number;

  constructor(
    rng: Rng,
    readonly factors: number,
  ) {
    const nGenres = ML100K_GENRES.length;
    const named = (table: Record<string, number>) =>
      Float64Array.from(ML100K_GENRES, (g) => SIDE_SCALE * (table[g] ?? 0) + JITTER_STD * rng.normal());
    this.genreQuality = named(GENRE_QUALITY);
    this.ageSlope = named(AGE_SLOPE);
    this.genderSlope = named(GENDER_SLOPE);
    this.occBias = Float64Array.from(ML100K_OCCUPATIONS, () => OCCUPATION_BIAS_STD * rng.normal());
    this.occGenre = Float64Array.from({ length: ML100K_OCCUPATIONS.length * nGenres }, () => OCCUPATION_GENRE_STD * rng.normal());
    // Each of `factors` products of two N(0, s²) values has std s², so the sum has s²·√factors.
    this.latentScale = Math.sqrt(LATENT_STD / Math.sqrt(Math.max(1, factors)));
  }

  userBias(rng: Rng, u: UserTraits): number {
    return USER_BIAS_STD * rng.normal() + this.occBias[u.occupation];
  }

  /** The feature-driven part of an item's quality (genres, age of the film). */
  itemQuality(it: ItemTraits): number {
    let q = 0;
    for (const g of it.genres) q += this.genreQuality[g];
    return q / it.genres.length + (PER_DECADE_OLD * (1998 - it.year)) / 10;
  }

  itemBias(rng: Rng, it: ItemTraits): number {
    return ITEM_BIAS_STD * rng.normal() + this.itemQuality(it);
  }

  /** User-feature × item-feature interactions, averaged over the item's genres. */
  affinity(u: UserTraits, it: ItemTraits): number {
    const ageZ = (u.age - 33) / 12;
    const sex = u.gender === 'F' ? 1 : -1;
    const row = u.occupation * ML100K_GENRES.length;
    let a = 0;
    for (const g of it.genres) a += ageZ * this.ageSlope[g] + sex * this.genderSlope[g] + this.occGenre[row + g];
    return a / it.genres.length + (AGE_YEAR_SLOPE * ageZ * (1998 - it.year)) / 20;
  }
}

/** Index drawn with probability proportional to `weights` (linear scan: vocabularies are small). */
export function pickWeighted(rng: Rng, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let x = rng.uniform() * total;
  for (let k = 0; k < weights.length; k++) {
    x -= weights[k];
    if (x < 0) return k;
  }
  return weights.length - 1;
}
