// The shared machinery of models that read side features (LinearRS, two-tower): the
// network built once and continued by later fits, epochs laid out so that batches are
// slices (./feature-epoch.ts), cold-start prediction from features, snapshots and saved
// state over every Param. Row rules (unknown ids, id dropout) are in ./feature-rows.ts,
// the batches' recorded steps and threads in ../training/batch-steps.ts.

import type { Backend, F32Buf } from '../backends/index.js';
import { addCoverage, trainingCoverage, type Interactions } from '../data/interactions.js';
import { SideTables, type SideBatches } from '../nn/features.js';
import { Rng } from '../random.js';
import { BatchSteps, splitsAmongThreads } from '../training/batch-steps.js';
import { createReplicas, type Replica } from '../training/data-parallel.js';
import type { Param } from '../training/param.js';
import { FeatureEpoch } from './feature-epoch.js';
import { checkFeatureShapes, resolveColdColumns, resolveIdDropout, type FeatureModelOptions, type IdDropoutDefaults, type SideFeatures } from './feature-model-options.js';
import { withLookup, type Lookup } from './feature-rows.js';
import { predictInBatches, withBatches } from './feature-prediction.js';
import { Recommender, type EntityRef, type EpochContext, type ModelIndexes } from './recommender.js';
import { featureConfig, featureTensors, writeSavedParams } from './feature-state.js';
import { savedSeen, type ModelState } from './state.js';

export type { FeatureModelOptions, SideFeatures } from './feature-model-options.js';

/**
 * Base of the feature models. Subclasses build their network in `build`, and compute a
 * batch in `forward` (predictions into `pred`) and `backward` (from `dPred`).
 */
export abstract class FeatureModel extends Recommender {
  readonly features: SideFeatures;
  readonly maxBatch: number;
  /** Id dropout per side, resolved for the compiled loss (see `idDropoutDefaults`). */
  sideIdDropout = { user: 0, item: 0 };
  readonly coldColumns: { user: number[]; item: number[] };
  readonly stepPrograms: boolean;
  protected userTables: SideTables | null = null;
  protected itemTables: SideTables | null = null;
  protected userSeen = new Uint8Array(0);
  protected itemSeen = new Uint8Array(0);
  protected pred: F32Buf | null = null;
  protected dPred: F32Buf | null = null;
  /** This fit's columns (null between fits). */
  private epoch: FeatureEpoch | null = null;
  /** Threads > 1: one network replica per extra thread (../training/data-parallel.ts). */
  private replicas: Replica<FeatureModel>[] = [];
  /** This fit's batches (../training/batch-steps.ts). */
  private steps: BatchSteps<FeatureModel> | null = null;
  /** A replica borrows the primary's feature tables and epoch and must not free them. */
  private isReplica = false;

  constructor(
    backend: Backend,
    indexes: ModelIndexes,
    features: SideFeatures,
    /** The options as given (unset ones take the kind's defaults for the compiled loss). */
    readonly featureOptions: Readonly<FeatureModelOptions>,
  ) {
    super(backend, indexes);
    this.stepPrograms = featureOptions.stepPrograms ?? true;
    this.features = features;
    this.maxBatch = featureOptions.maxBatch ?? 1024;
    checkFeatureShapes(features, indexes.userIndex.size, indexes.itemIndex.size, this.maxBatch);
    this.coldColumns = resolveColdColumns(featureOptions, features);
    this.sideIdDropout = resolveIdDropout(featureOptions, this.idDropoutDefaults());
  }

  /** The shared id dropout (the user side's when the sides differ). */
  get idDropout(): number {
    return this.sideIdDropout.user;
  }

  /** The kind's id dropout for the compiled loss when the options set none. */
  protected idDropoutDefaults(): IdDropoutDefaults {
    return { idDropout: 0 };
  }

  protected override configure(): void {
    this.sideIdDropout = resolveIdDropout(this.featureOptions, this.idDropoutDefaults());
  }

  /** Creates parameters and batch buffers (sized for maxBatch); called when a fit starts without trained weights. */
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

  protected override trainableParams(): Param[] {
    return this.userTables ? this.params() : [];
  }

  protected beginTraining(train: Interactions, rng: Rng, batchSize: number, continuing: boolean): void {
    const be = this.backend;
    this.endTraining();
    const coverage = trainingCoverage(train, this.nUsers, this.nItems);
    if (continuing && this.userTables) {
      // Ids first seen now train from the unknown row's place; μ stays what the weights learned around.
      addCoverage({ userSeen: this.userSeen, itemSeen: this.itemSeen }, coverage);
    } else {
      this.releaseAll();
      ({ globalMean: this.globalMean, userSeen: this.userSeen, itemSeen: this.itemSeen } = coverage);
      this.buildNetwork(rng);
      // Implicit feedback: the rows are positives, scores are logits, and μ (a mean rating) has no role.
      if (this.implicit) this.globalMean = 0;
    }
    this.epoch = new FeatureEpoch(be, this.features, train, this.loss, this.nItems, rng);
    this.replicas = this.startReplicas(batchSize);
    const share = (model: FeatureModel | null, start: number, m: number, valuesPtr: number, batchRows: number) =>
      (model ?? this).trainBatch(this.epoch!.user, this.epoch!.item, start, m, valuesPtr, batchRows);
    this.steps = new BatchSteps(this.backend, {
      optimizer: this.optimizer!, loss: this.loss.name, params: this.params(), replicas: this.replicas,
      valuesPtr: this.epoch.values.ptr, share, programs: this.stepPrograms,
    });
  }

  /** Tables, network and prediction buffers (the network's initial values drawn from `rng`). */
  private buildNetwork(rng: Rng): void {
    const be = this.backend;
    this.userTables = new SideTables(be, this.features.user, this.coldColumns.user);
    this.itemTables = new SideTables(be, this.features.item, this.coldColumns.item);
    this.build(rng);
    this.pred = be.allocF32(this.maxBatch);
    this.dPred = be.allocF32(this.maxBatch);
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
    if (!pool || !this.stepPrograms || !splitsAmongThreads(this.loss.name, this.epoch!.rowsPerBatch(batchSize), pool.threads)) return [];
    return createReplicas(this.backend, pool.threads, (recording, t) => {
      const model = this.createReplica(recording);
      // A generator of its own that draws nothing from `rng`: the shuffles and id dropout
      // stay those of one thread. (A replica's weights are the primary's; only dense dropout
      // masks, when there is dropout, come from it.)
      model?.adoptAsReplica(this, new Rng(0x7f4a7c15 + t));
      return model ? { model, params: model.params() } : null;
    });
  }

  /** Builds this model's network as a replica of `primary`'s: own buffers and gradients, the primary's weights and tables. */
  private adoptAsReplica(primary: FeatureModel, rng: Rng): void {
    this.globalMean = primary.globalMean;
    // The same loss on the same rows: the primary lays the epoch out (negatives included).
    this.loss = primary.loss;
    this.epoch = primary.epoch;
    this.userSeen = primary.userSeen;
    this.itemSeen = primary.itemSeen;
    this.userTables = primary.userTables;
    this.itemTables = primary.itemTables;
    this.isReplica = true;
    this.build(rng);
    this.pred = this.backend.allocF32(this.maxBatch);
    this.dPred = this.backend.allocF32(this.maxBatch);
    const theirs = primary.params();
    this.params().forEach((p, k) => p.replicate(theirs[k]));
  }

  protected trainEpoch(ctx: EpochContext): number {
    const e = this.epoch!;
    const perBatch = e.rowsPerBatch(ctx.batchSize);
    if (perBatch > this.maxBatch) throw new Error(`${this.kind}: batchSize ${ctx.batchSize} (${perBatch} rows with the ${this.loss.name} loss) exceeds maxBatch ${this.maxBatch} (a model option)`);
    const n = e.layOut(ctx.order, ctx.batchSize, this.replicas.length + 1, {
      user: { tables: this.userTables!, seen: this.userSeen, idDropout: this.sideIdDropout.user },
      item: { tables: this.itemTables!, seen: this.itemSeen, idDropout: this.sideIdDropout.item },
    });
    return this.steps!.epoch(n, perBatch, ctx.lr, { after: () => this.parametersChanged(), onBatchEnd: ctx.onBatchEnd });
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
    const rows = this.epoch!.implicitRows;
    const loss = rows ? rows.batchLoss(this.backend.kernels, dPred, pred, valuesPtr, m, batchRows) : this.backend.kernels.mse(dPred, pred, valuesPtr, m, 1 / batchRows);
    this.backward(user, item, start, m);
    return loss;
  }

  protected endTraining(): void {
    this.steps?.dispose();
    this.steps = null;
    for (const r of this.replicas) r.model.releaseAll();
    this.replicas = [];
    if (!this.isReplica) this.epoch?.dispose();
    this.epoch = null;
  }

  protected predictIndices(users: Int32Array, items: Int32Array): Float32Array {
    return this.predictFeatures(users, items);
  }

  /**
   * Raw scores (before clipping) for pairs of known entities (dense indices; unseen ones
   * use their features with the unknown id) or brand-new ones given by their encoded
   * features. `predictEntities` is the same, clipped to the rating scale.
   *
   * @example
   * const newUsers = pipeline.encodeRows('user', [{ age: 31, gender: 'F', occupation: 'writer' }]);
   * model.predictFeatures({ features: newUsers, rows: Int32Array.of(0, 0) }, Int32Array.of(10, 20));
   */
  predictFeatures(users: EntityRef, items: EntityRef): Float32Array {
    if (!this.userTables || !this.itemTables) throw new Error(`${this.kind}: the model is not trained yet (call fit first)`);
    const forward = (u: Lookup, i: Lookup) => (ub: SideBatches, ib: SideBatches, start: number, m: number) => {
      this.forward(ub, ib, u.tables, i.tables, start, m, false);
      return this.pred!;
    };
    return this.withLookup(users, 'user', (u) => this.withLookup(items, 'item', (i) => predictInBatches(this.backend, u, i, this.maxBatch, forward(u, i))));
  }

  private withLookup<T>(ref: EntityRef, side: 'user' | 'item', use: (l: Lookup) => T): T {
    const [own, seen] = side === 'user' ? [this.userTables!, this.userSeen] : [this.itemTables!, this.itemSeen];
    return withLookup(this.backend, ref, side, own, seen, use);
  }

  protected override entityScores(users: EntityRef, items: EntityRef): Float32Array {
    return this.predictFeatures(users, items);
  }

  /** Fills one side's batch columns for dense indices or new entities' features, as predictions do, and hands them to `use`. */
  protected withSideInputs<T>(side: 'user' | 'item', ref: EntityRef, use: (b: SideBatches, tables: SideTables, idRows: Int32Array) => T): T {
    return this.withLookup(ref, side, (l) => withBatches(this.backend, l, use));
  }

  /** The constructor options that rebuild this model; subclasses add theirs. */
  protected configState(): Record<string, unknown> {
    return featureConfig(this);
  }

  override exportState(): ModelState {
    if (!this.userTables) throw new Error(`${this.kind}: the model is not trained yet (call fit first)`);
    return { kind: this.kind, config: this.configState(), globalMean: this.globalMean, tensors: featureTensors(this.userSeen, this.itemSeen, this.params()) };
  }

  /** Builds the network as `fit` would (zero optimizer state) and writes the saved parameters. */
  override importState(state: ModelState): void {
    this.releaseAll();
    ({ userSeen: this.userSeen, itemSeen: this.itemSeen } = savedSeen(state, this.nUsers, this.nItems));
    this.globalMean = state.globalMean;
    // The initial values are overwritten; the seed only makes the build deterministic.
    this.buildNetwork(new Rng(0));
    writeSavedParams(state, this.params());
  }

  protected snapshot(): Float32Array[] {
    return this.params().map((p) => p.read());
  }

  protected restore(snapshot: unknown): void {
    const values = snapshot as Float32Array[];
    this.params().forEach((p, k) => p.write(values[k]));
  }

  protected releaseWeights(): void {
    this.releaseAll();
  }

  protected disposeModel(): void {
    this.releaseAll();
    this.optimizer?.dispose();
  }

  private releaseAll(): void {
    this.endTraining();
    if (this.userTables) {
      this.disposeNetwork();
      if (!this.isReplica) {
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
