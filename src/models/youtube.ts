// The YouTube recommender's candidate model (Covington, Adams & Sargin, RecSys 2016): a user
// is the mean of the embeddings of the items she watched last (L of them), through a ReLU
// layer; trained as next-item classification over the whole catalogue (full softmax, which
// Klenitskiy & Vasilev, RecSys 2023, found ahead of sampled losses); served by dot product
// with the output item embeddings. After every epoch each user's vector from her latest
// history is written into MF's tables, so ranking and the saved file are plain MF.

import type { Backend } from '../backends/index.js';
import { buildHistories } from '../data/histories.js';
import type { Interactions } from '../data/interactions.js';
import { Rng } from '../random.js';
import type { LossName } from '../training/losses.js';
import type { OptimizerConfig } from '../training/optimizer.js';
import { Param } from '../training/param.js';
import { MatrixFactorization, type MFOptions } from './mf.js';
import type { SummaryBuilder } from './model-summary.js';
import type { CompileOptions, EpochContext, ModelIndexes } from './model-types.js';
import { toRecommendations, type Recommendation } from './recommendations.js';
import { topK } from './topk.js';
import { lastItems, userVectors, YouTubeRun, type YouTubeParams } from './youtube-run.js';
import { stateTensor, type ModelState } from './state.js';

export interface YouTubeOptions extends MFOptions {
  /** The most recent events a user is described by (default 20). */
  historyLength?: number;
}

/**
 * Defaults measured on ML-100K next-item (events ≥ 3, full ranking, HR@10): the last 20
 * events (10: 0.162, 20: 0.172, 50: 0.157, 100: 0.141), width 64 (128: 0.155 at 50 events),
 * Adam 0.002 (0.003 and 0.005 worse), 20 epochs (10: 0.145, 14: 0.150, 30 at 0.003: 0.142).
 */
export const YOUTUBE_DEFAULTS = { factors: 64, historyLength: 20, lr: 0.002, epochs: 20, batchSize: 256 } as const;

export class YouTubeDNN extends MatrixFactorization {
  override readonly kind: string = 'youtube';
  readonly historyLength: number;
  private run: YouTubeRun | null = null;
  private net: Omit<YouTubeParams, 'Q' | 'bi'> | null = null;
  private rng: Rng | null = null;

  constructor(backend: Backend, indexes: ModelIndexes, options: YouTubeOptions = {}) {
    const { historyLength, ...mf } = options;
    super(backend, indexes, mf);
    this.historyLength = historyLength ?? YOUTUBE_DEFAULTS.historyLength;
    if (!(Number.isInteger(this.historyLength) && this.historyLength >= 1)) throw new Error(`youtube: historyLength must be an integer ≥ 1, got ${this.historyLength}`);
  }

  protected override configure(): void {
    super.configure();
    this.factors = this.options.factors ?? YOUTUBE_DEFAULTS.factors;
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

  override defaultOptimizer(): OptimizerConfig {
    return { name: 'adam', lr: YOUTUBE_DEFAULTS.lr };
  }

  override defaultBatchSize(): number {
    return YOUTUBE_DEFAULTS.batchSize;
  }

  override defaultEpochs(): number {
    return YOUTUBE_DEFAULTS.epochs;
  }

  protected override fused(): boolean {
    return false;
  }

  protected override beginTraining(train: Interactions, rng: Rng, batchSize: number, continuing: boolean): void {
    if (!this.implicit) throw new Error("youtube: trains on events (implicit feedback: compile with loss 'softmax'; the CLI's --implicit or --task next-item)");
    super.beginTraining(train, rng, batchSize, continuing);
    this.freeRun();
    const be = this.backend;
    const d = this.factors;
    const keep = continuing && this.net ? { T: this.net.T.read(), W: this.net.W.read(), b: this.net.b.read() } : null;
    this.buildNet(rng);
    if (keep) for (const key of ['T', 'W', 'b'] as const) this.net![key].write(keep[key]);
    this.run = new YouTubeRun(be, buildHistories(train, this.nUsers), this.nItems, d, this.historyLength, batchSize);
    this.rng = rng.fork();
    this.lastTrain = train;
    this.serveFrom(train);
  }

  private buildNet(rng: Rng): void {
    const be = this.backend;
    const d = this.factors;
    this.disposeNet();
    this.net = {
      T: new Param(be, 'history_items', this.nItems, d, rng, { sparse: true, l2: 0, init: { normal: 0.05 } }),
      W: new Param(be, 'user_tower_w', d, d, rng, { init: { normal: Math.sqrt(2 / d) } }),
      b: new Param(be, 'user_tower_b', 1, d, rng),
    };
  }

  protected override trainEpoch(ctx: EpochContext): number {
    const r = this.run!;
    r.layout(ctx.shuffle ? this.rng : null);
    const p = this.params();
    let total = 0;
    for (let start = 0, batch = 0; start < r.nExamples; start += ctx.batchSize, batch++) {
      const m = Math.min(ctx.batchSize, r.nExamples - start);
      const loss = r.step(p, start, m);
      this.optimizer!.step([p.T, p.W, p.b, p.Q, p.bi], ctx.lr);
      total += loss;
      ctx.onBatchEnd?.(batch, m, loss);
    }
    this.serveFrom(this.lastTrain!);
    return total;
  }

  private lastTrain: Interactions | null = null;

  /**
   * Every user's served vector from her latest events in `events` (time order; the last
   * `historyLength`): call with everything known before a prediction (training and later
   * events) — for next-item evaluation, the events up to the target.
   */
  serveFrom(events: Interactions): void {
    if (!this.net) throw new Error('youtube: the model is not trained yet (call fit first)');
    const h = buildHistories(events, this.nUsers);
    const d = this.factors;
    const vectors = new Float32Array(this.nUsers * d);
    userVectors(this.backend, this.net, lastItems(h, this.historyLength), this.nUsers, this.historyLength, d, vectors);
    const t = this.tables!;
    const P = this.backend.f32(t.P.value);
    P.set(vectors);
    for (let u = 0; u < this.nUsers; u++) t.userSeen[u] = h.start[u + 1] > h.start[u] ? 1 : 0;
  }

  /**
   * Next items for an anonymous session: `items` (raw ids, oldest first; the last
   * `historyLength` count) → the user vector → the k best other items. Unknown ids are
   * skipped and listed; with none known, the ranking is the items' learned bias (popularity).
   */
  recommendForHistory(items: readonly string[], k = 10): { items: Recommendation[]; unknown: string[] } {
    if (!this.net) throw new Error('youtube: the model is not trained yet (call fit first)');
    const index = this.indexes.itemIndex;
    const known: number[] = [];
    const unknown: string[] = [];
    for (const id of items) {
      const i = index.get(String(id));
      if (i < 0) unknown.push(String(id));
      else known.push(i);
    }
    const L = this.historyLength;
    const row = new Int32Array(L).fill(-1);
    known.slice(-L).forEach((i, j, all) => (row[L - all.length + j] = i));
    const d = this.factors;
    const u = new Float32Array(d);
    userVectors(this.backend, this.net, row, 1, L, d, u);
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

  private params(): YouTubeParams {
    const t = this.tables!;
    return { ...this.net!, Q: t.Q, bi: t.bi };
  }

  protected override trainableParams(): Param[] {
    const p = this.net && this.tables ? this.params() : null;
    return p ? [p.T, p.W, p.b, p.Q, p.bi] : [];
  }

  /** MF's served tables plus the network, so that a loaded model also serves anonymous sessions. */
  override exportState(): ModelState {
    const state = super.exportState();
    if (!this.net) return state;
    const tensors = { ...state.tensors, historyItems: this.net.T.read(), userTowerW: this.net.W.read(), userTowerB: this.net.b.read() };
    return { ...state, config: { ...state.config, historyLength: this.historyLength }, tensors };
  }

  override importState(state: ModelState): void {
    super.importState(state);
    const d = this.factors;
    this.buildNet(new Rng(0));
    this.net!.T.write(stateTensor(state, 'historyItems', Float32Array, this.nItems * d));
    this.net!.W.write(stateTensor(state, 'userTowerW', Float32Array, d * d));
    this.net!.b.write(stateTensor(state, 'userTowerB', Float32Array, d));
  }

  protected override describe(b: SummaryBuilder): string {
    const d = this.factors;
    const L = this.historyLength;
    const hist = b.add({ name: 'history', type: 'Input', branch: 'user', detail: `the last ${L} items (training)`, outputShape: [L] });
    const emb = b.add({ name: 'history_items', type: 'Embedding', branch: 'user', detail: `${this.nItems} rows, mean of the events`, outputShape: [d], tensors: [{ name: 'history_items', shape: [this.nItems, d] }], inputs: [hist] });
    const tower = b.add({ name: 'user_tower', type: 'Dense', branch: 'user', detail: 'ReLU', outputShape: [d], tensors: [{ name: 'user_tower_w', shape: [d, d] }, { name: 'user_tower_b', shape: [1, d] }], inputs: [emb] });
    const user = b.add({ name: 'user_factors', type: 'Embedding', branch: 'user', detail: 'p_u = the tower of her latest history (served)', outputShape: [d], tensors: [{ name: 'user_factors', shape: [this.nUsers + 1, d] }, { name: 'user_bias', shape: [this.nUsers + 1, 1] }], trainable: false, inputs: [tower] });
    const itemId = b.add({ name: 'item_id', type: 'Input', branch: 'item', detail: `${this.nItems} known ids + unknown`, outputShape: [1] });
    const item = b.add({ name: 'item_factors', type: 'Embedding', branch: 'item', detail: 'output embeddings q_i and biases b_i', outputShape: [d], tensors: [{ name: 'item_factors', shape: [this.nItems + 1, d] }, { name: 'item_bias', shape: [this.nItems + 1, 1] }], inputs: [itemId] });
    b.add({ name: 'output', type: 'Dot', branch: 'joint', detail: 'softmax over the items (training)', outputShape: [1], inputs: [user, item] });
    return `logit = b_i + q_iᵀ relu(W · mean(t_j, j ∈ last ${L} events) + b)`;
  }

  protected override createTwin(): MatrixFactorization {
    throw new Error('youtube: a ranking model already (no ranking twin)');
  }

  protected override disposeModel(): void {
    this.freeRun();
    this.disposeNet();
    super.disposeModel();
  }

  private disposeNet(): void {
    if (this.net) for (const p of [this.net.T, this.net.W, this.net.b]) p.dispose();
    this.net = null;
  }

  private freeRun(): void {
    this.run?.dispose();
    this.run = null;
  }
}
