// Per-event attributes of a sequence feature besides the rating (./sequence-feature.ts): the
// event's time gap to the entity's latest event, bucketed on a log scale, and the other side's
// categories (an item's genres). Each becomes a token of its own after its event's code, so
// the pooled history also says how recent and of what kind the events were, and leaving an
// example's own event out of its row leaves its tokens out too (nn/features.ts).

import type { EntityTable } from '../data/dataset.js';
import type { IdIndex, Interactions } from '../data/interactions.js';
import { gapBucket } from '../data/time-gaps.js';
import type { SequenceFeature } from './spec.js';

/** The attribute that makes each event a (item, rating) token instead (./sequence-feature.ts). */
export const RATING_ATTRIBUTE = 'rating';
/** The attribute of each event's time gap to the entity's latest training event. */
export const GAP_ATTRIBUTE = 'gap';

/** The token vocabulary of a sequence feature's attributes, grown in event order while fitting. */
export class AttributeTokens {
  readonly vocab: string[] = [];
  private readonly codes = new Map<string, number>();

  private constructor(
    private readonly times: ArrayLike<number> | null,
    private readonly columns: readonly { name: string; values: (readonly string[] | null)[] }[],
  ) {}

  /**
   * The attributes `def` asks for beyond 'rating' (null: none). A column attribute names a
   * string or list column of the other side's table; errors name the feature.
   */
  static fit(def: SequenceFeature, feature: string, train: Interactions, other: IdIndex, otherTable: EntityTable | undefined): AttributeTokens | null {
    const wanted = (def.attributes ?? []).filter((a) => a !== RATING_ATTRIBUTE);
    if (wanted.length === 0) return null;
    if (wanted.includes(GAP_ATTRIBUTE) && !train.timestamps) throw new Error(`sequence feature '${feature}': the 'gap' attribute needs the interactions' timestamps; these have none`);
    const columns = wanted.filter((a) => a !== GAP_ATTRIBUTE).map((name) => ({ name, values: columnValues(feature, name, other, otherTable) }));
    return new AttributeTokens(wanted.includes(GAP_ATTRIBUTE) ? train.timestamps! : null, columns);
  }

  /**
   * Appends the tokens of one event — the other side's row `counterpart`, interaction row
   * `row` — to `out` as codes from `base`; `latest`: the entity's latest interaction row.
   */
  push(out: number[], base: number, counterpart: number, row: number, latest: number): void {
    if (this.times) out.push(base + this.code(`gap:${gapBucket(this.times[latest] - this.times[row])}`));
    for (const c of this.columns) for (const v of c.values[counterpart] ?? []) out.push(base + this.code(`${c.name}=${v}`));
  }

  private code(token: string): number {
    let k = this.codes.get(token);
    if (k === undefined) {
      k = this.vocab.length;
      this.vocab.push(token);
      this.codes.set(token, k);
    }
    return k;
  }
}

/** Each row of `other`'s values of column `name` (a list; null: missing or not in the table). */
function columnValues(feature: string, name: string, other: IdIndex, table: EntityTable | undefined): (readonly string[] | null)[] {
  const column = table?.columns[name];
  if (!table || !column) {
    const known = table ? Object.keys(table.columns).join(', ') : 'none';
    throw new Error(`sequence feature '${feature}': attribute '${name}' is not 'rating', 'gap' or a column of the other side's table (columns: ${known})`);
  }
  if (column.kind === 'number') throw new Error(`sequence feature '${feature}': attribute column '${name}' is numeric; attributes take categorical or list columns`);
  const rowOf = new Map(table.ids.map((id, r) => [id, r]));
  return other.ids.map((id) => {
    const r = rowOf.get(id);
    if (r === undefined) return null;
    if (column.kind === 'multi') return column.values[r];
    const v = column.values[r];
    return v === null ? null : [v];
  });
}
