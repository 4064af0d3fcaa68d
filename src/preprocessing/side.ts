// Fitting and applying the features of one side (users or items): scalers and vocabularies
// learnt from the training entities, then flat arrays in the EncodedSide layout.

import type { FeatureDef, MultiFeature, TextFeature, VectorFeature } from './spec.js';
import { DEFAULT_TEXT_BUCKETS, DEFAULT_TEXT_MAX_TOKENS, featureName } from './spec.js';
import { hashBucket, tokenize } from './text-tokens.js';
import type { RawValue } from './derive.js';
import { asLabel, asLabels, asNumber, bucketCode, compareLabels, widthLabel } from './derive.js';
import type { EncodedCategorical, EncodedMulti, EncodedSide } from './encoded.js';
import type { StatValues } from './stats.js';
import { statColumns, statNames } from './stats.js';
import { standardScaler } from './scaler.js';
import { vectorColumn } from '../data/vectors.js';
import { encodeSequence, type FittedSequence } from './sequence-feature.js';
import { encodeGraph, graphDegrees } from './graph-feature.js';

/** What fitting learnt for one feature; plain numbers and strings so it serialises as is. */
export interface FittedParams {
  /** Mean and std of each continuous output of the feature (1, or one per statistic). */
  mean?: number[];
  std?: number[];
  /** Known labels; label vocab[k] has code k + 1. */
  vocab?: string[];
  /** A GCN-normalised graph feature: each indexed entity's count of known links (0 outside the training entities). */
  degrees?: number[];
  /** A sequence feature's fitted histories (FittedSequence). */
  sequences?: FittedSequence['sequences'];
}

/** One entity to encode: how to read its raw cells, and its rating statistics. */
export interface EntityView {
  /** The entity's id (absent for brand-new raw rows). */
  id?: string;
  cell(column: string): RawValue;
  stats: StatValues;
}

/** A feature's label for categorical encoding, null when missing. */
function labelOf(def: FeatureDef, e: EntityView): string | null {
  if (def.type === 'stats' || def.type === 'multi' || def.type === 'text' || def.type === 'vector' || def.type === 'graph' || def.type === 'sequence') return null;
  const raw = e.cell(def.column);
  if (def.type === 'bucket') return def.width ? widthLabel(asNumber(raw, def.date), def.width) : null;
  return asLabel(raw, def.date, def.type === 'categorical' ? def.prefix : undefined);
}

function vocabOf(labelSets: Iterable<Iterable<string>>, minFrequency = 1): string[] {
  const counts = new Map<string, number>();
  for (const set of labelSets) for (const l of new Set(set)) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].filter(([, c]) => c >= minFrequency).map(([l]) => l).sort(compareLabels);
}

/**
 * Learns each feature's parameters from `entities` (the training entities) and `statsRows`
 * (the statistics of every entity with training ratings). A graph feature keeps `indexIds`,
 * the side's ids in index order: its codes are rows of the id table.
 */
export function fitSide(defs: FeatureDef[], entities: EntityView[], statsRows: StatValues[], indexIds: readonly string[] = []): FittedParams[] {
  return defs.map((def): FittedParams => {
    switch (def.type) {
      case 'continuous': {
        const s = standardScaler(entities.map((e) => asNumber(e.cell(def.column), def.date)));
        return { mean: [s.mean], std: [s.std] };
      }
      case 'both': {
        const s = standardScaler(entities.map((e) => asNumber(e.cell(def.column), def.date)));
        const labels = entities.map((e) => labelOf(def, e)).filter((l): l is string => l !== null);
        return { mean: [s.mean], std: [s.std], vocab: vocabOf(labels.map((l) => [l]), def.minFrequency) };
      }
      case 'categorical':
      case 'bucket': {
        if (def.type === 'bucket' && def.edges) return {};
        const labels = entities.map((e) => labelOf(def, e)).filter((l): l is string => l !== null);
        return { vocab: vocabOf(labels.map((l) => [l]), def.minFrequency) };
      }
      case 'multi':
        return { vocab: vocabOf(entities.map((e) => asLabels(e.cell(def.column))), def.minFrequency) };
      case 'graph':
        return { vocab: [...indexIds], ...(def.aggregate === 'gcn' ? { degrees: graphDegrees(def, entities, indexIds) } : {}) };
      case 'sequence':
        // Fitted from the training interactions by the pipeline (fitSequence).
        return {};
      case 'text':
        return textBuckets(def) > 0 ? {} : { vocab: vocabOf(entities.map((e) => textTokens(def, e)), def.minFrequency ?? 2) };
      case 'vector': {
        if ((def.normalize ?? 'l2') !== 'standard') return {};
        const fitted = Array.from({ length: def.dim }, (_, k) => standardScaler(entities.map((e) => asNumber(e.cell(vectorColumn(def.column, k))))));
        return { mean: fitted.map((f) => f.mean), std: fitted.map((f) => f.std) };
      }
      case 'stats': {
        const cols = statColumns(def.stats);
        const fitted = cols.map((c) => standardScaler(statsRows.map((s) => s[c])));
        return { mean: fitted.map((f) => f.mean), std: fitted.map((f) => f.std) };
      }
    }
  });
}

/** Names of the continuous outputs, in column order. */
export function continuousNames(defs: FeatureDef[], params: FittedParams[]): string[] {
  const names: string[] = [];
  defs.forEach((def, k) => {
    const name = featureName(def);
    if (def.type === 'continuous' || def.type === 'both') names.push(name);
    else if (def.type === 'multi' && def.multiHot) for (const v of params[k].vocab!) names.push(`${name}=${v}`);
    else if (def.type === 'stats') names.push(...statNames(name, def.stats));
    else if (def.type === 'vector') for (let k = 0; k < def.dim; k++) names.push(vectorColumn(name, k));
  });
  return names;
}

/** Encodes `entities` into the EncodedSide layout; the caller appends the unknown entity last. */
export function encodeSide(defs: FeatureDef[], params: FittedParams[], entities: EntityView[]): EncodedSide {
  const n = entities.length;
  const contNames = continuousNames(defs, params);
  const width = contNames.length;
  const continuous = new Float32Array(n * width);
  const categorical: EncodedCategorical[] = [];
  const multi: EncodedMulti[] = [];
  let col = 0;
  const standardize = (values: (e: EntityView) => number, mean: number, std: number) => {
    for (let r = 0; r < n; r++) {
      const v = values(entities[r]);
      continuous[r * width + col] = Number.isFinite(v) ? (v - mean) / std : 0;
    }
    col++;
  };
  const labelCodes = (def: FeatureDef, vocab: string[]) => {
    const code = new Map(vocab.map((l, k) => [l, k + 1]));
    const codes = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      const label = labelOf(def, entities[r]);
      codes[r] = label === null ? 0 : (code.get(label) ?? 0);
    }
    categorical.push({ name: featureName(def), cardinality: vocab.length + 1, codes });
  };

  defs.forEach((def, k) => {
    const p = params[k];
    switch (def.type) {
      case 'continuous':
      case 'both':
        standardize((e) => asNumber(e.cell(def.column), def.date), p.mean![0], p.std![0]);
        if (def.type === 'both') labelCodes(def, p.vocab!);
        break;
      case 'categorical':
        labelCodes(def, p.vocab!);
        break;
      case 'bucket':
        if (def.edges) {
          const codes = new Int32Array(n);
          for (let r = 0; r < n; r++) codes[r] = bucketCode(asNumber(entities[r].cell(def.column), def.date), def.edges);
          categorical.push({ name: featureName(def), cardinality: def.edges.length + 2, codes });
        } else {
          labelCodes(def, p.vocab!);
        }
        break;
      case 'multi':
        multi.push(encodeMulti(def, p.vocab!, entities, (r, id) => (continuous[r * width + col + id - 1] = 1)));
        if (def.multiHot) col += p.vocab!.length;
        break;
      case 'text':
        multi.push(encodeText(def, p.vocab ?? null, entities));
        break;
      case 'graph':
        multi.push(encodeGraph(def, p, entities));
        break;
      case 'sequence':
        multi.push(encodeSequence(def, p, entities));
        break;
      case 'vector':
        for (let r = 0; r < n; r++) encodeVector(def, p, entities[r], continuous.subarray(r * width + col, r * width + col + def.dim));
        col += def.dim;
        break;
      case 'stats':
        statColumns(def.stats).forEach((c, j) => standardize((e) => e.stats[c], p.mean![j], p.std![j]));
        break;
    }
  });
  return { n, continuous, contNames, categorical, multi };
}

/**
 * CSR ids of a multi-valued feature; calls `hot(row, id)` for each known id (multi-hot).
 * Unseen labels become id 0 next to the known ones, so an entity keeps its known genres.
 */
function encodeMulti(def: MultiFeature, vocab: string[], entities: EntityView[], hot: (row: number, id: number) => void): EncodedMulti {
  const code = new Map(vocab.map((l, k) => [l, k + 1]));
  const offsets = new Int32Array(entities.length + 1);
  const ids: number[] = [];
  entities.forEach((e, r) => {
    const row = new Set<number>();
    for (const l of asLabels(e.cell(def.column))) row.add(code.get(l) ?? 0);
    if (row.size === 0) row.add(0);
    for (const id of row) {
      ids.push(id);
      if (id > 0 && def.multiHot) hot(r, id);
    }
    offsets[r + 1] = ids.length;
  });
  return { name: featureName(def), cardinality: vocab.length + 1, offsets, ids: Int32Array.from(ids) };
}

/**
 * The code each token gets in a fitted text feature (its hash bucket, or its vocabulary code;
 * 0 when the vocabulary lacks it): how word vectors find the embedding rows they initialise.
 */
export function textTokenCodes(def: TextFeature, params: FittedParams, tokens: readonly string[]): { codes: Int32Array; cardinality: number } {
  const buckets = textBuckets(def);
  if (buckets > 0) return { codes: Int32Array.from(tokens, (t) => hashBucket(t, buckets)), cardinality: buckets + 1 };
  const code = new Map(params.vocab!.map((t, k) => [t, k + 1]));
  return { codes: Int32Array.from(tokens, (t) => code.get(t) ?? 0), cardinality: params.vocab!.length + 1 };
}

const textBuckets = (def: TextFeature) => def.buckets ?? DEFAULT_TEXT_BUCKETS;

/** The tokens of every text in the entity's cell (a string, or a list of them such as tags). */
function textTokens(def: TextFeature, e: EntityView): string[] {
  const options = { bigrams: def.bigrams ?? def.encoder !== 'gru', charNgrams: def.charNgrams };
  return asLabels(e.cell(def.column)).flatMap((text) => tokenize(text, options));
}

/**
 * CSR token ids of a text feature: hash buckets (or vocabulary codes) with repeats kept, so
 * the mean pooling weighs a token by its count; an entity without tokens gets the unknown id 0.
 */
function encodeText(def: TextFeature, vocab: string[] | null, entities: EntityView[]): EncodedMulti {
  const buckets = textBuckets(def);
  const code = vocab ? new Map(vocab.map((t, k) => [t, k + 1])) : null;
  const offsets = new Int32Array(entities.length + 1);
  const ids: number[] = [];
  entities.forEach((e, r) => {
    const before = ids.length;
    for (const t of textTokens(def, e)) ids.push(code ? (code.get(t) ?? 0) : hashBucket(t, buckets));
    if (ids.length === before) ids.push(0);
    offsets[r + 1] = ids.length;
  });
  const recurrent = def.encoder === 'gru' ? { recurrentTokens: def.maxTokens ?? DEFAULT_TEXT_MAX_TOKENS } : {};
  return { name: featureName(def), cardinality: (vocab ? vocab.length : buckets) + 1, offsets, ids: Int32Array.from(ids), ...recurrent };
}

/** One entity's vector into `out`: missing dimensions are 0 (the mean, when standardised). */
function encodeVector(def: VectorFeature, p: FittedParams, e: EntityView, out: Float32Array): void {
  let norm = 0;
  for (let k = 0; k < def.dim; k++) {
    const v = asNumber(e.cell(vectorColumn(def.column, k)));
    out[k] = !Number.isFinite(v) ? 0 : p.mean ? (v - p.mean[k]) / p.std![k] : v;
    norm += out[k] * out[k];
  }
  if ((def.normalize ?? 'l2') === 'l2' && norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let k = 0; k < def.dim; k++) out[k] *= scale;
  }
}
