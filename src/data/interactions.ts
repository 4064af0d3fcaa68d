// The in-memory form of ratings: dense indices in typed arrays, raw ids in an IdIndex.

/**
 * Maps raw ids (as written in the data files) to dense indices 0..size-1, first seen first.
 *
 * @example
 * const users = new IdIndex();
 * users.add('196'); // 0
 * users.get('196'); // 0
 * users.get('999'); // -1: unknown
 */
export class IdIndex {
  private readonly map = new Map<string, number>();
  readonly ids: string[] = [];

  constructor(ids: Iterable<string> = []) {
    for (const id of ids) this.add(id);
  }

  /** The index of `id`, adding it if new. */
  add(id: string): number {
    let ix = this.map.get(id);
    if (ix === undefined) {
      ix = this.ids.length;
      this.map.set(id, ix);
      this.ids.push(id);
    }
    return ix;
  }

  /** The index of `id`, or -1 when it was never added. */
  get(id: string): number {
    return this.map.get(id) ?? -1;
  }

  has(id: string): boolean {
    return this.map.has(id);
  }

  get size(): number {
    return this.ids.length;
  }

  toJSON(): string[] {
    return this.ids;
  }

  static fromJSON(ids: string[]): IdIndex {
    return new IdIndex(ids);
  }
}

/** Rating events as parallel typed arrays; users/items are dense indices into IdIndexes. */
export interface Interactions {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly ratings: Float32Array;
  /** Seconds since the epoch, when the source has them. */
  readonly timestamps?: Float64Array;
  readonly length: number;
}

/** Wraps parallel arrays as Interactions, checking that their lengths agree. */
export function interactions(users: Int32Array, items: Int32Array, ratings: Float32Array, timestamps?: Float64Array): Interactions {
  const n = users.length;
  if (items.length !== n || ratings.length !== n || (timestamps && timestamps.length !== n)) {
    throw new Error(`interactions: column lengths differ (${n}, ${items.length}, ${ratings.length}${timestamps ? `, ${timestamps.length}` : ''})`);
  }
  return { users, items, ratings, timestamps, length: n };
}

/** The rows of `data` at the given positions, in that order. */
export function subset(data: Interactions, rows: ArrayLike<number>): Interactions {
  const n = rows.length;
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  const ratings = new Float32Array(n);
  const timestamps = data.timestamps ? new Float64Array(n) : undefined;
  for (let r = 0; r < n; r++) {
    const src = rows[r];
    users[r] = data.users[src];
    items[r] = data.items[src];
    ratings[r] = data.ratings[src];
    if (timestamps) timestamps[r] = data.timestamps![src];
  }
  return interactions(users, items, ratings, timestamps);
}

/**
 * The rows rated at least `threshold`: the positives implicit models train on.
 *
 * @example
 * positivesOf(split.train, 4); // ratings 4 and 5 of a 1–5 scale
 */
export function positivesOf(data: Interactions, threshold: number): Interactions {
  const rows: number[] = [];
  for (let r = 0; r < data.length; r++) if (data.ratings[r] >= threshold) rows.push(r);
  return subset(data, rows);
}

/** The mean rating, or NaN for no ratings. */
export function meanRating(data: Interactions): number {
  let sum = 0;
  for (let r = 0; r < data.length; r++) sum += data.ratings[r];
  return data.length > 0 ? sum / data.length : NaN;
}

/** What a model learns from its training data before any epoch: μ and who was seen. */
export interface TrainingCoverage {
  globalMean: number;
  /** 1 for each user (item) index with at least one training rating. */
  userSeen: Uint8Array<ArrayBuffer>;
  itemSeen: Uint8Array<ArrayBuffer>;
}

/** The global mean rating and the users/items that have training ratings. */
export function trainingCoverage(train: Interactions, nUsers: number, nItems: number): TrainingCoverage {
  let sum = 0;
  const userSeen = new Uint8Array(nUsers);
  const itemSeen = new Uint8Array(nItems);
  for (let r = 0; r < train.length; r++) {
    sum += train.ratings[r];
    userSeen[train.users[r]] = 1;
    itemSeen[train.items[r]] = 1;
  }
  return { globalMean: train.length > 0 ? sum / train.length : NaN, userSeen, itemSeen };
}

/** Marks the users and items `coverage` saw as seen in `into` too (a fit that continues on new data). */
export function addCoverage(into: { userSeen: Uint8Array; itemSeen: Uint8Array }, coverage: { userSeen: Uint8Array; itemSeen: Uint8Array }): void {
  for (let u = 0; u < into.userSeen.length; u++) into.userSeen[u] |= coverage.userSeen[u];
  for (let i = 0; i < into.itemSeen.length; i++) into.itemSeen[i] |= coverage.itemSeen[i];
}

/** a's rows then b's (timestamps kept when both have them), e.g. training and validation events. */
export function concatInteractions(a: Interactions, b: Interactions): Interactions {
  const join = <T extends Int32Array | Float32Array | Float64Array>(x: T, y: T): T => {
    const out = new (x.constructor as new (n: number) => T)(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  };
  const times = a.timestamps && b.timestamps ? join(a.timestamps, b.timestamps) : undefined;
  return interactions(join(a.users, b.users), join(a.items, b.items), join(a.ratings, b.ratings), times);
}
