// The input layer of one side (users or items): id embedding, categorical embeddings,
// mean-pooled multi-valued embeddings (graph links pooled from the id table, texts read by
// a GRU) and continuous features, written as column blocks of one Concatenate buffer per batch.

import type { Backend, F32Buf, I32Buf } from '../backends/index.js';
import type { EncodedSide } from '../preprocessing/encoded.js';
import type { Rng } from '../random.js';
import type { Param } from '../training/param.js';
import { Concatenate, type Block } from './concat.js';
import { Embedding, PooledEmbedding, type EmbeddingOptions } from './embedding.js';
import { NeighbourMean } from './neighbour-mean.js';
import { RecurrentText } from './recurrent-text.js';
import type { SideTables } from './side-tables.js';
import type { FeatureInit } from '../preprocessing/word-vectors.js';

export { SideTables } from './side-tables.js';

/**
 * Inputs of N examples for one side, laid out in visiting order so that a batch is a slice:
 * entity rows (features), id rows (the id embedding; unknown for unseen ids and id
 * dropout), codes per categorical feature and an epoch-wide CSR per multi feature.
 */
export class SideBatches {
  readonly rows: I32Buf;
  readonly idRows: I32Buf;
  /** Rows of the continuous table (an entity's "as cold" copy when its id was dropped). */
  readonly contRows: I32Buf;
  readonly codes: I32Buf[];
  readonly offsets: I32Buf[];
  readonly ids: I32Buf[];
  /** Per multi feature with weights per id (GCN-normalised graphs): the weights, aligned with `ids`. */
  readonly weights: (F32Buf | null)[];

  constructor(
    readonly backend: Backend,
    readonly length: number,
    side: EncodedSide,
    /** Most ids any visiting order can hold, per multi feature (the sum over examples). */
    maxIds: readonly number[],
  ) {
    this.rows = backend.allocI32(length);
    this.idRows = backend.allocI32(length);
    this.contRows = backend.allocI32(length);
    this.codes = side.categorical.map(() => backend.allocI32(length));
    this.offsets = side.multi.map(() => backend.allocI32(length + 1));
    this.ids = side.multi.map((_, g) => backend.allocI32(Math.max(1, maxIds[g])));
    this.weights = side.multi.map((mf, g) => (mf.weights ? backend.allocF32(Math.max(1, maxIds[g])) : null));
  }

  /**
   * Fills every column for entity rows `rows`, id-embedding rows `idRows` and continuous rows
   * `contRows` (length N each). `counterpart` (the other side's index row of each example)
   * leaves an example's own item out of its user's history (sequence features), so a
   * training rating is never explained by the fact that it was made; an example whose id
   * was dropped (the unknown id row) gets an empty history.
   */
  fill(tables: SideTables, rows: Int32Array, idRows: Int32Array, contRows: Int32Array = rows, counterpart: Int32Array | null = null): void {
    const be = this.backend;
    be.write(this.rows, rows);
    be.write(this.idRows, idRows);
    be.write(this.contRows, contRows);
    tables.codes.forEach((codes, f) => be.kernels.take(this.codes[f].ptr, codes.ptr, this.rows.ptr, this.length));
    const unknownId = tables.side.n - 1;
    tables.side.multi.forEach((mf, g) => {
      const off = new Int32Array(rows.length + 1);
      const ids = be.i32(this.ids[g]);
      const weights = this.weights[g] ? be.f32(this.weights[g]!) : null;
      const history = mf.of === 'counterpart';
      const own = history ? counterpart : null;
      const levels = mf.levels ?? 1;
      // Ids above the events' range are attribute tokens of the event before them.
      const eventIds = mf.cardinality - 1 - (mf.attributeTokens ?? 0);
      let total = 0;
      for (let r = 0; r < rows.length; r++) {
        off[r] = total;
        const from = mf.offsets[rows[r]];
        const to = mf.offsets[rows[r] + 1];
        if (!history) {
          ids.set(mf.ids.subarray(from, to), total);
          if (weights) weights.set(mf.weights!.subarray(from, to), total);
          total += to - from;
          continue;
        }
        // An example whose id was dropped plays a new entity: no history either, so the
        // empty history's row learns what cold entities need.
        if (idRows[r] !== unknownId || rows[r] === unknownId) {
          let keep = true;
          for (let j = from; j < to; j++) {
            const id = mf.ids[j];
            if (id >= 1 && id <= eventIds) keep = own === null || Math.floor((id - 1) / levels) !== own[r];
            if (keep) ids[total++] = id;
          }
        }
        if (total === off[r]) ids[total++] = 0;
      }
      off[rows.length] = total;
      be.write(this.offsets[g], off);
    });
  }

  dispose(): void {
    for (const b of [this.rows, this.idRows, this.contRows, ...this.codes, ...this.offsets, ...this.ids, ...this.weights]) if (b) this.backend.free(b);
  }
}

export interface FeatureInputOptions {
  /** Width of the id embedding (0 = no id embedding). */
  idDim: number;
  /** Width of each categorical/multi embedding, by feature name or as a rule of the cardinality. */
  featureDim: (name: string, cardinality: number) => number;
  /** Include the continuous columns (default true). */
  continuous?: boolean;
  /** Options of the id embedding (its L2, init). */
  idEmbedding?: EmbeddingOptions;
  /** Options of the feature embeddings. */
  featureEmbedding?: EmbeddingOptions;
  /** Options of the embeddings of behaviour histories (sequence features); default featureEmbedding's. */
  historyEmbedding?: EmbeddingOptions;
  /** Starting values of feature embeddings by feature name (cardinality × width), optionally frozen. */
  init?: Record<string, FeatureInit>;
  /** Read recurrent texts through their GRU (default true); false averages their tokens (LinearRS). */
  recurrent?: boolean;
}

/**
 * Writes one side's input features for a batch into a Concatenate and sends the gradient
 * back to the embeddings. The id table has nIds + 1 rows; the last is "unknown".
 *
 * @example
 * const inp = new FeatureInput(be, 'user', encodedUsers, nUsers, 256, rng, { idDim: 32, featureDim: () => 8 });
 * inp.forward(batches, start, m);   // inp.concat.x holds m × inp.concat.width
 * inp.backward(batches, start, m);  // reads inp.concat.dx
 */
export class FeatureInput {
  readonly concat: Concatenate;
  readonly id: Embedding | null;
  readonly categorical: Embedding[];
  /** Per multi-valued feature: its own pooled table, the mean over the id table of a graph feature, or a text's GRU. */
  readonly multi: (PooledEmbedding | NeighbourMean | RecurrentText)[];
  private readonly blocks: { id: Block | null; cat: Block[]; multi: Block[]; cont: Block | null };
  /**
   * Feature embeddings given as frozen: their backward is skipped, so no row is ever marked
   * and the (row-sparse) optimizer never moves them; they stay in params() to be saved.
   */
  private readonly frozen = new Set<Embedding>();

  constructor(
    readonly backend: Backend,
    name: string,
    readonly side: EncodedSide,
    readonly nIds: number,
    maxBatch: number,
    rng: Rng,
    options: FeatureInputOptions,
  ) {
    const parts: [string, number][] = [];
    this.id = options.idDim > 0 ? new Embedding(backend, `${name}/id`, nIds + 1, options.idDim, rng, options.idEmbedding) : null;
    if (this.id) parts.push(['id', options.idDim]);
    this.categorical = side.categorical.map((c) => {
      const dim = options.featureDim(c.name, c.cardinality);
      parts.push([`cat:${c.name}`, dim]);
      return this.initialised(new Embedding(backend, `${name}/${c.name}`, c.cardinality, dim, rng, options.featureEmbedding), c.name, options.init);
    });
    this.multi = side.multi.map((mf) => {
      // Without an id embedding (LinearRS, idDim 0) a graph feature is a pooled feature of its own.
      if (mf.of === 'ids' && this.id) {
        if (mf.cardinality !== nIds + 1) throw new Error(`${name}: the graph feature '${mf.name}' was fitted on ${mf.cardinality - 1} ids; the model has ${nIds}`);
        parts.push([`multi:${mf.name}`, options.idDim]);
        return new NeighbourMean(this.id);
      }
      const dim = options.featureDim(mf.name, mf.cardinality);
      parts.push([`multi:${mf.name}`, dim]);
      if (mf.recurrentTokens && mf.of === undefined && options.recurrent !== false) {
        const text = new RecurrentText(backend, `${name}/${mf.name}`, mf.cardinality, dim, mf.recurrentTokens, maxBatch, rng, options.featureEmbedding);
        this.initialised(text.tokens, mf.name, options.init);
        return text;
      }
      const embedding = mf.of === 'counterpart' ? (options.historyEmbedding ?? options.featureEmbedding) : options.featureEmbedding;
      return this.initialised(new PooledEmbedding(backend, `${name}/${mf.name}`, mf.cardinality, dim, rng, embedding), mf.name, options.init);
    });
    const nCont = options.continuous === false ? 0 : side.contNames.length;
    if (nCont > 0) parts.push(['continuous', nCont]);
    this.concat = new Concatenate(backend, maxBatch, parts);
    this.blocks = {
      id: this.id ? this.concat.block('id') : null,
      cat: side.categorical.map((c) => this.concat.block(`cat:${c.name}`)),
      multi: side.multi.map((mf) => this.concat.block(`multi:${mf.name}`)),
      cont: nCont > 0 ? this.concat.block('continuous') : null,
    };
  }

  get width(): number {
    return this.concat.width;
  }

  private initialised<E extends Embedding>(e: E, feature: string, init: Record<string, FeatureInit> | undefined): E {
    const given = init?.[feature];
    if (!given) return e;
    if (given.values.length !== e.rows * e.dim) throw new Error(`${e.table.name}: the init has ${given.values.length} values; the table is ${e.rows} × ${e.dim}`);
    e.table.write(given.values);
    if (given.freeze) this.frozen.add(e);
    return e;
  }

  /** Fills concat.x with the inputs of examples [start, start + m) of `b`. */
  forward(tables: SideTables, b: SideBatches, start: number, m: number): void {
    const c = this.concat;
    const w = c.width;
    const at = 4 * start;
    if (this.id) this.id.forward(c.blockPtr(this.blocks.id!), w, b.idRows.ptr + at, m);
    this.categorical.forEach((e, f) => e.forward(c.blockPtr(this.blocks.cat[f]), w, b.codes[f].ptr + at, m));
    this.multi.forEach((e, g) => {
      if (e instanceof RecurrentText) e.forward(c.blockPtr(this.blocks.multi[g]), w, tables.tokens[g]!.ptr, b.rows.ptr + at, m);
      else if (e instanceof NeighbourMean) e.forwardPooled(c.blockPtr(this.blocks.multi[g]), w, b.ids[g].ptr, b.offsets[g].ptr + at, m, b.weights[g]?.ptr ?? 0);
      else e.forwardPooled(c.blockPtr(this.blocks.multi[g]), w, b.ids[g].ptr, b.offsets[g].ptr + at, m);
    });
    const cont = this.blocks.cont;
    if (cont) this.backend.kernels.gather(c.blockPtr(cont), w, tables.continuous.ptr, b.contRows.ptr + at, m, cont.width);
  }

  /** Scatters concat.dx back into the embedding tables. */
  backward(b: SideBatches, start: number, m: number): void {
    const c = this.concat;
    const w = c.width;
    const at = 4 * start;
    if (this.id) this.id.backward(c.gradPtr(this.blocks.id!), w, b.idRows.ptr + at, m);
    this.categorical.forEach((e, f) => this.frozen.has(e) || e.backward(c.gradPtr(this.blocks.cat[f]), w, b.codes[f].ptr + at, m));
    this.multi.forEach((e, g) => {
      if (e instanceof RecurrentText) e.backward(c.gradPtr(this.blocks.multi[g]), w, m, this.frozen.has(e.tokens));
      else if (e instanceof NeighbourMean) e.backwardPooled(c.gradPtr(this.blocks.multi[g]), w, b.ids[g].ptr, b.offsets[g].ptr + at, m, b.weights[g]?.ptr ?? 0);
      else if (!(e instanceof PooledEmbedding && this.frozen.has(e))) e.backwardPooled(c.gradPtr(this.blocks.multi[g]), w, b.ids[g].ptr, b.offsets[g].ptr + at, m);
    });
  }

  /** Total ids per multi feature over examples with entity rows `rows` (sizes SideBatches). */
  static idCounts(side: EncodedSide, rows: Int32Array): number[] {
    return side.multi.map((mf) => {
      let total = 0;
      for (let r = 0; r < rows.length; r++) total += mf.offsets[rows[r] + 1] - mf.offsets[rows[r]];
      return total;
    });
  }

  params(): Param[] {
    return [...(this.id ? [this.id.table] : []), ...this.categorical.map((e) => e.table), ...this.multi.flatMap((e) => e.params())];
  }

  dispose(): void {
    for (const e of this.multi) if (e instanceof RecurrentText) e.dispose();
    const textParams = new Set(this.multi.flatMap((e) => (e instanceof RecurrentText ? e.params() : [])));
    for (const p of this.params()) if (!textParams.has(p)) p.dispose();
    this.concat.dispose();
  }
}

/**
 * The default width of a feature embedding: grows like cardinality^0.5 (a common rule of
 * thumb for tabular embeddings), at least 2 and at most `max`.
 */
export function defaultFeatureDim(cardinality: number, max = 16): number {
  return Math.max(2, Math.min(max, Math.round(1.6 * Math.pow(cardinality, 0.5))));
}
