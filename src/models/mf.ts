// Biased matrix factorisation written as a small neural net: r̂ = μ + b_u + b_i + p_uᵀq_i.
// Two solvers: the fused per-example SGD loop (Funk-SVD), and mini-batches with any
// optimizer (sparse updates of the touched embedding rows).

import { BatchSteps } from '../training/batch-steps.js';
import type { Backend, F32Buf, I32Buf } from '../backends/index.js';
import { trainingCoverage, type Interactions } from '../data/interactions.js';
import { Rng } from '../random.js';
import { Param } from '../training/param.js';
import type { OptimizerConfig } from '../training/optimizer.js';
import { Recommender, type EpochContext, type ModelIndexes } from './recommender.js';
import { ImplicitEpoch } from '../training/implicit-epoch.js';
import type { LossConfig, LossName } from '../training/losses.js';
import type { ModelState } from './state.js';
import { MFTables, type MFShape } from './mf-tables.js';
import { FullSoftmax } from './mf-softmax.js';
import { Strata } from './mf-dsgd.js';
import { fusedSgdEpoch, layOutEpoch, runsFused } from './mf-fused.js';
import { MF_IMPLICIT_DEFAULTS, MF_DEFAULTS, resolveMfOptions, type MFOptions } from './mf-options.js';
import { coldUserMapFromState, coldUserMapState, mapColdUsers, scoresFromMap, type ColdUserMap, type ColdUsers, type ColdUsersReport } from './mf-cold-users.js';
import type { FitOptions, History } from '../training/fit.js';
import type { SummaryBuilder } from './model-summary.js';
import { describeMfTerms } from './summary-parts.js';

export { MF_DEFAULTS, MF_IMPLICIT_DEFAULTS, type MFOptions } from './mf-options.js';

/**
 * Biased MF. With `compile({ optimizer: 'sgd' })` and `fit(..., { batchSize: 1 })` it runs
 * the fused per-example SGD kernel; any other optimizer or batch size trains mini-batches.
 *
 * @example
 * const mf = new MatrixFactorization(backend, dataset, { factors: 64 });
 * mf.compile({ optimizer: { name: 'sgd', lr: 0.01 } });
 * await mf.fit(train, { epochs: 30, batchSize: 1 });
 * mf.evaluate(test); // { rmse, mae }
 */
export class MatrixFactorization extends Recommender {
  readonly kind: string = 'mf';
  /** The options as given; what is unset takes the defaults of the compiled loss (`configure`). */
  readonly options: Readonly<MFOptions>;
  factors = 0;
  regFactors = 0;
  regBias = 0;
  initStd = 0;
  readonly stepPrograms: boolean;
  /** The mini-batches of this fit, over the current epoch buffers (../training/batch-steps.ts). */
  private steps: BatchSteps<never> | null = null;
  protected tables: MFTables | null = null;
  private train: { users: I32Buf; items: I32Buf; ratings: F32Buf; order: I32Buf } | null = null;
  /** Threads > 1: the training examples in user × item range blocks, and the generator that shuffles them. */
  private strata: { blocks: Strata; rng: Rng } | null = null;
  private batch: { users: I32Buf; items: I32Buf; ratings: F32Buf; pred: F32Buf; dPred: F32Buf } | null = null;
  /** Implicit losses: the epoch's positives and sampled negatives, and the sampler's generator. */
  private implicitEpoch: { rows: ImplicitEpoch; rng: Rng } | null = null;
  /** Loss 'softmax': the full-softmax step's buffers (./mf-softmax.ts). */
  private softmax: FullSoftmax | null = null;

  constructor(backend: Backend, indexes: ModelIndexes, options: MFOptions = {}) {
    super(backend, indexes);
    this.options = { ...options };
    this.stepPrograms = options.stepPrograms ?? true;
    this.configure();
  }

  /** Resolves the options for the compiled loss: ratings and implicit losses have their own defaults. */
  protected override configure(): void {
    Object.assign(this, resolveMfOptions(this.options, this.implicit));
  }

  defaultOptimizer(): OptimizerConfig {
    return this.implicit ? { name: 'adam', lr: MF_IMPLICIT_DEFAULTS.lr } : { name: 'sgd', lr: MF_DEFAULTS.lr };
  }

  override defaultBatchSize(): number {
    return this.optimizer?.config.name === 'sgd' && !this.implicit ? 1 : 256;
  }

  /** Ratings (mse); implicit feedback with sampled negatives (bce, bpr) or the full softmax over every item. */
  override supportedLosses(): readonly LossName[] {
    return ['mse', 'bce', 'bpr', 'softmax'];
  }

  override defaultImplicitLoss(): LossName {
    return 'softmax';
  }

  protected override lossDefaults(loss: LossName): Partial<LossConfig> {
    return loss === 'bpr' || loss === 'bce' ? { negatives: MF_IMPLICIT_DEFAULTS.negatives } : {};
  }

  override defaultEpochs(): number {
    return this.implicit ? MF_IMPLICIT_DEFAULTS.epochs : MF_DEFAULTS.epochs;
  }

  /** Whether fit uses the fused per-example kernel. */
  protected fused(batchSize: number): boolean {
    return runsFused(batchSize, this.optimizer!.config, this.loss.name);
  }

  /** Set: after each fit, the users training did not see get factors mapped from these features (./mf-cold-users.ts). */
  coldUsers: ColdUsers | null = null;
  /** What the last fit's map did, and the map (saved), which scores brand-new users by `scoresForFeatureRow`. */
  coldUsersReport: ColdUsersReport | null = null;
  coldUserMap: ColdUserMap | null = null;

  override async fit(train: Interactions, options: FitOptions = {}): Promise<History> {
    const history = await super.fit(train, options);
    if (this.coldUsers) ({ report: this.coldUsersReport, map: this.coldUserMap } = mapColdUsers(this.trainedTables(), this.coldUsers));
    return history;
  }

  /** Every item's score for row r of a pipeline's encoded users, through the cold users' map (which must exist). */
  scoresForFeatureRow(side: ColdUsers['features'], r: number): Float32Array {
    if (!this.coldUserMap) throw new Error('mf: no cold users\' map (set coldUsers before fit)');
    return scoresFromMap(this.trainedTables(), this.coldUserMap, side, r, this.globalMean);
  }

  protected beginTraining(train: Interactions, rng: Rng, batchSize: number, continuing: boolean): void {
    const be = this.backend;
    const coverage = trainingCoverage(train, this.nUsers, this.nItems);
    if (continuing && this.tables) {
      // Ids first seen now train from their zero (unknown) rows; μ stays what the weights learned around.
      this.tables.addCoverage(coverage);
    } else {
      this.releaseWeights();
      this.tables = MFTables.build(be, this.shape(), rng, coverage);
      // Implicit feedback: scores are logits of positives vs sampled negatives; μ has no role.
      this.globalMean = this.implicit ? 0 : coverage.globalMean;
    }
    this.implicitEpoch = this.implicit ? { rows: new ImplicitEpoch(this.loss, train, this.nItems), rng: rng.fork() } : null;
    this.softmax = this.loss.name === 'softmax' ? new FullSoftmax(be, this.nItems, this.factors, batchSize) : null;

    const pool = be.pool;
    this.strata = pool && pool.threads > 1 && this.fused(batchSize)
      ? { blocks: Strata.build(be, pool.threads, train.users, train.items, this.nUsers, this.nItems), rng: rng.fork() }
      : null;
    this.train = {
      users: be.allocI32(train.length, train.users),
      items: be.allocI32(train.length, train.items),
      ratings: be.allocF32(train.length, train.ratings),
      order: be.allocI32(train.length),
    };
  }

  protected trainEpoch(ctx: EpochContext): number {
    return this.fused(ctx.batchSize) ? this.sgdEpoch(ctx) : this.minibatchEpoch(ctx);
  }

  protected override shufflesItself(batchSize: number): boolean {
    return this.strata !== null && this.fused(batchSize);
  }

  private sgdEpoch(ctx: EpochContext): number {
    const { P, Q, bu, bi } = this.tables!;
    const model = { P: P.value.ptr, Q: Q.value.ptr, bu: bu.value.ptr, bi: bi.value.ptr, factors: this.factors, mu: this.globalMean, regFactors: this.regFactors, regBias: this.regBias };
    const b = this.batchBuffers(ctx.order.length, false);
    return fusedSgdEpoch(this.backend, model, { train: this.train!, epoch: b }, ctx, this.strata);
  }

  private minibatchEpoch(ctx: EpochContext): number {
    const be = this.backend;
    const t = this.train!;
    const ex = this.implicitEpoch ? this.implicitEpoch.rows.layout(ctx.order, ctx.batchSize, this.implicitEpoch.rng) : null;
    const n = ex ? ex.length : ctx.order.length;
    const bs = ex ? ex.rowsPerBatch(ctx.batchSize) : Math.min(ctx.batchSize, n);
    const b = this.batchBuffers(n, true);
    this.steps ??= new BatchSteps<never>(be, {
      optimizer: this.optimizer!, loss: this.loss.name, params: this.tables!.params(), valuesPtr: b.ratings.ptr,
      share: (_model, start, m) => this.batchStep(start, m), programs: this.stepPrograms,
    });
    if (ex) {
      be.write(b.users, ex.users);
      be.write(b.items, ex.items);
      be.write(b.ratings, ex.values);
    } else {
      layOutEpoch(be, { train: t, epoch: b }, ctx.order);
    }
    return this.steps.epoch(n, bs, ctx.lr, { onBatchEnd: ctx.onBatchEnd });
  }

  /** Forward, loss and backward of rows [start, start+m) of the epoch's columns; returns the summed loss. */
  private batchStep(start: number, m: number): number {
    const k = this.backend.kernels;
    const { P, Q, bu, bi } = this.tables!;
    const b = this.batch!;
    const users = b.users.ptr + 4 * start;
    const items = b.items.ptr + 4 * start;
    const values = b.ratings.ptr + 4 * start;
    if (this.softmax) return this.softmax.step(this.tables!, users, items, m);
    k.mfPredict(b.pred.ptr, P.value.ptr, Q.value.ptr, bu.value.ptr, bi.value.ptr, users, items, m, this.factors, this.globalMean);
    const sse = this.implicitEpoch ? this.implicitEpoch.rows.batchLoss(k, b.dPred.ptr, b.pred.ptr, values, m) : k.mse(b.dPred.ptr, b.pred.ptr, values, m, 1 / m);
    k.mfBackward(P.grad.ptr, Q.grad.ptr, bu.grad.ptr, bi.grad.ptr, b.dPred.ptr, P.value.ptr, Q.value.ptr, users, items, m, this.factors);
    this.tables!.markRows(users, items, m);
    return sse;
  }

  /** Epoch-sized permuted columns (plus predictions and their gradients for mini-batches), allocated once per fit. */
  private batchBuffers(n: number, predictions: boolean) {
    const predLength = predictions ? n : 1;
    if (!this.batch || this.batch.users.length !== n || this.batch.pred.length !== predLength) {
      this.freeBatch();
      const be = this.backend;
      this.batch = { users: be.allocI32(n), items: be.allocI32(n), ratings: be.allocF32(n), pred: be.allocF32(predLength), dPred: be.allocF32(predLength) };
    }
    return this.batch;
  }

  protected endTraining(): void {
    if (this.train) for (const buf of Object.values(this.train)) this.backend.free(buf);
    this.train = null;
    this.strata?.blocks.dispose(this.backend);
    this.strata = null;
    this.softmax?.dispose();
    this.softmax = null;
    this.freeBatch();
  }

  protected predictIndices(users: Int32Array, items: Int32Array): Float32Array {
    return this.trainedTables().predict(users, items, this.globalMean);
  }

  protected override scoreAll(users: Int32Array): Float32Array {
    return this.trainedTables().scoreAll(users, this.globalMean);
  }

  /** The score's parts for `indices` (dense; -1 = unknown): score = μ + b_u + b_i + p_u·q_i, as `TwoTower.dotServingVectors`. */
  dotServingVectors(side: 'user' | 'item', indices: Int32Array): ReturnType<MFTables['servingRows']> { return this.trainedTables().servingRows(side, indices); }

  protected snapshot(): Float32Array[] {
    return this.trainedTables().params().map((p) => p.read());
  }

  protected restore(snapshot: unknown): void {
    this.trainedTables().params().forEach((p, k) => p.write((snapshot as Float32Array[])[k]));
  }

  /** Copies of the learned parameters (the last row of each is the unknown entity). */
  weights(): ReturnType<MFTables['weights']> {
    return this.trainedTables().weights();
  }

  override itemVectors(): { vectors: Float32Array; dim: number } {
    return { vectors: this.trainedTables().Q.read().subarray(0, this.nItems * this.factors), dim: this.factors };
  }

  override exportState(): ModelState {
    const { config, tensors } = coldUserMapState(this.coldUserMap);
    return { kind: this.kind, config: { factors: this.factors, regFactors: this.regFactors, regBias: this.regBias, initStd: this.initStd, ...config }, globalMean: this.globalMean, tensors: { ...this.trainedTables().stateTensors(), ...tensors } };
  }

  override importState(state: ModelState): void {
    const coldUserMap = coldUserMapFromState(state, this.factors);
    const tables = MFTables.fromState(this.backend, this.shape(), state);
    this.releaseWeights();
    this.coldUserMap = coldUserMap;
    this.tables = tables;
    this.globalMean = state.globalMean;
  }

  protected disposeModel(): void {
    this.endTraining();
    this.releaseWeights();
    this.optimizer?.dispose();
  }

  protected override createTwin(): MatrixFactorization {
    return new MatrixFactorization(this.backend, this.indexes, this.options);
  }

  protected override trainableParams(): Param[] {
    return this.tables?.params() ?? [];
  }

  protected releaseWeights(): void {
    this.tables?.dispose();
    this.tables = null;
  }

  protected describe(b: SummaryBuilder): string {
    describeMfTerms(b, this.nUsers, this.nItems, this.factors);
    return this.implicit ? `logit (${this.loss.name}) = b_u + b_i + p_uᵀq_i` : 'r̂ = μ + b_u + b_i + p_uᵀq_i';
  }

  protected shape(): MFShape {
    return { nUsers: this.nUsers, nItems: this.nItems, factors: this.factors, initStd: this.initStd, regFactors: this.regFactors, regBias: this.regBias };
  }

  private trainedTables(): MFTables {
    if (!this.tables) throw new Error('mf: the model is not trained yet (call fit first)');
    return this.tables;
  }

  private freeBatch(): void {
    // The recorded steps point into these buffers.
    this.steps?.dispose();
    this.steps = null;
    if (this.batch) for (const buf of Object.values(this.batch)) this.backend.free(buf);
    this.batch = null;
  }
}
