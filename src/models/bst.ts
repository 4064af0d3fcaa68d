// BST (Chen et al., "Behavior Sequence Transformer for E-commerce Recommendation in Alibaba",
// DLP-KDD 2019, arXiv:1905.06874) with DIN's target attention (Zhou et al., KDD 2018) as the
// pooling: the history (item embeddings + learned positions) through one transformer block,
// each candidate attending over the block's outputs, and an MLP over [attended history,
// candidate, their product] → one logit (+ a·q + b_i: the direct term lifted ML-100K HR@10
// 0.150 → 0.168 at 10 epochs); trained on sampled negatives (bce, or a
// sampled softmax over the same candidates).
//
// Departures from the paper, for serving cost (full ranking scores every item for every user):
// - The paper puts the target item inside the self-attention as the (L+1)-th token, so every
//   (user, candidate) pair runs the whole block: on ML-100K full ranking that is 943 × 1682
//   block passes over 51 tokens (≈ 5 TFLOP). Here the block runs once per user and the
//   candidate enters through target attention, O(L·d + MLP) per pair (≈ 1.6 M pairs × 40 kFLOP: seconds).
// - The block is causal (SASRec's mask): one pass over a window of L events then trains every
//   position at once, each candidate attending over the positions before it; a bidirectional
//   block would need one pass per training event (≈ 39× the block passes per epoch: ML-100K's
//   80,634 training events come in 2,075 windows) because earlier positions would see the target.
//   At serving the candidate attends over every position of the user's latest L events.
// - Tokens: ids, positions and optionally each event's rating and time gap, bucketed and
//   embedded (./bst-attributes.ts); item features through the item tower (itemFeatures).

import type { Backend } from '../backends/index.js';
import { buildHistories, type Histories } from '../data/histories.js';
import type { Interactions } from '../data/interactions.js';
import type { Rng } from '../random.js';
import type { LossConfig, LossName } from '../training/losses.js';
import type { Param } from '../training/param.js';
import { BstNet, checkBstShape, describeBst, type BstShape } from './bst-net.js';
import { BstUserInput, userCodes } from './bst-user-input.js';
import { demographicShapes } from './youtube-user-input.js';
import { BstRun, ratingTargets } from './bst-run.js';
import { lastPositions, onRatingScale, pairsByUser, rowsOf, scoreQueries } from './bst-serve.js';
import { attributeBuckets, attributeTableName, importAttributes, servingAttributes, sessionAttributes, trainingAttributes, type EventAttributes } from './bst-attributes.js';
import type { SummaryBuilder } from './model-summary.js';
import type { CompileOptions, ModelIndexes } from './model-types.js';
import { toRecommendations, type Recommendation } from './recommendations.js';
import { SequenceModel, type SequenceDefaults, type SequenceRun } from './sequence-model.js';
import { lastItems, sessionRow } from '../data/history-rows.js';
import { stateTensor, type ModelState } from './state.js';
import { topK } from './topk.js';
import { ItemTower } from './item-tower.js';
import type { SideFeatures } from './feature-model-options.js';
import { SEQUENCE_TWO_TOWER_DEFAULTS } from './sequence-two-tower.js';
import { BST_DEFAULTS, type BstOptions } from './bst-options.js';

export { BST_DEFAULTS, type BstOptions } from './bst-options.js';

/** Sequences encoded at once when serving without a training batch size (after load). */
const ENCODE_CAPACITY = 32;
/** Candidate rows scored per call at least (a whole ML-100K catalogue). */
const SERVE_QUERIES = 2048;

/**
 * The BST next-item model; ranks by a network per (history, candidate) pair, not by a dot product.
 * @example
 * const model = new BST(backend, dataset).compile(); // bce, 8 negatives per event
 * await model.fit(lastItemSplit(dataset).train);
 * model.recommendForHistory(['50', '172', '181'], 10);
 */
export class BST extends SequenceModel {
  override readonly kind: string = 'bst';
  readonly heads: number;
  readonly dropout: number;
  readonly mlpLayers: readonly number[];
  private net: BstNet | null = null;
  private capacity = ENCODE_CAPACITY;
  /** Each user's latest L events (nUsers × L, −1 = padding): what her scores attend over. */
  private histories: Int32Array | null = null;
  /** With event ratings: the rating buckets of those events (nUsers × L, 0 = padding). */
  private historyBuckets: Int32Array | null = null;
  private readonly eventRatingsOption: boolean | undefined;
  readonly itemFeatures: boolean;
  /** With itemFeatures: the item tower that writes Q before each step and takes its gradient back. */
  private items: ItemTower | null = null;
  /** While a rating model builds its run: the training ratings its histories index. */
  private ratings: Interactions | null = null;

  readonly demographics: boolean;

  /** `features`: the encoded side features; their item side is read with `itemFeatures`, their user side with `demographics`. */
  constructor(backend: Backend, indexes: ModelIndexes, options: BstOptions = {}, readonly features: SideFeatures | null = null) {
    const { heads, dropout, mlpLayers, eventRatings, itemFeatures, demographics, ...rest } = options;
    super(backend, indexes, rest);
    this.eventRatingsOption = eventRatings;
    this.itemFeatures = itemFeatures ?? false;
    this.demographics = demographics ?? false;
    for (const [on, name] of [[this.itemFeatures, 'itemFeatures'], [this.demographics, 'demographics']] as const) if (on && !features) throw new Error(`bst: ${name} needs the encoded side features (no features were given)`);
    this.heads = heads ?? BST_DEFAULTS.heads;
    this.dropout = dropout ?? BST_DEFAULTS.dropout;
    this.mlpLayers = [...(mlpLayers ?? BST_DEFAULTS.mlpLayers)];
    checkBstShape(this.options.factors ?? BST_DEFAULTS.factors, this.heads, this.dropout, this.mlpLayers);
  }

  override compile(options: CompileOptions = {}): this {
    return super.compile(options.loss === undefined ? { ...options, loss: 'bce' } : options);
  }

  override supportedLosses(): readonly LossName[] {
    return ['bce', 'softmax', 'mse'];
  }

  protected override trainsOnRatings(): boolean {
    return true;
  }

  override defaultImplicitLoss(): LossName {
    return 'bce';
  }

  protected override lossDefaults(loss: LossName): Partial<LossConfig> {
    return { negatives: loss === 'mse' ? 0 : BST_DEFAULTS.negatives };
  }

  protected sequenceDefaults(): SequenceDefaults {
    return BST_DEFAULTS;
  }

  protected networkParams(): Record<string, Param> | null {
    if (!this.net) return null;
    return { ...this.net.params(), ...Object.fromEntries((this.items?.params() ?? []).map((p) => [p.name, p])) };
  }

  protected override trainableParams(): Param[] {
    // With the item tower Q is computed, not learned: its gradient goes to the tower.
    return this.items && this.tables ? [...Object.values(this.networkParams()!), this.tables.bi] : super.trainableParams();
  }

  protected override beginTraining(train: Interactions, rng: Rng, batchSize: number, continuing: boolean): void {
    this.capacity = batchSize;
    this.ratings = train;
    super.beginTraining(train, rng, batchSize, continuing);
    this.ratings = null;
  }

  protected buildNetwork(rng: Rng): void {
    this.disposeNetwork();
    const L = this.historyLength;
    const maxQueries = Math.max(SERVE_QUERIES, BstRun.maxQueries(this.capacity, L, this.compiledLoss.negatives));
    const user = this.demographics ? new BstUserInput(this.backend, this.features!.user, rng.fork()) : null;
    this.net = new BstNet(this.backend, this.netShape(user?.width ?? 0), this.capacity, maxQueries, rng, user);
    const D = SEQUENCE_TWO_TOWER_DEFAULTS;
    this.items = this.itemFeatures ? new ItemTower(this.backend, this.features!.item, this.nItems, this.factors, rng, { idDim: D.itemIdDim, idDropout: D.itemIdDropout, l2: D.regItem }) : null;
  }

  protected createRun(h: Histories, batchSize: number, rng: Rng, times: Float64Array | null): SequenceRun {
    const loss = this.compiledLoss;
    const mse = loss.name === 'mse';
    // A rating model's targets r − μ − b_u, its b_u fixed in MF's user biases.
    const values = mse ? ratingTargets(this.ratings!, h, this.globalMean, this.nUsers, this.nItems, (bu) => this.tables!.bu.write(bu)) : undefined;
    const attrs = trainingAttributes(this.attributes, h, this.ratings!.ratings, times);
    const objective = { loss: loss.name as 'bce' | 'softmax' | 'mse', negatives: mse ? 0 : loss.negatives, pool: loss.sampling === 'popularity' ? h.items.slice() : null, values, attrs, userCodes: this.codesOf(Int32Array.from({ length: this.nUsers }, (_, u) => u)) };
    if (!mse && objective.negatives < 1) throw new Error(`bst: needs at least one sampled negative per event (loss negatives), got ${objective.negatives}`);
    const run = new BstRun(this.backend, h, this.nItems, this.historyLength, batchSize, objective, rng, this.factors);
    const t = this.tables!;
    const items = this.items;
    return {
      nExamples: run.nExamples,
      layout: (r) => {
        run.layout(r);
        items?.layout(r, t.itemSeen);
      },
      step: (col, m) => {
        // With the item tower, Q is its output: computed before the step, its gradient taken back after (inside the recorded step).
        items?.forward(t.Q);
        const loss = run.step(this.net!, t.Q, t.bi, col, m);
        items?.backward(t.Q);
        return loss;
      },
      stride: run.stride, beforeStep: (start, m) => run.beforeStep(start, m), recordable: true,
      dispose: () => run.dispose(),
    };
  }

  /** The block's output at the last position (MF's served P: what `export` would write; ranking goes through the MLP). */
  protected encode(rows: Int32Array, n: number, out: Float32Array): void {
    lastPositions(this.backend, this.net!, this.tables!.Q, rows, n, out);
  }


  /** Users' latest events as of `events` (see SequenceModel.serveFrom); ranking attends over them. */
  override serveFrom(events: Interactions, now: Float64Array | null = null): void {
    if (this.items && this.tables) {
      this.items.layout(null, this.tables.itemSeen);
      this.items.forward(this.tables.Q);
    }
    super.serveFrom(events, now);
    const h = buildHistories(events, this.nUsers);
    this.histories = lastItems(h, this.historyLength);
    this.historyBuckets = servingAttributes(this.attributes, h, events.ratings, events.timestamps ?? null, this.historyLength, now);
  }

  protected override scoreAll(users: Int32Array): Float32Array {
    const n = this.nItems;
    const rows = rowsOf(this.histories, users, this.nUsers, this.historyLength, -1);
    // Every item for every user: pair q is user q / n's, item q mod n.
    const seq = Int32Array.from({ length: users.length * n }, (_, q) => Math.floor(q / n));
    const items = Int32Array.from({ length: users.length * n }, (_, q) => q % n);
    return this.onRatingScale(this.scoreFor(rows, this.bucketsOf(users), users.length, seq, items, users), users, n);
  }

  protected override predictIndices(users: Int32Array, items: Int32Array): Float32Array {
    const { who, seq, known, order } = pairsByUser(users, items, this.nItems);
    const scores = this.scoreFor(rowsOf(this.histories, who, this.nUsers, this.historyLength, -1), this.bucketsOf(who), who.length, seq, known, who);
    const out = new Float32Array(users.length);
    order.forEach((r, k) => (out[r] = scores[k]));
    return this.onRatingScale(out, users, 1);
  }

  /** Whether the history tokens carry their events' ratings. */
  get eventRatings(): boolean {
    return this.eventRatingsOption ?? false;
  }

  private get attributes(): EventAttributes {
    return { ratings: this.eventRatings, gaps: this.timeGaps };
  }

  override defaultEpochs(): number {
    return this.implicit ? super.defaultEpochs() : BST_DEFAULTS.ratingEpochs;
  }

  private bucketsOf(users: Int32Array): Int32Array | null {
    return this.historyBuckets ? rowsOf(this.historyBuckets, users, this.nUsers, this.historyLength, 0) : null;
  }

  /** Scores of the pairs (sequence seq[q], items[q]); `who`: each sequence's user (−1: a session, the unknown user). */
  private scoreFor(rows: Int32Array, buckets: Int32Array | null, S: number, seq: Int32Array, items: Int32Array, who: Int32Array): Float32Array {
    if (!this.net) throw new Error('bst: the model is not trained yet (call fit first)');
    return scoreQueries(this.backend, this.net, this.tables!.Q, this.tables!.bi, rows, buckets, S, seq, items, this.codesOf(who) ?? []);
  }

  private codesOf(who: Int32Array): Int32Array[] | undefined {
    return this.demographics ? userCodes(this.features!.user, who) : undefined;
  }

  /** Scores on the rating scale: + μ, and a rating model's b_u of users[q / perUser] (implicit losses: μ = 0, no b_u). */
  private onRatingScale(scores: Float32Array, users: Int32Array | null, perUser: number): Float32Array {
    return onRatingScale(scores, users, perUser, this.globalMean, this.implicit ? null : this.tables!.bu.read());
  }

  override recommendForHistory(items: readonly string[], k = 10, times: readonly number[] | null = null): { items: Recommendation[]; unknown: string[] } {
    if (!this.net) throw new Error('bst: the model is not trained yet (call fit first)');
    const index = this.indexes.itemIndex;
    const { row, known, unknown, keptTimes } = sessionRow(index, items, this.historyLength, times);
    // A session's events come without ratings: the unknown bucket; gaps from `times` if given.
    const attrs = sessionAttributes(this.attributes, this.historyLength, Math.min(known.length, this.historyLength), keptTimes);
    const scores = this.onRatingScale(this.scoreFor(row, attrs, 1, new Int32Array(this.nItems), Int32Array.from({ length: this.nItems }, (_, i) => i), Int32Array.of(-1)), null, 1);
    const exclude = new Uint8Array(this.nItems);
    for (const i of known) exclude[i] = 1;
    return { items: toRecommendations(topK(scores, k, exclude), index, this.itemTitles), unknown };
  }

  override exportState(): ModelState {
    const state = super.exportState();
    const config = { ...state.config, heads: this.heads, dropout: this.dropout, mlpLayers: [...this.mlpLayers], ...(this.eventRatings ? { eventRatings: true } : {}), ...(this.itemFeatures ? { itemFeatures: true } : {}), ...(this.demographics ? { demographics: true } : {}) };
    if (!this.histories) return { ...state, config };
    const tensors: ModelState['tensors'] = { ...state.tensors, histories: this.histories.slice() };
    if (this.historyBuckets) tensors.historyRatings = this.historyBuckets.slice();
    return { ...state, config, tensors };
  }

  override importState(state: ModelState): void {
    super.importState(state);
    const h = stateTensor(state, 'histories', Int32Array, this.nUsers * this.historyLength);
    // Ids index the item table in WASM memory: a bad file must fail here, not read elsewhere.
    if (!h.every((i) => i >= -1 && i < this.nItems)) throw new Error(`bst: saved tensor 'histories' holds an item index outside [−1, ${this.nItems})`);
    this.histories = h.slice();
    this.historyBuckets = importAttributes(this.attributes, state, this.nUsers, this.historyLength);
  }

  protected disposeNetwork(): void {
    this.net?.dispose();
    this.items?.dispose();
    this.net = null;
    this.items = null;
  }

  protected override describe(b: SummaryBuilder): string {
    const loss = this.compiledLoss;
    const userWidth = this.demographics ? demographicShapes(this.features!.user).reduce((s, [, , dim]) => s + dim, 0) : 0;
    return describeBst(b, this.netShape(userWidth), this.nUsers, this.nItems, loss.name === 'mse' ? null : loss);
  }

  private netShape(userWidth: number): BstShape {
    return { d: this.factors, L: this.historyLength, heads: this.heads, dropout: this.dropout, hidden: this.mlpLayers, eventBuckets: attributeBuckets(this.attributes), eventName: attributeTableName(this.attributes), userWidth };
  }
}
