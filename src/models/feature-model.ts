// The shared machinery of models that read side features (LinearRS, two-tower): training
// columns laid out per epoch so that batches are slices, cold-start prediction from
// features, snapshots over every Param. Row rules (unknown ids, id dropout) are in
// ./feature-rows.ts, the batches' recorded steps and threads in ./batch-steps.ts.

import type { Backend, F32Buf } from '../backends/index.js';
import { trainingCoverage, type Interactions } from '../data/interactions.js';
import { SideBatches, SideTables, FeatureInput } from '../nn/features.js';
import type { EncodedSide } from '../preprocessing/encoded.js';
import { Rng } from '../random.js';
import type { Param } from '../training/param.js';
import { ImplicitEpoch, maxIdCounts } from '../training/implicit-epoch.js';
import { isImplicit } from '../training/losses.js';
import { Recommender, type EpochContext, type ModelIndexes } from './recommender.js';
import { stateTensor, type ModelState, type StateTensor } from './state.js';
import { Replica } from '../parallel/data-parallel.js';
import { KernelRecorder } from '../training/step-program.js';
import { BatchSteps, splitsAmongThreads } from './batch-steps.js';
import { coldRows, idRowsOf, lookupRows, permute, permuteF32, type EntityRef } from './feature-rows.js';

export type { EntityRef } from './feature-rows.js';


/** Encoded features of both sides; rows follow the model's IdIndexes (plus the unknown row). */
export interface SideFeatures {
  user: EncodedSide;
  item: EncodedSide;
}

export interface FeatureModelOptions {
  /** Largest mini-batch `fit` may use; batch buffers are sized for it once (default 1024). */
  maxBatch?: number;
  /** Probability of replacing a known id by the unknown id row during training (default 0). */
  idDropout?: number;
  /**
   * Id dropout of the user side only (default idDropout). Cold-start users need more of it
   * than items do: with implicit feedback on ML-100K, 0.5 for users and a little for items
   * beat one shared rate for brand-new users (see test/models/implicit.test.ts).
   */
  userIdDropout?: number;
  /** Id dropout of the item side only (default idDropout). */
  itemIdDropout?: number;
  /**
   * Continuous columns that describe an entity's training ratings (default: names starting
   * with `rating_`, the pipeline's rating statistics). A dropped id also gets these columns'
   * values of the unknown row, as a real cold entity would.
   */
  coldColumns?: readonly string[];
  /**
   * Train by replaying each batch's recorded step (forward, loss, backward and update) as
   * one call into the kernels (default true). false calls every kernel from TypeScript:
   * the same arithmetic, for comparisons. Data-parallel threads need step programs.
   */
  stepPrograms?: boolean;
}

/**
 * Base of the feature models. Subclasses build their network in `build`, and compute a
 * batch in `forward` (predictions into `pred`) and `backward` (from `dPred`).
 */
export abstract class FeatureModel extends Recommender {
  readonly features: SideFeatures;
  readonly maxBatch: number;
  readonly idDropout: number;
  /** Id dropout per side (each defaults to idDropout). */
  readonly sideIdDropout: { user: number; item: number };
  readonly coldColumns: { user: number[]; item: number[] };
  protected userTables: SideTables | null = null;
  protected itemTables: SideTables | null = null;
  protected userSeen = new Uint8Array(0);
  protected itemSeen = new Uint8Array(0);
  protected pred: F32Buf | null = null;
  protected dPred: F32Buf | null = null;
  private epoch: { train: Interactions; user: SideBatches; item: SideBatches; ratings: F32Buf; rng: Rng } | null = null;
  /** Implicit losses: the epoch's positives and sampled negatives (null for 'mse'). */
  private implicitRows: ImplicitEpoch | null = null;
  /** Threads > 1: one network replica per extra thread (../parallel/data-parallel.ts). */
  private replicas: Replica<FeatureModel>[] = [];
  /** This fit's batches as recorded step programs (./batch-steps.ts); null with stepPrograms false. */
  private steps: BatchSteps<FeatureModel> | null = null;
  readonly stepPrograms: boolean;
  /** A replica borrows the primary's feature tables and must not free them. */
  private borrowsTables = false;

  constructor(backend: Backend, indexes: ModelIndexes, features: SideFeatures, options: FeatureModelOptions) {
    super(backend, indexes);
    this.stepPrograms = options.stepPrograms ?? true;
    this.features = features;
    this.maxBatch = options.maxBatch ?? 1024;
    this.idDropout = options.idDropout ?? 0;
    this.sideIdDropout = { user: options.userIdDropout ?? this.idDropout, item: options.itemIdDropout ?? this.idDropout };
    const cold = (side: EncodedSide) =>
      side.contNames.flatMap((name, c) => ((options.coldColumns ? options.coldColumns.includes(name) : name.startsWith('rating_')) ? [c] : []));
    this.coldColumns = { user: cold(features.user), item: cold(features.item) };
    for (const side of ['user', 'item'] as const) {
      const n = side === 'user' ? indexes.userIndex.size : indexes.itemIndex.size;
      if (features[side].n !== n + 1) {
        throw new Error(`${side} features have ${features[side].n} rows; the model needs ${n + 1} (one per ${side} index plus the unknown row)`);
      }
    }
    if (!(Number.isInteger(this.maxBatch) && this.maxBatch >= 1)) throw new Error(`maxBatch must be an integer ≥ 1, got ${this.maxBatch}`);
    for (const [name, p] of [['idDropout', this.idDropout], ['userIdDropout', this.sideIdDropout.user], ['itemIdDropout', this.sideIdDropout.item]] as const) {
      if (!(p >= 0 && p < 1)) throw new Error(`${name} must be in [0, 1), got ${p}`);
    }
  }

  /** Creates parameters and batch buffers (sized for maxBatch); called at the start of each fit. */
  protected abstract build(rng: Rng): void;
  /** Every trainable tensor, in a fixed order (snapshots rely on it). */
  protected abstract params(): Param[];
  /** pred[0..m) for examples [start, start+m) of the given columns. */
  protected abstract forward(user: SideBatches, item: SideBatches, uTables: SideTables, iTables: SideTables, start: number, m: number, training: boolean): void;
  /** Accumulates parameter gradients from dPred[0..m) (after `forward` on the same slice). */
  protected abstract backward(user: SideBatches, item: SideBatches, start: number, m: number): void;
  /** Frees the network (parameters and batch buffers). */
  protected abstract disposeNetwork(): void;

  /**
   * A model of the same class and configuration on `backend`, for data-parallel training
   * (its network is built by adoptAsReplica); null when the model cannot train that way.
   */
  protected createReplica(_backend: Backend): FeatureModel | null {
    return null;
  }

  protected beginTraining(train: Interactions, rng: Rng, batchSize: number): void {
    const be = this.backend;
    this.releaseAll();
    ({ globalMean: this.globalMean, userSeen: this.userSeen, itemSeen: this.itemSeen } = trainingCoverage(train, this.nUsers, this.nItems));
    this.userTables = new SideTables(be, this.features.user, this.coldColumns.user);
    this.itemTables = new SideTables(be, this.features.item, this.coldColumns.item);
    this.build(rng);
    this.pred = be.allocF32(this.maxBatch);
    this.dPred = be.allocF32(this.maxBatch);
    // Implicit feedback: the rows are positives, scores are logits, and μ (a mean rating) has no role.
    if (isImplicit(this.loss.name)) this.globalMean = 0;
    this.implicitRows = isImplicit(this.loss.name) ? new ImplicitEpoch(this.loss, train, this.nItems) : null;
    const n = this.implicitRows?.length ?? train.length;
    // Sampled negatives change the items (and so their multi-valued ids) every epoch: size for the worst case.
    const idCounts = (side: EncodedSide, rows: Int32Array) => (this.implicitRows ? maxIdCounts(side, n) : FeatureInput.idCounts(side, rows));
    this.epoch = {
      train,
      user: new SideBatches(be, n, this.features.user, idCounts(this.features.user, train.users)),
      item: new SideBatches(be, n, this.features.item, idCounts(this.features.item, train.items)),
      ratings: be.allocF32(n),
      rng: rng.fork(),
    };
    this.replicas = this.startReplicas(batchSize);
    if (this.stepPrograms) {
      const share = (model: FeatureModel | null, start: number, m: number, valuesPtr: number, batchRows: number) =>
        (model ?? this).trainBatch(this.epoch!.user, this.epoch!.item, start, m, valuesPtr, batchRows);
      this.steps = new BatchSteps(this.backend, this.optimizer!, this.loss.name, this.params(), this.replicas, this.epoch.ratings.ptr, share);
    }
  }

  /** Called after every optimizer step (models drop caches of their parameters here). */
  protected parametersChanged(): void {}

  /**
   * createBackend('wasm', { threads }): a replica per extra thread, when the loss splits
   * by rows and each thread's share of a batch is large enough to pay for handing it over
   * (splitsAmongThreads); replicas run recorded step programs.
   */
  private startReplicas(batchSize: number): Replica<FeatureModel>[] {
    const pool = this.backend.pool;
    const rows = this.implicitRows ? this.implicitRows.rowsPerBatch(batchSize) : batchSize;
    if (!pool || !this.stepPrograms || !splitsAmongThreads(this.loss.name, rows, pool.threads)) return [];
    const replicas: Replica<FeatureModel>[] = [];
    for (let t = 1; t < pool.threads; t++) {
      const recorder = new KernelRecorder(this.backend.kernels);
      // Same memory as the primary, kernels that record while `recorder` does.
      const model = this.createReplica(this.backend.withRecorder(recorder));
      if (!model) return [];
      // A generator of its own that draws nothing from `rng`: the shuffles and id dropout
      // stay those of one thread. (A replica's weights are the primary's; only dense dropout
      // masks, when there is dropout, come from it.)
      model.adoptAsReplica(this, new Rng(0x7f4a7c15 + t));
      replicas.push(new Replica(model, model.params(), recorder));
    }
    return replicas;
  }

  /** Builds this model's network as a replica of `primary`'s: own buffers and gradients, the primary's weights and tables. */
  private adoptAsReplica(primary: FeatureModel, rng: Rng): void {
    this.globalMean = primary.globalMean;
    // The same loss on the same rows: the primary lays the epoch out (negatives included).
    this.loss = primary.loss;
    this.implicitRows = primary.implicitRows;
    this.userSeen = primary.userSeen;
    this.itemSeen = primary.itemSeen;
    this.userTables = primary.userTables;
    this.itemTables = primary.itemTables;
    this.borrowsTables = true;
    this.build(rng);
    this.pred = this.backend.allocF32(this.maxBatch);
    this.dPred = this.backend.allocF32(this.maxBatch);
    const theirs = primary.params();
    this.params().forEach((p, k) => p.replicate(theirs[k]));
  }

  protected trainEpoch(ctx: EpochContext): number {
    const ex = this.implicitRows?.layout(ctx.order, ctx.batchSize, this.epoch!.rng, this.replicas.length + 1) ?? null;
    const perBatch = ex ? ex.rowsPerBatch(ctx.batchSize) : ctx.batchSize;
    if (perBatch > this.maxBatch) throw new Error(`${this.kind}: batchSize ${ctx.batchSize} (${perBatch} rows with the ${this.loss.name} loss) exceeds maxBatch ${this.maxBatch} (a model option)`);
    const be = this.backend;
    const e = this.epoch!;
    const n = ex ? ex.length : ctx.order.length;
    const users = ex ? ex.users : permute(e.train.users, ctx.order);
    const items = ex ? ex.items : permute(e.train.items, ctx.order);
    for (const [b, rows, seen, tables, p] of [[e.user, users, this.userSeen, this.userTables!, this.sideIdDropout.user], [e.item, items, this.itemSeen, this.itemTables!, this.sideIdDropout.item]] as const) {
      const idRows = idRowsOf(rows, seen, e.rng, p, ex?.canonicalRows ?? null);
      b.fill(tables, rows, idRows, coldRows(rows, idRows, seen.length, tables.coldOffset));
    }
    be.write(e.ratings, ex ? ex.values : permuteF32(e.train.ratings, ctx.order));
    const params = this.params();
    let total = 0;
    for (let start = 0, batch = 0; start < n; start += perBatch, batch++) {
      const m = Math.min(perBatch, n - start);
      let sse: number;
      if (this.steps) sse = this.steps.run(start, m, ctx.lr);
      else {
        sse = this.trainBatch(e.user, e.item, start, m, e.ratings.ptr + 4 * start);
        this.optimizer!.step(params, ctx.lr);
      }
      this.parametersChanged();
      total += sse;
      ctx.onBatchEnd?.(batch, m, sse);
    }
    return total;
  }

  /**
   * Forward, loss and backward of rows [start, start+m); returns the batch's summed loss.
   * valuesPtr: the rows' ratings (mse), labels (bce) or log-popularity (softmax with logQ).
   * batchRows: the whole batch's size when these rows are one thread's share of it (the
   * mean loss is over the whole batch).
   */
  protected trainBatch(user: SideBatches, item: SideBatches, start: number, m: number, valuesPtr: number, batchRows = m): number {
    this.forward(user, item, this.userTables!, this.itemTables!, start, m, true);
    const dPred = this.dPred!.ptr;
    const pred = this.pred!.ptr;
    const loss = this.implicitRows ? this.implicitRows.batchLoss(this.backend.kernels, dPred, pred, valuesPtr, m, batchRows) : this.backend.kernels.mse(dPred, pred, valuesPtr, m, 1 / batchRows);
    this.backward(user, item, start, m);
    return loss;
  }

  protected endTraining(): void {
    this.steps?.dispose();
    this.steps = null;
    for (const r of this.replicas) r.model.releaseAll();
    this.replicas = [];
    const e = this.epoch;
    if (!e) return;
    e.user.dispose();
    e.item.dispose();
    this.backend.free(e.ratings);
    this.epoch = null;
  }

  protected predictIndices(users: Int32Array, items: Int32Array): Float32Array {
    return this.predictFeatures(users, items);
  }

  /**
   * Predicted ratings for pairs of known entities (dense indices; unseen ones use their
   * features with the unknown id) or brand-new ones given by their encoded features.
   *
   * @example
   * const newUsers = pipeline.encodeRows('user', [{ age: 31, gender: 'F', occupation: 'writer' }]);
   * model.predictFeatures({ features: newUsers, rows: Int32Array.of(0, 0) }, Int32Array.of(10, 20));
   */
  predictFeatures(users: EntityRef, items: EntityRef): Float32Array {
    if (!this.userTables || !this.itemTables) throw new Error(`${this.kind}: the model is not trained yet (call fit first)`);
    const u = this.lookup(users, 'user');
    const i = this.lookup(items, 'item');
    const n = u.rows.length;
    if (i.rows.length !== n) throw new Error('predictFeatures: users and items differ in length');
    const be = this.backend;
    const ub = new SideBatches(be, n, u.tables.side, FeatureInput.idCounts(u.tables.side, u.rows));
    const ib = new SideBatches(be, n, i.tables.side, FeatureInput.idCounts(i.tables.side, i.rows));
    const out = new Float32Array(n);
    try {
      ub.fill(u.tables, u.rows, u.idRows);
      ib.fill(i.tables, i.rows, i.idRows);
      for (let start = 0; start < n; start += this.maxBatch) {
        const m = Math.min(this.maxBatch, n - start);
        this.forward(ub, ib, u.tables, i.tables, start, m, false);
        out.set(be.f32(this.pred!).subarray(0, m), start);
      }
    } finally {
      ub.dispose();
      ib.dispose();
      if (u.tables !== this.userTables) u.tables.dispose();
      if (i.tables !== this.itemTables) i.tables.dispose();
    }
    return out;
  }

  private lookup(ref: EntityRef, side: 'user' | 'item') {
    return side === 'user' ? lookupRows(this.backend, ref, side, this.userTables!, this.userSeen) : lookupRows(this.backend, ref, side, this.itemTables!, this.itemSeen);
  }

  override predictEntities(users: EntityRef, items: EntityRef): Float32Array {
    return this.predictFeatures(users, items);
  }

  /** Fills one side's batch columns for dense indices, as predictions do, and hands them to `use`. */
  protected withSideInputs<T>(side: 'user' | 'item', indices: Int32Array, use: (b: SideBatches, tables: SideTables, idRows: Int32Array) => T): T {
    const l = this.lookup(indices, side);
    const b = new SideBatches(this.backend, l.rows.length, l.tables.side, FeatureInput.idCounts(l.tables.side, l.rows));
    try {
      b.fill(l.tables, l.rows, l.idRows);
      return use(b, l.tables, l.idRows);
    } finally {
      b.dispose();
    }
  }

  /** The constructor options that rebuild this model; subclasses add theirs. */
  protected configState(): Record<string, unknown> {
    const names = (side: 'user' | 'item') => this.coldColumns[side].map((c) => this.features[side].contNames[c]);
    return { maxBatch: this.maxBatch, idDropout: this.idDropout, userIdDropout: this.sideIdDropout.user, itemIdDropout: this.sideIdDropout.item, coldColumns: [...new Set([...names('user'), ...names('item')])] };
  }

  override exportState(): ModelState {
    if (!this.userTables) throw new Error(`${this.kind}: the model is not trained yet (call fit first)`);
    const tensors: Record<string, StateTensor> = { userSeen: this.userSeen.slice(), itemSeen: this.itemSeen.slice() };
    this.params().forEach((p, k) => (tensors[`param${k}:${p.name}`] = p.read()));
    // The loss decides what the network is built with (a popularity prior needs an implicit one).
    return { kind: this.kind, config: this.configState(), globalMean: this.globalMean, tensors, loss: this.loss.name };
  }

  /** Builds the network as `fit` would (zero optimizer state) and writes the saved parameters. */
  override importState(state: ModelState): void {
    const be = this.backend;
    this.releaseAll();
    if (state.loss && state.loss !== this.loss.name) this.compile({ ...this.compiled, loss: state.loss });
    this.userSeen = stateTensor(state, 'userSeen', Uint8Array, this.nUsers).slice();
    this.itemSeen = stateTensor(state, 'itemSeen', Uint8Array, this.nItems).slice();
    this.globalMean = state.globalMean;
    this.userTables = new SideTables(be, this.features.user, this.coldColumns.user);
    this.itemTables = new SideTables(be, this.features.item, this.coldColumns.item);
    // The initial values are overwritten; the seed only makes the build deterministic.
    this.build(new Rng(0));
    this.pred = be.allocF32(this.maxBatch);
    this.dPred = be.allocF32(this.maxBatch);
    const params = this.params();
    const saved = Object.keys(state.tensors).filter((n) => n.startsWith('param')).length;
    if (saved !== params.length) throw new Error(`${this.kind}: the saved state has ${saved} parameter tensors, the model has ${params.length}`);
    params.forEach((p, k) => p.write(stateTensor(state, `param${k}:${p.name}`, Float32Array, p.rows * p.dim)));
  }

  protected snapshot(): Float32Array[] {
    return this.params().map((p) => p.read());
  }

  protected restore(snapshot: unknown): void {
    const values = snapshot as Float32Array[];
    this.params().forEach((p, k) => p.write(values[k]));
  }

  dispose(): void {
    this.releaseAll();
    this.optimizer?.dispose();
  }

  private releaseAll(): void {
    this.endTraining();
    if (this.userTables) {
      this.disposeNetwork();
      if (!this.borrowsTables) {
        this.userTables.dispose();
        this.itemTables!.dispose();
      }
      // Null when an importState failed before allocating them.
      for (const b of [this.pred, this.dPred]) if (b) this.backend.free(b);
    }
    this.userTables = this.itemTables = null;
    this.pred = this.dPred = null;
  }
}

