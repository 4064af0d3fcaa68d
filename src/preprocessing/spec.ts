// The feature spec: which raw columns become which model inputs. Plain JSON, so a spec can
// live in a file (docs/features.md) and travel inside a saved pipeline.

/** A part of a date, taken from a date string (`01-Jan-1995`, `1995-01-01`) or epoch seconds. */
export type DatePart = 'year' | 'month' | 'weekday';

/** The per-entity rating statistics that a `stats` feature can add. */
export type StatName = 'mean' | 'logCount' | 'q25' | 'q50' | 'q75';

export const ALL_STATS: readonly StatName[] = ['mean', 'logCount', 'q25', 'q50', 'q75'];

/** Options shared by features that read one raw column. */
interface ColumnFeature {
  /** Column of the user or item table (or key of a row given to `encodeRows`). */
  column: string;
  /** Output name; defaults to the column name. */
  name?: string;
  /** Read this part of a date instead of the raw value. */
  date?: DatePart;
}

/** Standardized with the training entities' mean and std; missing → 0 (the mean). */
export interface ContinuousFeature extends ColumnFeature {
  type: 'continuous';
}

/** Label-encoded; code 0 = unknown (missing, unseen, or rarer than `minFrequency`). */
export interface CategoricalFeature extends ColumnFeature {
  type: 'categorical';
  /** Values held by fewer training entities than this become unknown. */
  minFrequency?: number;
  /** Keep only the first N characters, e.g. 1 for a zip code's region. */
  prefix?: number;
}

/** One column used both ways at once, e.g. the course's `year`. */
export interface BothFeature extends ColumnFeature {
  type: 'both';
  minFrequency?: number;
}

/**
 * A number turned into a category: either fixed `edges` (code 1 = below edges[0], code k+1 =
 * in [edges[k-1], edges[k]), ...) or buckets of `width` (decades: width 10), label-encoded.
 */
export interface BucketFeature extends ColumnFeature {
  type: 'bucket';
  edges?: number[];
  width?: number;
  minFrequency?: number;
}

/** A list of values (genres): ids in CSR form for mean pooling, optionally multi-hot columns. */
export interface MultiFeature extends ColumnFeature {
  type: 'multi';
  minFrequency?: number;
  /** Also add one 0/1 continuous column per known value, named `<name>=<value>`. */
  multiHot?: boolean;
}

/**
 * Free text — titles, descriptions, the tags users gave an item (a list column: one text per
 * tag, so a tag given three times weighs three times) — as tokens mean-pooled like a multi
 * feature, or read in order by a GRU (`encoder: 'gru'`). Tokens: lower-cased Unicode words,
 * word bigrams, optionally character n-grams.
 */
export interface TextFeature extends ColumnFeature {
  type: 'text';
  /** The hashing trick into this many buckets (default 4096; no vocabulary to ship); 0 = a vocabulary fitted on the training entities. */
  buckets?: number;
  /** Vocabulary mode: tokens used by fewer training entities become the unknown token (default 2). */
  minFrequency?: number;
  /** Add word bigrams (default true; false with the GRU encoder, which sees word order itself). */
  bigrams?: boolean;
  /** Add character n-grams of this length (default 0 = none). */
  charNgrams?: number;
  /**
   * 'mean' (default): the tokens' embeddings averaged (a bag of words). 'gru': the first
   * `maxTokens` tokens, in order, through a GRU whose last state is the text's vector (a
   * recurrent text encoder) — in the two-tower and mf-features; LinearRS and the sequence
   * models' item tower average the same tokens.
   */
  encoder?: TextEncoder;
  /** The GRU encoder reads at most this many tokens of each entity (default 16). */
  maxTokens?: number;
}

export type TextEncoder = 'mean' | 'gru';

/** Default number of tokens the GRU text encoder reads. */
export const DEFAULT_TEXT_MAX_TOKENS = 16;
/** The most tokens the GRU text encoder reads (its buffers grow with them). */
export const MAX_RECURRENT_TOKENS = 512;

/**
 * A precomputed vector per entity (CLIP or CNN image embeddings, language-model text
 * embeddings, anything computed upstream): the numeric columns `column[0]` … `column[dim-1]`
 * (data/vectors.ts joins .npy or safetensors files that way), normalised, fed to the tower as
 * `dim` continuous inputs that its first Dense layer projects.
 */
export interface VectorFeature {
  type: 'vector';
  /** The vectors' name: columns `column[0]` … `column[dim-1]`. */
  column: string;
  dim: number;
  name?: string;
  /** 'l2' (default): unit length per entity; 'standard': each dimension standardised over the training entities; 'none'. */
  normalize?: 'l2' | 'standard' | 'none';
}

/**
 * A side graph's links (a list column of ids of the same side, such as the `neighbours`
 * `--user-graph` adds): the mean of the linked entities' id embeddings, read from the tower's
 * own id table — one GraphSAGE-mean convolution over the graph. Needs an id embedding.
 */
export interface GraphFeature {
  type: 'graph';
  column: string;
  name?: string;
  /**
   * 'mean' (default, GraphSAGE): the linked entities' mean. 'gcn': GCN's symmetric
   * normalisation, Σ_v e_v / √((d_u + 1)(d_v + 1)), degrees counted over the training
   * entities' known links (an entity outside them counts 0).
   */
  aggregate?: 'mean' | 'gcn';
}

/**
 * A behaviour history: the entity's latest training events as ids of the other side (a
 * user's items, an item's users), mean-pooled through a table of their own — SVD++'s
 * implicit feedback inside a tower. Read from the training interactions, not from a column.
 */
export interface SequenceFeature {
  type: 'sequence';
  /** Output name (default `history`). */
  name?: string;
  /** The most recent events kept (default 50; 0 = all). */
  length?: number;
  /** Only interactions rated at least this are events (default: all). */
  minRating?: number;
  /**
   * Per-event attributes: 'rating' makes each event a token of (item, the rating given), so
   * a 2-star and a 5-star view pull the user different ways (Koren's asymmetric SVD, 2008);
   * 'gap' adds a token of the event's time gap to the entity's latest event (log buckets);
   * any other name is a categorical or list column of the other side (e.g. an item's
   * 'genres'), whose values join the row after each event.
   */
  attributes?: SequenceAttribute[];
}

/** 'rating', 'gap' or a column of the other side's table. */
export type SequenceAttribute = 'rating' | 'gap' | (string & {});

/** Default number of hash buckets of a text feature. */
export const DEFAULT_TEXT_BUCKETS = 4096;

/** Rating statistics of the entity from the training ratings, as standardized columns. */
export interface StatsFeature {
  type: 'stats';
  /** Column name prefix; defaults to `rating`. */
  name?: string;
  stats?: StatName[];
}

export type FeatureDef = ContinuousFeature | CategoricalFeature | BothFeature | BucketFeature | MultiFeature | TextFeature | VectorFeature | GraphFeature | SequenceFeature | StatsFeature;

/** Per-rating feature: years between the item's date (`column` of the item table) and the rating. */
export interface ItemAgeFeature {
  type: 'itemAge';
  column: string;
  name?: string;
}

export type InteractionFeatureDef = ItemAgeFeature;

/**
 * What to compute for users, items and each rating.
 *
 * @example
 * const spec: FeatureSpec = {
 *   user: [{ type: 'continuous', column: 'age' }, { type: 'categorical', column: 'gender' }],
 *   item: [{ type: 'multi', column: 'genres' }, { type: 'stats' }],
 * };
 */
export interface FeatureSpec {
  user: FeatureDef[];
  item: FeatureDef[];
  interaction?: InteractionFeatureDef[];
}

export type Side = 'user' | 'item';

const TYPES = new Set(['continuous', 'categorical', 'both', 'bucket', 'multi', 'text', 'vector', 'graph', 'sequence', 'stats']);
const DATE_PARTS = new Set(['year', 'month', 'weekday']);

/** The output name of a feature. */
export function featureName(def: FeatureDef): string {
  return def.type === 'stats' ? (def.name ?? 'rating') : def.type === 'sequence' ? (def.name ?? 'history') : (def.name ?? def.column);
}

/**
 * Checks a spec read from JSON and returns it typed; throws naming the first bad entry.
 *
 * @example
 * const spec = parseFeatureSpec(JSON.parse(text));
 */
export function parseFeatureSpec(raw: unknown): FeatureSpec {
  const obj = raw as Partial<FeatureSpec> | null;
  if (!obj || typeof obj !== 'object') throw new Error('feature spec: expected an object with "user" and "item" arrays');
  const spec: FeatureSpec = { user: obj.user ?? [], item: obj.item ?? [] };
  if (obj.interaction) spec.interaction = obj.interaction;
  for (const side of ['user', 'item'] as const) {
    const defs = spec[side];
    if (!Array.isArray(defs)) throw new Error(`feature spec: "${side}" must be an array`);
    defs.forEach((def, i) => checkDef(def, `${side}[${i}]`));
  }
  for (const [i, def] of (spec.interaction ?? []).entries()) {
    if (def?.type !== 'itemAge' || typeof def.column !== 'string') {
      throw new Error(`feature spec: interaction[${i}] must be {"type": "itemAge", "column": ...}`);
    }
  }
  return spec;
}

function checkDef(def: FeatureDef, where: string): void {
  if (!def || !TYPES.has(def.type)) throw new Error(`feature spec: ${where} has unknown type ${JSON.stringify(def?.type)}`);
  if (def.type === 'stats') {
    for (const s of def.stats ?? []) {
      if (!ALL_STATS.includes(s)) throw new Error(`feature spec: ${where} has unknown stat "${s}"`);
    }
    return;
  }
  if (def.type === 'sequence') {
    if (def.length !== undefined && !(Number.isInteger(def.length) && def.length >= 0)) throw new Error(`feature spec: ${where} length must be an integer ≥ 0 (0 = every event)`);
    if (def.minRating !== undefined && !Number.isFinite(def.minRating)) throw new Error(`feature spec: ${where} minRating must be a number`);
    if (def.name !== undefined && typeof def.name !== 'string') throw new Error(`feature spec: ${where} name must be a string`);
    const attrs = def.attributes;
    if (attrs !== undefined && !(Array.isArray(attrs) && attrs.every((a) => typeof a === 'string' && a.length > 0) && new Set(attrs).size === attrs.length)) {
      throw new Error(`feature spec: ${where} attributes must be a list of distinct names: "rating", "gap" or columns of the other side (e.g. "genres")`);
    }
    return;
  }
  if (typeof def.column !== 'string') throw new Error(`feature spec: ${where} needs a "column"`);
  if (def.type !== 'vector' && def.type !== 'graph' && def.date !== undefined && !DATE_PARTS.has(def.date)) throw new Error(`feature spec: ${where} has unknown date part "${def.date}"`);
  if (def.type === 'graph' && def.aggregate !== undefined && def.aggregate !== 'mean' && def.aggregate !== 'gcn') throw new Error(`feature spec: ${where} aggregate must be "mean" or "gcn", got ${JSON.stringify(def.aggregate)}`);
  if (def.type === 'vector') {
    if (!(Number.isInteger(def.dim) && def.dim >= 1 && def.dim <= 65_536)) throw new Error(`feature spec: ${where} dim must be an integer in 1..65536`);
    if (def.normalize !== undefined && !['l2', 'standard', 'none'].includes(def.normalize)) throw new Error(`feature spec: ${where} normalize must be "l2", "standard" or "none"`);
  }
  if (def.type === 'text') {
    const intIn = (v: unknown, lo: number, hi: number) => v === undefined || (Number.isInteger(v) && (v as number) >= lo && (v as number) <= hi);
    if (!intIn(def.buckets, 0, 1 << 22)) throw new Error(`feature spec: ${where} buckets must be an integer in 0..${1 << 22} (0 = a vocabulary)`);
    if (!intIn(def.charNgrams, 0, 8)) throw new Error(`feature spec: ${where} charNgrams must be an integer in 0..8`);
    if (!intIn(def.minFrequency, 1, Number.MAX_SAFE_INTEGER)) throw new Error(`feature spec: ${where} minFrequency must be an integer ≥ 1`);
    if (def.bigrams !== undefined && typeof def.bigrams !== 'boolean') throw new Error(`feature spec: ${where} bigrams must be true or false`);
    if (def.encoder !== undefined && def.encoder !== 'mean' && def.encoder !== 'gru') throw new Error(`feature spec: ${where} encoder must be "mean" or "gru", got ${JSON.stringify(def.encoder)}`);
    if (!intIn(def.maxTokens, 1, MAX_RECURRENT_TOKENS)) throw new Error(`feature spec: ${where} maxTokens must be an integer in 1..${MAX_RECURRENT_TOKENS}`);
    if (def.maxTokens !== undefined && def.encoder !== 'gru') throw new Error(`feature spec: ${where} maxTokens is for the "gru" encoder (the mean pools every token)`);
  }
  if (def.type === 'bucket') {
    const hasEdges = Array.isArray(def.edges) && def.edges.length > 0;
    if (hasEdges === (def.width !== undefined)) throw new Error(`feature spec: ${where} needs either "edges" or "width"`);
    if (hasEdges && def.edges!.some((e, k) => k > 0 && e <= def.edges![k - 1])) {
      throw new Error(`feature spec: ${where} edges must increase`);
    }
    if (def.width !== undefined && !(def.width > 0)) throw new Error(`feature spec: ${where} width must be positive`);
  }
}
