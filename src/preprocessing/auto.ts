// Default feature specs per data set format, following the course: continuous features
// standardized, categoricals label-encoded, genres pooled, year as both, rating statistics.

import type { Dataset, EntityTable } from '../data/dataset.js';
import type { FeatureDef, FeatureSpec } from './spec.js';
import { parseFeatureSpec } from './spec.js';

/** MovieLens 100K age groups (the ML-1M ones): <18, 18-24, 25-34, 35-44, 45-49, 50-55, 56+. */
export const AGE_GROUP_EDGES: readonly number[] = [18, 25, 35, 45, 50, 56];

const has = (table: EntityTable | undefined, column: string, kind?: string): boolean =>
  !!table?.columns[column] && (kind === undefined || table.columns[column].kind === kind);

/**
 * The course's features for the columns the data set has: users' age (continuous and age
 * group; ML-1M ages are already group codes), gender, occupation, zip region and rating
 * statistics; items' genres (pooled), year (continuous and categorical), tags (hashed text)
 * and statistics.
 *
 * @example
 * const pipeline = FeaturePipeline.fit(dataset, split.train, autoFeatureSpec(dataset));
 */
export function autoFeatureSpec(dataset: Dataset): FeatureSpec {
  const { users, items } = dataset;
  const user: FeatureDef[] = [];
  if (has(users, 'age', 'number')) {
    if (dataset.format === 'ml-1m') {
      user.push({ type: 'categorical', column: 'age', name: 'age_group' });
    } else {
      user.push({ type: 'continuous', column: 'age' });
      user.push({ type: 'bucket', column: 'age', name: 'age_group', edges: [...AGE_GROUP_EDGES] });
    }
  }
  if (has(users, 'gender')) user.push({ type: 'categorical', column: 'gender' });
  if (has(users, 'occupation')) user.push({ type: 'categorical', column: 'occupation' });
  if (has(users, 'zip')) user.push({ type: 'categorical', column: 'zip', name: 'zip_region', prefix: 1 });
  // A side graph's links (--user-graph): one graph convolution over the id embeddings (on
  // FilmTrust as good as no graph, 0.8163 vs 0.8163; pooled with a table of their own 0.8172).
  if (has(users, 'neighbours', 'multi')) user.push({ type: 'graph', column: 'neighbours' });
  user.push({ type: 'stats' });

  const item: FeatureDef[] = [];
  if (has(items, 'genres', 'multi')) item.push({ type: 'multi', column: 'genres' });
  if (has(items, 'year')) item.push({ type: 'both', column: 'year' });
  // Tags users gave the items (ml-latest's tags.csv), as hashed text. Titles as words of a
  // vocabulary (≥ 5 films, no bigrams) on ml-latest, where they help new films (cold-items
  // RMSE 0.9010 → 0.8928); not on ML-100K, where they cost u1 0.002 RMSE (hashed with
  // bigrams 0.007) and lost on new films at three cold-items seeds of four (README, "Text
  // side information").
  if (has(items, 'tags', 'multi')) item.push({ type: 'text', column: 'tags' });
  if (dataset.format === 'ml-latest' && has(items, 'title', 'string')) item.push({ type: 'text', column: 'title', buckets: 0, minFrequency: 5, bigrams: false });
  if (has(items, 'neighbours', 'multi')) item.push({ type: 'graph', column: 'neighbours' });
  item.push(...vectorFeatures(items));
  item.push({ type: 'stats' });
  user.splice(user.length - 1, 0, ...vectorFeatures(users));
  return { user, item };
}

/** Ids only: no side features. */
export function noFeatureSpec(): FeatureSpec {
  return { user: [], item: [] };
}

/**
 * A spec from what a user wrote: `'auto'`, `'none'`, a spec object, or spec JSON text.
 *
 * @example
 * resolveFeatureSpec('auto', dataset);
 * resolveFeatureSpec('{"user": [], "item": [{"type": "multi", "column": "genres"}]}', dataset);
 */
export function resolveFeatureSpec(spec: FeatureSpec | string, dataset: Dataset): FeatureSpec {
  if (spec === 'auto') return autoFeatureSpec(dataset);
  if (spec === 'auto+history') return withPooledHistory(autoFeatureSpec(dataset));
  if (spec === 'auto+titles') return withTitles(autoFeatureSpec(dataset), dataset);
  if (spec === 'none') return noFeatureSpec();
  if (typeof spec === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(spec);
    } catch {
      throw new Error(`features: expected "auto", "auto+history", "auto+titles", "none" or spec JSON, got ${JSON.stringify(spec.slice(0, 40))}`);
    }
    return parseFeatureSpec(parsed);
  }
  return parseFeatureSpec(spec);
}

/** The spec names that are not files or JSON: `auto`, `auto+history`, `auto+titles`, `none`. */
export const FEATURE_PRESETS: readonly string[] = ['auto', 'auto+history', 'auto+titles', 'none'];

/**
 * Adds a `sequence` feature to both sides: each user's training items and each item's
 * training users, pooled (SVD++'s implicit feedback in both towers). Measured on ML-100K
 * (two-tower, mlp head, RMSE): u1 0.9208 → 0.9147, u2 0.9162 → 0.9084, u3 0.9135 → 0.9059;
 * cold items unchanged (0.9988 → 0.9985); the user side alone gained nothing.
 */
export function withPooledHistory(spec: FeatureSpec): FeatureSpec {
  const history: FeatureDef = { type: 'sequence', name: 'history', length: 0 };
  return { ...spec, user: [...spec.user, history], item: [...spec.item, history] };
}

/**
 * Adds the items' titles as text where `auto` leaves them out (ML-100K, generic CSV with a
 * title column): words of a vocabulary of words in ≥ 5 films, no bigrams, as on ml-latest.
 * On ML-100K they cost u1 RMSE (0.9208 → 0.9229) and help new films at one seed of four, so
 * `auto` does not take them; `auto+titles` does when asked.
 */
export function withTitles(spec: FeatureSpec, dataset: Dataset): FeatureSpec {
  const column = dataset.items?.columns.title;
  if (column?.kind !== 'string') throw new Error(`features auto+titles: the items have no title column (${dataset.description})`);
  if (spec.item.some((d) => d.type === 'text' && d.column === 'title')) return spec;
  const title: FeatureDef = { type: 'text', column: 'title', buckets: 0, minFrequency: 5, bigrams: false };
  const stats = spec.item.findIndex((d) => d.type === 'stats');
  const item = stats < 0 ? [...spec.item, title] : [...spec.item.slice(0, stats), title, ...spec.item.slice(stats)];
  return { ...spec, item };
}

/** A `vector` feature per group of number columns `name[0]` … `name[d-1]` (data/vectors.ts). */
function vectorFeatures(table: EntityTable | undefined): FeatureDef[] {
  const dims = new Map<string, number>();
  for (const [column, c] of Object.entries(table?.columns ?? {})) {
    const m = /^(.+)\[(\d+)\]$/.exec(column);
    if (m && c.kind === 'number') dims.set(m[1], Math.max(dims.get(m[1]) ?? 0, Number(m[2]) + 1));
  }
  return [...dims].map(([column, dim]) => ({ type: 'vector', column, dim }));
}
