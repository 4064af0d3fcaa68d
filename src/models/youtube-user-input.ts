// The YouTube model's inputs besides the watch history (Covington et al., RecSys 2016, §3.3):
// the user's demographics (her categorical features, embedded) and the training example's
// age, both concatenated after the pooled history in the user tower's input. The example age
// lets the model learn how popular an item was at each time of the training window; served
// at 0 ("now": the end of that window), as the paper does.

import type { Backend, F32Buf, I32Buf } from '../backends/index.js';
import type { Histories } from '../data/histories.js';
import { Embedding } from '../nn/embedding.js';
import { defaultFeatureDim } from '../nn/features.js';
import type { EncodedSide } from '../preprocessing/encoded.js';
import type { Rng } from '../random.js';
import type { Param } from '../training/param.js';

/** The demographic embeddings of a user side: [state key, rows, width] per categorical feature. */
export function demographicShapes(users: { categorical: readonly { name: string; cardinality: number }[] } | null): [string, number, number][] {
  return (users?.categorical ?? []).map((c) => [`user_${c.name}`, c.cardinality, defaultFeatureDim(c.cardinality)]);
}

/** The user-tower inputs besides the history: embedded demographics and/or the example age. */
export class UserExtras {
  readonly demographics: Embedding[];
  /** Columns of the user tower's input these inputs take (after the pooled history). */
  readonly width: number;

  constructor(
    private readonly be: Backend,
    /** The users' encoded features (rows = users + the unknown row), or null without demographics. */
    private readonly users: EncodedSide | null,
    readonly exampleAge: boolean,
    rng: Rng,
  ) {
    this.demographics = demographicShapes(users).map(([name, rows, dim]) => new Embedding(be, name, rows, dim, rng));
    this.width = this.demographics.reduce((s, e) => s + e.dim, 0) + (exampleAge ? 1 : 0);
  }

  /** The tensors by their state key. */
  params(): Record<string, Param> {
    return Object.fromEntries(this.demographics.map((e) => [e.table.name, e.table]));
  }

  /**
   * Writes the serving inputs of `rows` rows into X (host copy, rows D apart, from column
   * `offset`): row r is user r, or the unknown user (codes 0) when `anonymous`; age 0.
   */
  serve(X: Float32Array, D: number, offset: number, rows: number, anonymous: boolean): void {
    for (let r = 0; r < rows; r++) {
      let at = r * D + offset;
      this.demographics.forEach((e, f) => {
        const code = anonymous ? 0 : this.users!.categorical[f].codes[r];
        X.set(this.be.f32(e.table.value).subarray(code * e.dim, (code + 1) * e.dim), at);
        at += e.dim;
      });
      if (this.exampleAge) X[at] = 0;
    }
  }

  dispose(): void {
    for (const e of this.demographics) e.table.dispose();
  }
}

/**
 * The extras of every training example (h's events, in order), laid out per epoch in
 * visiting order like the history columns, so a batch is an offset of each column.
 */
export class UserExtrasRun {
  private readonly codesOf: Int32Array[];
  private readonly ageOf: Float32Array;
  private readonly codes: I32Buf[];
  private readonly ages: F32Buf | null;
  /** 0 … maxBatch−1: the gather that writes a batch's ages into a column of X. */
  private readonly rowIds: I32Buf;

  constructor(
    private readonly be: Backend,
    private readonly x: UserExtras,
    users: EncodedSide | null,
    h: Histories,
    /** The timestamps of the rows h indexes (needed for the example age). */
    times: Float64Array | null,
    maxBatch: number,
  ) {
    const n = h.items.length;
    const userOf = new Int32Array(n);
    for (let u = 0; u + 1 < h.start.length; u++) userOf.fill(u, h.start[u], h.start[u + 1]);
    this.codesOf = x.demographics.map((_, f) => Int32Array.from(userOf, (u) => users!.categorical[f].codes[u]));
    this.ageOf = new Float32Array(x.exampleAge ? n : 0);
    if (x.exampleAge) {
      if (!times) throw new Error('youtube: exampleAge needs the events\' timestamps; these interactions have none');
      let lo = Infinity;
      let hi = -Infinity;
      for (const r of h.rows) {
        lo = Math.min(lo, times[r]);
        hi = Math.max(hi, times[r]);
      }
      // The age as a share of the training window: 1 = its first event, 0 = its end (served).
      const span = hi > lo ? hi - lo : 1;
      for (let e = 0; e < n; e++) this.ageOf[e] = (hi - times[h.rows[e]]) / span;
    }
    this.codes = this.codesOf.map(() => be.allocI32(Math.max(1, n)));
    this.ages = x.exampleAge ? be.allocF32(Math.max(1, n)) : null;
    this.rowIds = be.allocI32(Math.max(1, maxBatch), Int32Array.from({ length: Math.max(1, maxBatch) }, (_, r) => r));
  }

  get width(): number {
    return this.x.width;
  }

  /** The epoch's columns for examples visited in `order`. */
  layout(order: Int32Array): void {
    this.codesOf.forEach((of, f) => this.be.write(this.codes[f], Int32Array.from(order, (e) => of[e])));
    if (this.ages) this.be.write(this.ages, Float32Array.from(order, (e) => this.ageOf[e]));
  }

  /** Writes examples [start, start + m) into X's columns from `offsetPtr` (rows D apart). */
  forward(offsetPtr: number, D: number, start: number, m: number): void {
    let at = offsetPtr;
    this.x.demographics.forEach((e, f) => {
      e.forward(at, D, this.codes[f].ptr + 4 * start, m);
      at += 4 * e.dim;
    });
    if (this.ages) this.be.kernels.gather(at, D, this.ages.ptr + 4 * start, this.rowIds.ptr, m, 1);
  }

  /** Sends the gradient of X's columns from `offsetPtr` to the demographic embeddings (the age has none). */
  backward(dOffsetPtr: number, D: number, start: number, m: number): void {
    let at = dOffsetPtr;
    this.x.demographics.forEach((e, f) => {
      e.backward(at, D, this.codes[f].ptr + 4 * start, m);
      at += 4 * e.dim;
    });
  }

  dispose(): void {
    for (const b of [...this.codes, this.rowIds, ...(this.ages ? [this.ages] : [])]) this.be.free(b);
  }
}
