// A behaviour history as a feature (issue 12): each user's latest training events — or each
// item's latest users — as ids of the other side, pooled like genres through a table of its
// own. This is SVD++'s implicit feedback inside a tower. Fitted on the training interactions
// only; the feature model leaves each training example's own item out of its row, so a
// rating is never predicted from the fact that it was made. Events can carry attributes
// (./sequence-attributes.ts): the rating given, the time gap, the other side's categories.

import type { EntityTable } from '../data/dataset.js';
import { buildHistories } from '../data/histories.js';
import type { IdIndex, Interactions } from '../data/interactions.js';
import type { EncodedMulti } from './encoded.js';
import { AttributeTokens } from './sequence-attributes.js';
import { featureName, type SequenceFeature, type Side } from './spec.js';

/** What fitting a sequence feature learns (a part of side.ts's FittedParams). */
export interface FittedSequence {
  /** The other side's ids: code k + 1 is vocab[k]. */
  vocab?: string[];
  /** Entity ids[k] has codes[k], oldest first. */
  sequences?: { ids: string[]; codes: number[][] };
  /** With the 'rating' attribute: the ratings an event can carry, ascending (code − 1 = row · levels.length + level). */
  levels?: number[];
  /**
   * With 'gap' or column attributes: the attribute tokens ("gap:7", "genres=Drama"), coded
   * after the events (code = vocab.length · levels + 1 + k); each event's tokens follow it.
   */
  attributeVocab?: string[];
}

/** Most distinct rating values the 'rating' attribute keeps apart (finer scales are rounded to halves). */
const MAX_LEVELS = 10;

/** Events a sequence feature keeps per entity by default (the most recent). */
export const DEFAULT_SEQUENCE_LENGTH = 50;

/**
 * Each entity's latest `length` training events (0 = all) in time order, as codes of the
 * other side's index (code = position + 1; 0 = no events), keyed by the entity's id; with
 * attributes, each event's attribute tokens after its code. `otherTable`: the other side's
 * table, for column attributes.
 */
export function fitSequence(def: SequenceFeature, train: Interactions, side: Side, index: IdIndex, other: IdIndex, otherTable?: EntityTable): FittedSequence {
  const flipped = side === 'user' ? train : { ...train, users: train.items, items: train.users };
  const h = buildHistories(flipped, index.size, { threshold: def.minRating });
  const L = def.length ?? DEFAULT_SEQUENCE_LENGTH;
  const name = featureName(def);
  const levels = def.attributes?.includes('rating') ? ratingLevels(train.ratings, name) : null;
  const attrs = AttributeTokens.fit(def, name, train, other, otherTable);
  const base = other.size * (levels?.length ?? 1) + 1;
  const ids: string[] = [];
  const codes: number[][] = [];
  for (let e = 0; e < index.size; e++) {
    const from = L > 0 ? Math.max(h.start[e], h.start[e + 1] - L) : h.start[e];
    if (from === h.start[e + 1]) continue;
    ids.push(index.ids[e]);
    const row: number[] = [];
    const latest = h.rows[h.start[e + 1] - 1];
    for (let j = from; j < h.start[e + 1]; j++) {
      row.push(levels ? h.items[j] * levels.length + nearestLevel(train.ratings[h.rows[j]], levels) + 1 : h.items[j] + 1);
      attrs?.push(row, base, h.items[j], h.rows[j], latest);
    }
    codes.push(row);
  }
  return { vocab: [...other.ids], sequences: { ids, codes }, ...(levels ? { levels } : {}), ...(attrs ? { attributeVocab: attrs.vocab } : {}) };
}

function nearestLevel(r: number, levels: readonly number[]): number {
  let best = 0;
  for (let k = 1; k < levels.length; k++) if (Math.abs(r - levels[k]) < Math.abs(r - levels[best])) best = k;
  return best;
}

/** The distinct training ratings (rounded to halves when there are more than MAX_LEVELS), ascending. */
function ratingLevels(ratings: Float32Array, feature: string): number[] {
  let values = [...new Set(ratings)].sort((a, b) => a - b);
  if (values.length > MAX_LEVELS) values = [...new Set(values.map((v) => Math.round(v * 2) / 2))].sort((a, b) => a - b);
  if (values.length > MAX_LEVELS) throw new Error(`sequence feature '${feature}': the 'rating' attribute keeps at most ${MAX_LEVELS} rating values apart; these ratings have ${values.length} distinct halves`);
  return values;
}

/**
 * CSR codes of each entity's fitted history, oldest first ('counterpart': code − 1 is a row
 * of the other side's index); entities without events (brand-new ones included) get [0].
 */
export function encodeSequence(def: SequenceFeature, params: FittedSequence, entities: readonly { id?: string }[]): EncodedMulti {
  const stored = params.sequences!;
  const at = new Map(stored.ids.map((id, k) => [id, k]));
  const offsets = new Int32Array(entities.length + 1);
  const ids: number[] = [];
  entities.forEach((e, r) => {
    const k = e.id === undefined ? undefined : at.get(e.id);
    if (k === undefined) ids.push(0);
    else for (const c of stored.codes[k]) ids.push(c);
    offsets[r + 1] = ids.length;
  });
  const levels = params.levels?.length ?? 1;
  const attributeTokens = params.attributeVocab?.length ?? 0;
  return {
    name: featureName(def), cardinality: params.vocab!.length * levels + 1 + attributeTokens, offsets, ids: Int32Array.from(ids), of: 'counterpart',
    ...(levels > 1 ? { levels } : {}), ...(attributeTokens > 0 ? { attributeTokens } : {}),
  };
}
