// FeaturePipeline: fit on training data, encode any id or brand-new raw rows, save as JSON.

import { vectorColumn } from '../data/vectors.js';
import type { Dataset } from '../data/dataset.js';
import type { IdIndex, Interactions } from '../data/interactions.js';
import type { FeatureDef, FeatureSpec, Side, TextFeature } from './spec.js';
import { featureName, parseFeatureSpec } from './spec.js';
import { resolveFeatureSpec } from './auto.js';
import type { RawRow } from './derive.js';
import type { EncodedInteractions, EncodedSide } from './encoded.js';
import type { EntityView, FittedParams } from './side.js';
import { encodeSide, fitSide, textTokenCodes } from './side.js';
import type { RatingStats, StatValues } from './stats.js';
import { ratingStats } from './stats.js';
import type { RawTableJSON } from './table.js';
import { RawTable } from './table.js';
import { fitItemAge, encodeItemAge } from './interaction.js';
import { fitSequence } from './sequence-feature.js';

export interface PipelineFitOptions {
  /**
   * Entities whose raw features the scalers and vocabularies learn from: `'train'` (default)
   * = those with at least one training rating, so held-out users cannot shape the encoding;
   * `'all'` = every row of the feature tables.
   */
  entities?: 'train' | 'all';
}

interface SideState {
  defs: FeatureDef[];
  table: RawTable;
  stats: RatingStats;
  params: FittedParams[];
}

interface StatsJSON {
  ids: string[];
  values: (number | null)[][];
  cold: (number | null)[];
}

/** What `toJSON` writes; `FeaturePipeline.fromJSON` reads it back. */
export interface FeaturePipelineJSON {
  version: 1;
  spec: FeatureSpec;
  user: { table: RawTableJSON; params: FittedParams[]; stats: StatsJSON };
  item: { table: RawTableJSON; params: FittedParams[]; stats: StatsJSON };
  interaction: FittedParams[];
}

const NO_STATS: RatingStats = { byId: new Map(), cold: [NaN, 0, NaN, NaN, NaN] };

/** Columns a side's features read, so the pipeline keeps only those. */
function usedColumns(defs: FeatureDef[]): string[] {
  return defs.flatMap((d) => (d.type === 'stats' || d.type === 'sequence' ? [] : d.type === 'vector' ? Array.from({ length: d.dim }, (_, k) => vectorColumn(d.column, k)) : [d.column]));
}

/**
 * Turns raw user/item tables and ratings into model inputs (see EncodedSide). Fit once on
 * the training ratings; encode any index or raw rows; `toJSON`/`fromJSON` give identical
 * encodings after a reload. Unknown ids and values map to "unknown", never to an error.
 *
 * @example
 * const pipeline = FeaturePipeline.fit(dataset, split.train, 'auto');
 * const users = pipeline.encode('user', dataset.userIndex);
 * const newcomer = pipeline.encodeRows('user', [{ age: 25, gender: 'F', occupation: 'student' }]);
 * const copy = FeaturePipeline.fromJSON(JSON.parse(JSON.stringify(pipeline)));
 */
export class FeaturePipeline {
  private constructor(
    readonly spec: FeatureSpec,
    private readonly sides: Record<Side, SideState>,
    private readonly interactionParams: FittedParams[],
  ) {}

  /** Learns scalers, vocabularies and rating statistics from `train` (indices into the dataset's indexes). */
  static fit(dataset: Dataset, train: Interactions, spec: FeatureSpec | string = 'auto', options: PipelineFitOptions = {}): FeaturePipeline {
    const resolved = resolveFeatureSpec(spec, dataset);
    const fitOne = (side: Side): SideState => {
      const defs = resolved[side];
      const index = side === 'user' ? dataset.userIndex : dataset.itemIndex;
      const keep = usedColumns(defs);
      if (side === 'item') for (const d of resolved.interaction ?? []) keep.push(d.column);
      const table = RawTable.from(side === 'user' ? dataset.users : dataset.items, keep);
      const stats = defs.some((d) => d.type === 'stats') ? ratingStats(train, side, index) : NO_STATS;
      let rows = table.ids.map((_, r) => r);
      if (options.entities !== 'all') {
        const who = side === 'user' ? train.users : train.items;
        const seen = new Set<string>();
        for (let r = 0; r < train.length; r++) seen.add(index.ids[who[r]]);
        rows = rows.filter((r) => seen.has(table.ids[r]));
      }
      const views = rows.map((r) => tableView(table, r, stats.cold));
      const params = fitSide(defs, views, [...stats.byId.values()], index.ids);
      const other = side === 'user' ? dataset.itemIndex : dataset.userIndex;
      const otherTable = side === 'user' ? dataset.items : dataset.users;
      defs.forEach((d, k) => d.type === 'sequence' && (params[k] = fitSequence(d, train, side, index, other, otherTable)));
      return { defs, table, stats, params };
    };
    const sides = { user: fitOne('user'), item: fitOne('item') };
    const interaction = (resolved.interaction ?? []).map((def) => fitItemAge(def, train, dataset.itemIndex, sides.item.table));
    return new FeaturePipeline(resolved, sides, interaction);
  }

  /** One row per id of `index` (dense order), plus the unknown entity as the last row. */
  encode(side: Side, index: IdIndex): EncodedSide {
    const s = this.sides[side];
    const views: EntityView[] = index.ids.map((id) => ({ ...tableView(s.table, s.table.row(id), s.stats.byId.get(id) ?? s.stats.cold), id }));
    views.push(tableView(s.table, -1, s.stats.cold));
    return encodeSide(s.defs, s.params, views);
  }

  /**
   * Encodes brand-new entities from raw values keyed by column name (missing keys → unknown
   * or mean); they get the cold-start statistics. The unknown entity is again the last row.
   */
  encodeRows(side: Side, rows: RawRow[]): EncodedSide {
    const s = this.sides[side];
    const views: EntityView[] = rows.map((row) => ({ cell: (c) => row[c] ?? null, stats: s.stats.cold }));
    views.push(tableView(s.table, -1, s.stats.cold));
    return encodeSide(s.defs, s.params, views);
  }

  /** Per-rating features (item age at rating time), standardized with the training ratings' scaler. */
  encodeInteractions(data: Interactions, itemIndex: IdIndex): EncodedInteractions {
    const defs = this.spec.interaction ?? [];
    const names = defs.map((d) => d.name ?? 'item_age');
    const values = new Float32Array(data.length * defs.length);
    defs.forEach((def, k) => {
      const col = encodeItemAge(def, this.interactionParams[k], data, itemIndex, this.sides.item.table);
      for (let r = 0; r < data.length; r++) values[r * defs.length + k] = col[r];
    });
    return { n: data.length, values, names };
  }

  /** The raw columns `encodeRows(side, …)` reads (statistics and histories come from the ratings, not a row). */
  inputColumns(side: Side): string[] {
    return [...new Set(usedColumns(this.sides[side].defs))];
  }

  /**
   * The raw feature row the fitted table holds for an id (every kept column), or null: how
   * a user with a feature row but no ratings is described for a cold start.
   */
  rawRow(side: Side, id: string): RawRow | null {
    return this.sides[side].table.rawRow(id);
  }

  /** Raw ids of a side's stored feature rows. */
  tableIds(side: Side): readonly string[] {
    return this.sides[side].table.ids;
  }

  /**
   * The rows of a text feature's embedding table that `tokens` (as the tokenizer writes
   * them: lower-cased words, `a b` bigrams) map to; 0 = unknown.
   *
   * @example
   * const { codes } = pipeline.textTokenCodes('item', 'tags', ['funny', 'dark comedy']);
   */
  textTokenCodes(side: Side, feature: string, tokens: readonly string[]): { codes: Int32Array; cardinality: number } {
    const s = this.sides[side];
    const k = s.defs.findIndex((d) => d.type === 'text' && featureName(d) === feature);
    if (k < 0) throw new Error(`textTokenCodes: no text feature '${feature}' on the ${side} side (text features: ${s.defs.filter((d) => d.type === 'text').map(featureName).join(', ') || 'none'})`);
    return textTokenCodes(s.defs[k] as TextFeature, s.params[k], tokens);
  }

  toJSON(): FeaturePipelineJSON {
    const side = (s: SideState) => ({
      table: s.table.toJSON(),
      params: s.params,
      stats: {
        ids: [...s.stats.byId.keys()],
        values: [...s.stats.byId.values()].map(nullNaN),
        cold: nullNaN(s.stats.cold),
      },
    });
    return { version: 1, spec: this.spec, user: side(this.sides.user), item: side(this.sides.item), interaction: this.interactionParams };
  }

  static fromJSON(json: FeaturePipelineJSON): FeaturePipeline {
    if (json?.version !== 1) throw new Error(`FeaturePipeline.fromJSON: unsupported version ${JSON.stringify(json?.version)}`);
    const spec = parseFeatureSpec(json.spec);
    const side = (name: Side): SideState => {
      const j = json[name];
      const byId = new Map<string, StatValues>();
      j.stats.ids.forEach((id, k) => byId.set(id, nanNull(j.stats.values[k])));
      return { defs: spec[name], table: RawTable.fromJSON(j.table), stats: { byId, cold: nanNull(j.stats.cold) }, params: j.params };
    };
    return new FeaturePipeline(spec, { user: side('user'), item: side('item') }, json.interaction);
  }
}

function tableView(table: RawTable, row: number, stats: StatValues): EntityView {
  return { id: table.ids[row], cell: (c) => table.cell(row, c), stats };
}

const nullNaN = (v: readonly number[]): (number | null)[] => v.map((x) => (Number.isNaN(x) ? null : x));
const nanNull = (v: readonly (number | null)[]): StatValues => v.map((x) => (x === null ? NaN : x)) as StatValues;
