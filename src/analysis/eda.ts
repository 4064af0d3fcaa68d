// Exploratory data analysis as in the course: ratings by feature value, correlations of
// continuous features with the rating, and how cold a split leaves users and items.

import type { Dataset, EntityTable, Split } from '../data/dataset.js';
import type { IdIndex, Interactions } from '../data/interactions.js';
import { splitReport, type SplitReport } from '../data/splits.js';
import { AGE_GROUP_EDGES } from '../preprocessing/auto.js';
import { bucketCode, compareLabels } from '../preprocessing/derive.js';
import { ratingStats } from '../preprocessing/stats.js';

/** Columns with more distinct values than this (titles, zip codes) are not grouped. */
export const MAX_GROUPS = 50;
const MISSING = '(missing)';

export interface GroupStat {
  value: string;
  /** Ratings given by (users) or to (items) entities with this value. */
  count: number;
  meanRating: number;
}

export interface FeatureGroups {
  side: 'user' | 'item';
  feature: string;
  groups: GroupStat[];
}

export interface Correlation {
  side: 'user' | 'item';
  feature: string;
  /** Pearson r between the feature and the rating, over ratings where the feature is known. */
  r: number;
  n: number;
}

export interface EdaResult {
  description: string;
  nRatings: number;
  nUsers: number;
  nItems: number;
  meanRating: number;
  /** Ratings / (users × items). */
  density: number;
  ratingCounts: { value: number; count: number }[];
  byFeature: FeatureGroups[];
  correlations: Correlation[];
  /** Where the user/item rating statistics in `correlations` come from. */
  statsFrom: 'all ratings (in-sample)' | 'train, correlated on test';
  split?: { name: string; report: SplitReport };
}

export interface ExploreOptions {
  /** Adds the split's cold users/items, and computes rating statistics on its train part. */
  split?: Split;
}

/** Pearson correlation of `x` and `y` over positions where `x` is finite; NaN without spread. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): { r: number; n: number } {
  let n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i];
    if (!Number.isFinite(a)) continue;
    const b = y[i];
    n++;
    sx += a;
    sy += b;
    sxx += a * a;
    syy += b * b;
    sxy += a * b;
  }
  const cov = sxy - (sx * sy) / n;
  const den = Math.sqrt((sxx - (sx * sx) / n) * (syy - (sy * sy) / n));
  return { r: n > 1 && den > 0 ? cov / den : NaN, n };
}

/** Table row of each dense index, -1 when the table has no row for it. */
function rowsOf(table: EntityTable, index: IdIndex): Int32Array {
  const row = new Map(table.ids.map((id, r) => [id, r]));
  return Int32Array.from(index.ids, (id) => row.get(id) ?? -1);
}

/** Mean rating and count per label; `labels(r)` gives the labels of rating r. */
function groupRatings(data: Interactions, labels: (r: number) => string[], order: readonly string[] | undefined): GroupStat[] {
  const sum = new Map<string, number>();
  const count = new Map<string, number>();
  for (let r = 0; r < data.length; r++) {
    for (const l of labels(r)) {
      sum.set(l, (sum.get(l) ?? 0) + data.ratings[r]);
      count.set(l, (count.get(l) ?? 0) + 1);
    }
  }
  const known = order ? [...order, ...[...count.keys()].filter((l) => !order.includes(l))] : [...count.keys()].sort(compareLabels);
  // Missing goes last so the table reads in the natural order of the values.
  const values = [...known.filter((l) => l !== MISSING), ...(count.has(MISSING) ? [MISSING] : [])];
  return values.map((value) => ({ value, count: count.get(value) ?? 0, meanRating: (sum.get(value) ?? 0) / (count.get(value) ?? NaN) }));
}

const ageGroupLabels = (): string[] => {
  const e = AGE_GROUP_EDGES;
  return [`<${e[0]}`, ...e.slice(1).map((hi, k) => `${e[k]}-${hi - 1}`), `${e[e.length - 1]}+`];
};

function sideFeatures(side: 'user' | 'item', table: EntityTable, index: IdIndex, data: Interactions, out: EdaResult): void {
  const rowOf = rowsOf(table, index);
  const who = side === 'user' ? data.users : data.items;
  const rowAt = (r: number) => rowOf[who[r]];
  for (const [name, col] of Object.entries(table.columns)) {
    if (col.kind === 'number') {
      const x = Float64Array.from({ length: data.length }, (_, r) => (rowAt(r) < 0 ? NaN : col.values[rowAt(r)]));
      out.correlations.push({ side, feature: name, ...pearson(x, data.ratings) });
      const labelOf = (v: number): string => {
        if (Number.isNaN(v)) return MISSING;
        return name === 'age' ? ageGroupLabels()[bucketCode(v, AGE_GROUP_EDGES) - 1] : `${Math.floor(v / 10) * 10}s`;
      };
      if (name === 'age' || name === 'year') {
        const groups = groupRatings(data, (r) => [labelOf(x[r])], name === 'age' ? ageGroupLabels() : undefined);
        out.byFeature.push({ side, feature: name === 'age' ? 'age group' : 'decade', groups: groups.filter((g) => g.count > 0) });
      }
    } else if (col.kind === 'multi') {
      out.byFeature.push({ side, feature: name, groups: groupRatings(data, (r) => (rowAt(r) < 0 ? [MISSING] : col.values[rowAt(r)]), table.vocab?.[name]) });
    } else if (new Set(col.values).size <= MAX_GROUPS) {
      const groups = groupRatings(data, (r) => [(rowAt(r) < 0 ? null : col.values[rowAt(r)]) ?? MISSING], table.vocab?.[name]);
      out.byFeature.push({ side, feature: name, groups });
    }
  }
}

/**
 * What the course's EDA shows about a data set, optionally for a split.
 *
 * @example
 * const eda = explore(dataset, { split: makeSplit(dataset, { kind: 'cold-users', seed: 42 }) });
 * console.log(formatEda(eda));
 */
export function explore(dataset: Dataset, opts: ExploreOptions = {}): EdaResult {
  const data = dataset.ratings;
  const counts = new Map<number, number>();
  let sum = 0;
  for (let r = 0; r < data.length; r++) {
    sum += data.ratings[r];
    counts.set(data.ratings[r], (counts.get(data.ratings[r]) ?? 0) + 1);
  }
  const nUsers = dataset.userIndex.size;
  const nItems = dataset.itemIndex.size;
  const out: EdaResult = {
    description: dataset.description,
    nRatings: data.length,
    nUsers,
    nItems,
    meanRating: sum / data.length,
    density: data.length / (nUsers * nItems),
    ratingCounts: [...counts].sort((a, b) => a[0] - b[0]).map(([value, count]) => ({ value, count })),
    byFeature: [],
    correlations: [],
    statsFrom: opts.split ? 'train, correlated on test' : 'all ratings (in-sample)',
  };
  if (dataset.users) sideFeatures('user', dataset.users, dataset.userIndex, data, out);
  if (dataset.items) sideFeatures('item', dataset.items, dataset.itemIndex, data, out);

  // Statistics correlated with the ratings they were computed from look better than they are;
  // with a split, compute them on train and correlate on test, as a model would see them.
  const from = opts.split?.train ?? data;
  const on = opts.split?.test ?? data;
  for (const side of ['user', 'item'] as const) {
    const index = side === 'user' ? dataset.userIndex : dataset.itemIndex;
    const { byId, cold } = ratingStats(from, side, index);
    const who = side === 'user' ? on.users : on.items;
    const mean = Float64Array.from(who, (e) => (byId.get(index.ids[e]) ?? cold)[0]);
    const logCount = Float64Array.from(who, (e) => (byId.get(index.ids[e]) ?? cold)[1]);
    out.correlations.push({ side, feature: 'rating_mean', ...pearson(mean, on.ratings) });
    out.correlations.push({ side, feature: 'rating_log_count', ...pearson(logCount, on.ratings) });
  }
  if (opts.split) {
    const report = 'report' in opts.split ? (opts.split as Split & { report: SplitReport }).report : splitReport(opts.split.train, opts.split.test);
    out.split = { name: opts.split.name, report };
  }
  return out;
}

const fmt = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const pct = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : 'n/a');

/**
 * A plain-text report of `explore`'s result: one table per feature, then correlations.
 *
 * @example
 * console.log(formatEda(explore(dataset)));
 */
export function formatEda(eda: EdaResult): string {
  const lines: string[] = [];
  lines.push(eda.description);
  lines.push(`${eda.nRatings} ratings, ${eda.nUsers} users, ${eda.nItems} items, density ${pct(eda.nRatings, eda.nUsers * eda.nItems)}`);
  lines.push(`mean rating ${fmt(eda.meanRating, 5)}; ` + eda.ratingCounts.map((c) => `${c.value}: ${c.count}`).join(', '));

  for (const f of eda.byFeature) {
    lines.push('', `${f.side} ${f.feature}: ratings and mean rating by value`);
    const width = Math.max(5, ...f.groups.map((g) => g.value.length));
    for (const g of f.groups) {
      lines.push(`  ${g.value.padEnd(width)}  ${String(g.count).padStart(7)}  ${fmt(g.meanRating)}`);
    }
  }

  lines.push('', `Pearson correlation with the rating (rating statistics: ${eda.statsFrom})`);
  for (const c of eda.correlations) {
    lines.push(`  ${`${c.side} ${c.feature}`.padEnd(24)}  r = ${fmt(c.r).padStart(6)}  (n = ${c.n})`);
  }

  if (eda.split) {
    const s = eda.split.report;
    lines.push('', `split ${eda.split.name}`);
    lines.push(`  train: ${s.nTrain} ratings, ${s.usersTrain} users, ${s.itemsTrain} items`);
    lines.push(`  test:  ${s.nTest} ratings, ${s.usersTest} users, ${s.itemsTest} items`);
    lines.push(`  cold in test: ${s.coldUsers} users (${s.coldUserRatings} ratings), ${s.coldItems} items (${s.coldItemRatings} ratings)`);
  }
  return lines.join('\n');
}
