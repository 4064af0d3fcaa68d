// The YouTube recommender's candidate model (Covington, Adams & Sargin, RecSys 2016): a user
// is the mean of the embeddings of the items she watched last (L of them), through a ReLU
// layer; trained as next-item classification over the whole catalogue (full softmax, which
// Klenitskiy & Vasilev, RecSys 2023, found ahead of sampled losses); served by dot product
// with the output item embeddings. After every epoch each user's vector from her latest
// history is written into MF's tables, so ranking and the saved file are plain MF.

import type { Backend } from '../backends/index.js';
import type { Histories } from '../data/histories.js';
import type { Rng } from '../random.js';
import { Param } from '../training/param.js';
import type { SummaryBuilder } from './model-summary.js';
import type { ModelIndexes } from './model-types.js';
import { SequenceModel, type SequenceDefaults, type SequenceModelOptions, type SequenceRun } from './sequence-model.js';
import { decayWeights, userVectors, YouTubeRun, type YouTubeParams } from './youtube-run.js';
import { GAP_BUCKETS } from '../data/time-gaps.js';
import type { ModelState } from './state.js';
import type { SideFeatures } from './feature-model-options.js';
import { demographicShapes, UserExtras, UserExtrasRun } from './youtube-user-input.js';

/** Width of the time-gap embedding pooled beside the items (timeGaps). */
export const TIME_GAP_DIM = 8;

export interface YouTubeOptions extends SequenceModelOptions {
  /** The user's demographics (her categorical features, embedded) join the user tower's input (needs the users' features). */
  demographics?: boolean;
  /** YouTube's "example age": each training event's age in the training window joins the input, served at 0 (needs timestamps). */
  exampleAge?: boolean;
}

/**
 * Defaults measured on ML-100K next-item (events ≥ 3, full ranking, HR@10): the last 20
 * events (10: 0.162, 20: 0.172, 50: 0.157, 100: 0.141), width 64 (128: 0.155 at 50 events),
 * Adam 0.002 (0.003 and 0.005 worse), 20 epochs (10: 0.145, 14: 0.150, 30 at 0.003: 0.142);
 * those with the plain mean, then a recency decay of half-life 5 events (2: 0.178, 5: 0.197,
 * 10: 0.179, off: 0.172).
 */
export const YOUTUBE_DEFAULTS = { factors: 64, historyLength: 20, lr: 0.002, epochs: 20, batchSize: 256, historyDecay: 5 } as const;

export class YouTubeDNN extends SequenceModel {
  override readonly kind: string = 'youtube';
  readonly demographics: boolean;
  readonly exampleAge: boolean;
  private net: (Omit<YouTubeParams, 'Q' | 'bi'> & { extras: UserExtras }) | null = null;
  /** Set while encoding an anonymous session (no user row: the unknown user's demographics). */
  private anonymous = false;

  /** `features`: the encoded side features; their user side is read with `demographics`. */
  constructor(backend: Backend, indexes: ModelIndexes, options: YouTubeOptions = {}, readonly features: SideFeatures | null = null) {
    const { demographics, exampleAge, ...rest } = options;
    super(backend, indexes, rest);
    this.demographics = demographics ?? false;
    this.exampleAge = exampleAge ?? false;
    if (this.demographics && !features?.user.categorical.length) throw new Error(`${this.kind}: demographics needs the users' categorical features (age group, gender, occupation…); ${features ? 'the users have none' : 'no features were given'}`);
  }

  override exportState(): ModelState {
    const state = super.exportState();
    return { ...state, config: { ...state.config, ...(this.demographics ? { demographics: true } : {}), ...(this.exampleAge ? { exampleAge: true } : {}) } };
  }

  protected override usesTimes(): boolean {
    return this.timeGaps || this.exampleAge;
  }

  override recommendForHistory(items: readonly string[], k = 10, times: readonly number[] | null = null): ReturnType<SequenceModel['recommendForHistory']> {
    this.anonymous = true;
    try {
      return super.recommendForHistory(items, k, times);
    } finally {
      this.anonymous = false;
    }
  }

  protected sequenceDefaults(): SequenceDefaults {
    return YOUTUBE_DEFAULTS;
  }

  protected networkParams(): Record<string, Param> | null {
    if (!this.net) return null;
    return { historyItems: this.net.T, ...(this.net.G ? { historyGaps: this.net.G } : {}), userTowerW: this.net.W, userTowerB: this.net.b, ...this.net.extras.params() };
  }

  protected buildNetwork(rng: Rng): void {
    const be = this.backend;
    const d = this.factors;
    this.disposeNetwork();
    const dg = this.timeGaps ? TIME_GAP_DIM : 0;
    const extras = new UserExtras(be, this.demographics ? this.features!.user : null, this.exampleAge, rng);
    const D = d + dg + extras.width;
    this.net = {
      extras,
      T: new Param(be, 'history_items', this.nItems, d, rng, { sparse: true, l2: 0, init: { normal: 0.05 } }),
      G: dg > 0 ? new Param(be, 'history_gaps', GAP_BUCKETS, dg, rng, { sparse: true, l2: 0, init: { normal: 0.05 } }) : null,
      W: new Param(be, 'user_tower_w', D, d, rng, { init: { normal: Math.sqrt(2 / D) } }),
      b: new Param(be, 'user_tower_b', 1, d, rng),
    };
  }

  protected createRun(h: Histories, batchSize: number, _rng: Rng, times: Float64Array | null): SequenceRun {
    const net = this.net!;
    const user = net.extras.width > 0 ? new UserExtrasRun(this.backend, net.extras, this.demographics ? this.features!.user : null, h, times, batchSize) : null;
    const gaps = this.timeGaps ? { times: times!, dg: TIME_GAP_DIM } : null;
    const run = new YouTubeRun(this.backend, h, this.nItems, this.factors, this.historyLength, batchSize, { gaps, slotWeights: decayWeights(this.historyLength, this.historyDecay), user });
    const t = this.tables!;
    return {
      nExamples: run.nExamples,
      layout: (rng) => run.layout(rng),
      step: (start, m) => run.step({ ...this.net!, Q: t.Q, bi: t.bi }, start, m),
      recordable: true,
      dispose: () => run.dispose(),
    };
  }

  protected encode(lastItems: Int32Array, rows: number, out: Float32Array, lastGaps: Int32Array | null): void {
    const user = this.net!.extras.width > 0 ? { extras: this.net!.extras, anonymous: this.anonymous } : null;
    userVectors(this.backend, this.net!, lastItems, rows, this.historyLength, this.factors, out, { lastGaps, slotWeights: decayWeights(this.historyLength, this.historyDecay), user });
  }

  protected disposeNetwork(): void {
    if (this.net) {
      for (const p of [this.net.T, this.net.G, this.net.W, this.net.b]) p?.dispose();
      this.net.extras.dispose();
    }
    this.net = null;
  }

  protected override describe(b: SummaryBuilder): string {
    const d = this.factors;
    const L = this.historyLength;
    const hist = b.add({ name: 'history', type: 'Input', branch: 'user', detail: `the last ${L} items (training)`, outputShape: [L] });
    const emb = b.add({ name: 'history_items', type: 'Embedding', branch: 'user', detail: `${this.nItems} rows, mean of the events`, outputShape: [d], tensors: [{ name: 'history_items', shape: [this.nItems, d] }], inputs: [hist] });
    const dg = this.timeGaps ? TIME_GAP_DIM : 0;
    const pooled: string[] = dg > 0 ? [emb, b.add({ name: 'history_gaps', type: 'Embedding', branch: 'user', detail: `${GAP_BUCKETS} log-scale time-gap buckets, mean of the events`, outputShape: [dg], tensors: [{ name: 'history_gaps', shape: [GAP_BUCKETS, dg] }], inputs: [hist] })] : [emb];
    let D = d + dg;
    for (const [name, rows, dim] of demographicShapes(this.demographics ? this.features!.user : null)) {
      pooled.push(b.add({ name, type: 'Embedding', branch: 'user', detail: 'her demographic feature', outputShape: [dim], tensors: [{ name, shape: [rows, dim] }] }));
      D += dim;
    }
    if (this.exampleAge) {
      pooled.push(b.add({ name: 'example_age', type: 'Input', branch: 'user', detail: 'age of the training example in the training window (served: 0)', outputShape: [1] }));
      D += 1;
    }
    const tower = b.add({ name: 'user_tower', type: 'Dense', branch: 'user', detail: 'ReLU', outputShape: [d], tensors: [{ name: 'user_tower_w', shape: [D, d] }, { name: 'user_tower_b', shape: [1, d] }], inputs: pooled });
    const user = b.add({ name: 'user_factors', type: 'Embedding', branch: 'user', detail: 'p_u = the tower of her latest history (served)', outputShape: [d], tensors: [{ name: 'user_factors', shape: [this.nUsers + 1, d] }, { name: 'user_bias', shape: [this.nUsers + 1, 1] }], trainable: false, inputs: [tower] });
    const itemId = b.add({ name: 'item_id', type: 'Input', branch: 'item', detail: `${this.nItems} known ids + unknown`, outputShape: [1] });
    const item = b.add({ name: 'item_factors', type: 'Embedding', branch: 'item', detail: 'output embeddings q_i and biases b_i', outputShape: [d], tensors: [{ name: 'item_factors', shape: [this.nItems + 1, d] }, { name: 'item_bias', shape: [this.nItems + 1, 1] }], inputs: [itemId] });
    b.add({ name: 'output', type: 'Dot', branch: 'joint', detail: 'softmax over the items (training)', outputShape: [1], inputs: [user, item] });
    return `logit = b_i + q_iᵀ relu(W · mean(t_j, j ∈ last ${L} events) + b)`;
  }
}
