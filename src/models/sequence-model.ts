// What every next-item sequence model shares (youtube, gru4rec, sasrec): a user is an
// encoding of her latest L events; trained on the events (full softmax over the items' output
// embeddings Q and biases b_i, MF's tables); after every epoch each user's vector from her
// latest history is written into MF's P, so ranking and the saved file are plain MF plus the
// encoder's tensors, and anonymous sessions are served by encoding their items.

import type { Backend } from '../backends/index.js';
import { buildHistories, type Histories } from '../data/histories.js';
import { gapBucket } from '../data/time-gaps.js';
import { lastGaps, lastItems, sessionRow } from '../data/history-rows.js';
import type { Interactions } from '../data/interactions.js';
import { Rng } from '../random.js';
import type { LossName } from '../training/losses.js';
import type { OptimizerConfig } from '../training/optimizer.js';
import { BatchSteps } from '../training/batch-steps.js';
import type { Param } from '../training/param.js';
import { MatrixFactorization, type MFOptions } from './mf.js';
import type { CompileOptions, EpochContext, ModelIndexes } from './model-types.js';
import { toRecommendations, type Recommendation } from './recommendations.js';
import { stateTensor, type ModelState } from './state.js';
import { topK } from './topk.js';

export interface SequenceModelOptions extends MFOptions {
  /** The most recent events a user is described by. */
  historyLength?: number;
  /**
   * Each event also carries the time between it and the prediction, bucketed on a log scale
   * (data/time-gaps.ts), embedded and pooled beside the items (needs timestamps).
   */
  timeGaps?: boolean;
  /**
   * youtube and the mean user tower: the pooling's mean weighted by recency, halving every
   * this many events back from the latest (0/undefined: the plain mean).
   */
  historyDecay?: number;
}

/** The measured defaults of one sequence kind. */
export interface SequenceDefaults {
  factors: number;
  historyLength: number;
  lr: number;
  epochs: number;
  batchSize: number;
  /** Half-life of the pooled mean's recency weights (absent: 0, off). */
  historyDecay?: number;
}

/** One epoch's training examples and step, on the backend's memory (built per fit). */
export interface SequenceRun {
  readonly nExamples: number;
  /** The epoch's visiting order (rng null: file order). */
  layout(rng: Rng | null): void;
  /**
   * Forward, loss and backward of examples [start, start + m); returns the summed loss.
   * Recorded as a step program (start symbolic): kernels only, addresses of per-example
   * columns as buffer + 4·start, no kernel result read. With `stride`, `start` counts
   * columns: example e's first is e·stride.
   */
  step(start: number, m: number): number;
  /** Columns per example (default 1): a run whose examples are windows of L slots lays them out row by row. */
  readonly stride?: number;
  /** Writes the per-step values of examples [start, start + m) (e.g. a loss scale a recorded step reads from memory) before the step runs. */
  beforeStep?(start: number, m: number): void;
  /**
   * Whether `step` may be recorded as a step program: kernels only (random draws such as
   * dropout masks redrawn by beforeRun hooks, not in TypeScript between the calls).
   */
  readonly recordable?: boolean;
  dispose(): void;
}

export abstract class SequenceModel extends MatrixFactorization {
  readonly historyLength: number;
  readonly timeGaps: boolean;
  /** Half-life in events of the pooled mean's recency weights (0 = off). */
  readonly historyDecay: number;
  private run: SequenceRun | null = null;
  private sequenceSteps: BatchSteps<never> | null = null;
  private rng: Rng | null = null;
  private lastTrain: Interactions | null = null;

  constructor(backend: Backend, indexes: ModelIndexes, options: SequenceModelOptions) {
    const { historyLength, timeGaps, historyDecay, ...mf } = options;
    super(backend, indexes, mf);
    this.historyLength = historyLength ?? this.sequenceDefaults().historyLength;
    this.timeGaps = timeGaps ?? false;
    this.historyDecay = historyDecay ?? this.sequenceDefaults().historyDecay ?? 0;
    if (!(Number.isFinite(this.historyDecay) && this.historyDecay >= 0)) throw new Error(`${this.kind}: historyDecay must be a half-life ≥ 0 (0 = off), got ${this.historyDecay}`);
    if (!(Number.isInteger(this.historyLength) && this.historyLength >= 1)) throw new Error(`${this.kind}: historyLength must be an integer ≥ 1, got ${this.historyLength}`);
  }

  /** The kind's measured defaults (a method: MF's constructor already reads them). */
  protected abstract sequenceDefaults(): SequenceDefaults;
  /** The encoder's parameters by their state key (saved in the model file under these names). */
  protected abstract networkParams(): Record<string, Param> | null;
  /** (Re)creates the encoder's parameters, freshly initialised. */
  protected abstract buildNetwork(rng: Rng): void;
  protected abstract disposeNetwork(): void;
  /** The encoder's training run over the histories (events in time order per user; `times`: the training rows' timestamps when the model uses them (usesTimes)). */
  protected abstract createRun(h: Histories, batchSize: number, rng: Rng, times: Float64Array | null): SequenceRun;
  /**
   * User vectors of histories given row-major (rows × L, most recent in slot L−1, −1 =
   * padding) into out (rows × d); `lastGaps` (alike) holds each event's time-gap bucket when
   * the model uses time gaps.
   */
  protected abstract encode(lastItems: Int32Array, rows: number, out: Float32Array, lastGaps: Int32Array | null): void;

  /** Whether training needs the events' timestamps (time gaps; a kind may add its own uses). */
  protected usesTimes(): boolean {
    return this.timeGaps;
  }

  protected override configure(): void {
    super.configure();
    this.factors = this.options.factors ?? this.sequenceDefaults().factors;
    this.regBias = 0;
  }

  override compile(options: CompileOptions = {}): this {
    return super.compile(options.loss === undefined ? { ...options, loss: 'softmax' } : options);
  }

  override supportedLosses(): readonly LossName[] {
    return ['softmax'];
  }

  override defaultImplicitLoss(): LossName {
    return 'softmax';
  }

  /** Whether the kind also learns ratings (mse): each from the user's earlier training events. */
  protected trainsOnRatings(): boolean {
    return false;
  }

  override defaultOptimizer(): OptimizerConfig {
    return { name: 'adam', lr: this.sequenceDefaults().lr };
  }

  override defaultBatchSize(): number {
    return this.sequenceDefaults().batchSize;
  }

  override defaultEpochs(): number {
    return this.sequenceDefaults().epochs;
  }

  protected override fused(): boolean {
    return false;
  }

  protected override beginTraining(train: Interactions, rng: Rng, batchSize: number, continuing: boolean): void {
    if (!this.implicit && !this.trainsOnRatings()) throw new Error(`${this.kind}: trains on events (implicit feedback: compile with loss 'softmax'; the CLI's --implicit or --task next-item)`);
    if (this.timeGaps && !train.timestamps) throw new Error(`${this.kind}: timeGaps needs the events' timestamps; these interactions have none`);
    super.beginTraining(train, rng, batchSize, continuing);
    this.freeRun();
    const old = continuing ? this.networkParams() : null;
    const keep = old ? Object.fromEntries(Object.entries(old).map(([k, p]) => [k, p.read()])) : null;
    this.buildNetwork(rng);
    if (keep) for (const [k, p] of Object.entries(this.networkParams()!)) p.write(keep[k]);
    this.rng = rng.fork();
    this.run = this.createRun(buildHistories(train, this.nUsers), batchSize, rng.fork(), this.usesTimes() ? (train.timestamps ?? null) : null);
    this.lastTrain = train;
    this.serveFrom(train);
  }

  protected override trainEpoch(ctx: EpochContext): number {
    const r = this.run!;
    r.layout(ctx.shuffle ? this.rng : null);
    // A step is recorded once per batch size and replayed: one call into the kernels.
    this.sequenceSteps ??= new BatchSteps<never>(this.backend, {
      optimizer: this.optimizer!, loss: 'softmax', params: this.trainableParams(), valuesPtr: 0,
      share: (_model, start, m) => r.step(start, m), programs: this.stepPrograms && r.recordable === true,
    });
    const total = this.sequenceSteps.epoch(r.nExamples, ctx.batchSize, ctx.lr, {
      column: (start) => start * (r.stride ?? 1),
      before: r.beforeStep?.bind(r),
      onBatchEnd: ctx.onBatchEnd,
    });
    this.serveFrom(this.lastTrain!);
    return total;
  }

  /**
   * Every user's served vector from her latest events in `events` (time order; the last
   * `historyLength`): call with everything known before a prediction (training and later
   * events) — for next-item evaluation, the events up to the target. With time gaps, `now`
   * (per user) is the moment of the prediction; by default her latest event's time.
   */
  serveFrom(events: Interactions, now: Float64Array | null = null): void {
    if (!this.networkParams()) throw new Error(`${this.kind}: the model is not trained yet (call fit first)`);
    if (this.timeGaps && !events.timestamps) throw new Error(`${this.kind}: timeGaps needs the events' timestamps; these interactions have none`);
    const h = buildHistories(events, this.nUsers);
    const vectors = new Float32Array(this.nUsers * this.factors);
    const gaps = this.timeGaps ? lastGaps(h, this.historyLength, events.timestamps!, now) : null;
    this.encode(lastItems(h, this.historyLength), this.nUsers, vectors, gaps);
    const t = this.tables!;
    this.backend.f32(t.P.value).set(vectors);
    for (let u = 0; u < this.nUsers; u++) t.userSeen[u] = h.start[u + 1] > h.start[u] ? 1 : 0;
  }

  /**
   * Next items for an anonymous session: `items` (raw ids, oldest first; the last
   * `historyLength` count) → the user vector → the k best other items. Unknown ids are
   * skipped and listed; with none known, the ranking is what an empty history encodes to.
   */
  recommendForHistory(items: readonly string[], k = 10, times: readonly number[] | null = null): { items: Recommendation[]; unknown: string[] } {
    if (!this.networkParams()) throw new Error(`${this.kind}: the model is not trained yet (call fit first)`);
    const index = this.indexes.itemIndex;
    const L = this.historyLength;
    const { row, known, unknown, keptTimes } = sessionRow(index, items, L, times);
    // Without times a session is taken as happening now (every gap 0).
    const gapRow = new Int32Array(L).fill(-1);
    const kept = keptTimes ?? new Array<number>(Math.min(L, known.length)).fill(0);
    const now = kept.length > 0 ? kept[kept.length - 1] : 0;
    kept.forEach((t, e) => (gapRow[L - kept.length + e] = gapBucket(now - t)));
    const d = this.factors;
    const u = new Float32Array(d);
    this.encode(row, 1, u, this.timeGaps ? gapRow : null);
    const q = this.backend.f32(this.tables!.Q.value);
    const bi = this.backend.f32(this.tables!.bi.value);
    const scores = new Float32Array(this.nItems);
    for (let i = 0; i < this.nItems; i++) {
      let s = bi[i];
      for (let c = 0; c < d; c++) s += u[c] * q[i * d + c];
      scores[i] = s;
    }
    const exclude = new Uint8Array(this.nItems);
    for (const i of known) exclude[i] = 1;
    return { items: toRecommendations(topK(scores, k, exclude), index, this.itemTitles), unknown };
  }

  protected override trainableParams(): Param[] {
    const net = this.networkParams();
    return net && this.tables ? [...Object.values(net), this.tables.Q, this.tables.bi] : [];
  }

  /** MF's served tables plus the encoder, so that a loaded model also serves anonymous sessions. */
  override exportState(): ModelState {
    const state = super.exportState();
    const net = this.networkParams();
    if (!net) return state;
    const tensors = { ...state.tensors, ...Object.fromEntries(Object.entries(net).map(([k, p]) => [k, p.read()])) };
    return { ...state, config: { ...state.config, historyLength: this.historyLength, timeGaps: this.timeGaps, ...(this.historyDecay > 0 ? { historyDecay: this.historyDecay } : {}) }, tensors };
  }

  override importState(state: ModelState): void {
    super.importState(state);
    this.buildNetwork(new Rng(0));
    for (const [k, p] of Object.entries(this.networkParams()!)) p.write(stateTensor(state, k, Float32Array, p.rows * p.dim));
  }

  protected override createTwin(): MatrixFactorization {
    throw new Error(`${this.kind}: a ranking model already (no ranking twin)`);
  }

  protected override disposeModel(): void {
    this.freeRun();
    this.disposeNetwork();
    super.disposeModel();
  }

  private freeRun(): void {
    this.sequenceSteps?.dispose();
    this.sequenceSteps = null;
    this.run?.dispose();
    this.run = null;
  }
}
