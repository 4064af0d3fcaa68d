// LinearRS: linear effects of user and item features plus biased matrix factorisation,
// r̂ = μ + wᵀx_u + vᵀz_i + b_u + b_i + p_uᵀq_i.

import type { Backend, F32Buf } from '../backends/index.js';
import { FeatureInput, type SideBatches, type SideTables } from '../nn/features.js';
import type { Rng } from '../random.js';
import type { OptimizerConfig } from '../training/optimizer.js';
import { Param } from '../training/param.js';
import { FeatureModel, type FeatureModelOptions, type SideFeatures } from './feature-model.js';
import type { ModelIndexes } from './recommender.js';
import type { LossName } from '../training/losses.js';
import type { SummaryBuilder } from './model-summary.js';
import { describeLinearEffects, describeMfTerms } from './summary-parts.js';

export interface LinearRSOptions extends FeatureModelOptions {
  /** Latent factors of the MF term (default 32; 0 = features and biases only). */
  factors?: number;
  /** L2 on the factor rows, per example that uses a row (default 0.256: 0.001 per row and step at batch 256). */
  regFactors?: number;
  /** L2 on the user/item biases, per example (default 0.00256). */
  regBias?: number;
  /** L2 on the feature effects: per example on code effects, per step on continuous weights (default 0.00256). */
  regFeatures?: number;
  /** Std of the factors' normal initialisation (default 0.05). */
  initStd?: number;
}

export const LINEAR_DEFAULTS = { factors: 32, regFactors: 0.256, regBias: 0.00256, regFeatures: 0.00256, initStd: 0.05 } as const;

/** One side's linear feature effect: weights on continuous columns, a scalar per code. */
interface LinearSide {
  /** Categorical and multi codes → one scalar each (embeddings of width 1, summed). */
  codes: FeatureInput;
  /** The continuous columns of a batch, contiguous (m × nCont) for the GEMM. */
  cont: F32Buf;
  nCont: number;
  w: Param;
  /** A constant column of ones: Σ of the code effects is codes·1. */
  ones: F32Buf;
}

/**
 * LinearRS with side information: every categorical/multi code has a scalar effect (the
 * multi ones mean-pooled), continuous features a weight each; plus μ, biases and p_uᵀq_i.
 * Unseen ids use the unknown rows (zero factors and bias) and keep their features.
 *
 * @example
 * const users = pipeline.encode('user', dataset.userIndex);
 * const items = pipeline.encode('item', dataset.itemIndex);
 * const model = new LinearRS(backend, dataset, { user: users, item: items });
 * await model.fit(split.train, { epochs: 20 });
 */
export class LinearRS extends FeatureModel {
  readonly kind = 'linear';
  readonly options: Required<Omit<LinearRSOptions, keyof FeatureModelOptions>>;
  private net: { P: Param; Q: Param; bu: Param; bi: Param; user: LinearSide; item: LinearSide } | null = null;

  constructor(backend: Backend, indexes: ModelIndexes, features: SideFeatures, options: LinearRSOptions = {}) {
    super(backend, indexes, features, options);
    this.options = {
      factors: options.factors ?? LINEAR_DEFAULTS.factors,
      regFactors: options.regFactors ?? LINEAR_DEFAULTS.regFactors,
      regBias: options.regBias ?? LINEAR_DEFAULTS.regBias,
      regFeatures: options.regFeatures ?? LINEAR_DEFAULTS.regFeatures,
      initStd: options.initStd ?? LINEAR_DEFAULTS.initStd,
    };
    if (!(Number.isInteger(this.options.factors) && this.options.factors >= 0)) throw new Error(`linear: factors must be an integer ≥ 0, got ${this.options.factors}`);
    for (const [k, v] of Object.entries(this.options)) if (!(Number.isFinite(v) && v >= 0)) throw new Error(`linear: ${k} must be a finite number ≥ 0, got ${v}`);
  }

  /** Ratings, or implicit feedback with sampled negatives (pointwise bce, pairwise bpr). */
  override supportedLosses(): readonly LossName[] {
    return ['mse', 'bce', 'bpr'];
  }

  protected override createTwin(): LinearRS {
    return new LinearRS(this.backend, this.indexes, this.features, this.featureOptions as LinearRSOptions);
  }

  defaultOptimizer(): OptimizerConfig {
    return { name: 'adam', lr: 0.003 };
  }

  override defaultEpochs(): number {
    // ML-100K u1: test RMSE bottoms out around epoch 9-10 with the default L2, then overfits.
    return 10;
  }

  protected describe(b: SummaryBuilder): string {
    describeMfTerms(b, this.nUsers, this.nItems, Math.max(1, this.options.factors), () => [describeLinearEffects(b, 'user', this.features.user), describeLinearEffects(b, 'item', this.features.item)]);
    return `${this.implicit ? `logit (${this.loss.name})` : 'r̂'} = μ + wᵀx_u + vᵀz_i + b_u + b_i + p_uᵀq_i`;
  }

  protected build(rng: Rng): void {
    const be = this.backend;
    const o = this.options;
    const K = Math.max(1, o.factors);
    // With factors = 0 the MF kernels still run on one all-zero column that is never trained.
    const init = o.factors > 0 ? { normal: o.initStd } : ('zeros' as const);
    const P = new Param(be, 'user_factors', this.nUsers + 1, K, rng, { sparse: true, l2: o.regFactors, init });
    const Q = new Param(be, 'item_factors', this.nItems + 1, K, rng, { sparse: true, l2: o.regFactors, init });
    const bu = new Param(be, 'user_bias', this.nUsers + 1, 1, rng, { sparse: true, l2: o.regBias });
    const bi = new Param(be, 'item_bias', this.nItems + 1, 1, rng, { sparse: true, l2: o.regBias });
    // The unknown rows stay zero unless id dropout trains them.
    be.f32(P.value).fill(0, this.nUsers * K);
    be.f32(Q.value).fill(0, this.nItems * K);
    this.net = { P, Q, bu, bi, user: this.linearSide('user', rng), item: this.linearSide('item', rng) };
  }

  private linearSide(side: 'user' | 'item', rng: Rng): LinearSide {
    const be = this.backend;
    const enc = this.features[side];
    const nIds = side === 'user' ? this.nUsers : this.nItems;
    const codes = new FeatureInput(be, side, enc, nIds, this.maxBatch, rng, {
      idDim: 0,
      featureDim: () => 1,
      continuous: false,
      featureEmbedding: { l2: this.options.regFeatures, initStd: 0 },
      // A linear model has a weight per token: a recurrent text is averaged.
      recurrent: false,
    });
    const nCont = enc.contNames.length;
    return {
      codes,
      cont: be.allocF32(Math.max(1, this.maxBatch * nCont)),
      nCont,
      w: new Param(be, `${side}_weights`, Math.max(1, nCont), 1, rng, { l2: this.options.regFeatures }),
      ones: be.allocF32(Math.max(1, codes.width), new Float32Array(Math.max(1, codes.width)).fill(1)),
    };
  }

  protected params(): Param[] {
    const n = this.net!;
    const side = (s: LinearSide) => [s.w, ...s.codes.params()];
    const mf = this.options.factors > 0 ? [n.P, n.Q] : [];
    return [...mf, n.bu, n.bi, ...side(n.user), ...side(n.item)];
  }

  protected forward(user: SideBatches, item: SideBatches, uTables: SideTables, iTables: SideTables, start: number, m: number): void {
    const n = this.net!;
    const k = this.backend.kernels;
    const pred = this.pred!.ptr;
    const at = 4 * start;
    k.mfPredict(pred, n.P.value.ptr, n.Q.value.ptr, n.bu.value.ptr, n.bi.value.ptr, user.idRows.ptr + at, item.idRows.ptr + at, m, Math.max(1, this.options.factors), this.globalMean);
    this.sideForward(n.user, user, uTables, start, m);
    this.sideForward(n.item, item, iTables, start, m);
  }

  /** pred += wᵀx (continuous) + Σ code effects, for one side. */
  private sideForward(s: LinearSide, b: SideBatches, t: SideTables, start: number, m: number): void {
    const k = this.backend.kernels;
    const pred = this.pred!.ptr;
    if (s.nCont > 0) {
      k.gather(s.cont.ptr, s.nCont, t.continuous.ptr, b.contRows.ptr + 4 * start, m, s.nCont);
      k.gemm(pred, s.cont.ptr, s.w.value.ptr, 0, m, s.nCont, 1, 1);
    }
    if (s.codes.width > 0) {
      s.codes.forward(t, b, start, m);
      k.gemm(pred, s.codes.concat.x.ptr, s.ones.ptr, 0, m, s.codes.width, 1, 1);
    }
  }

  protected backward(user: SideBatches, item: SideBatches, start: number, m: number): void {
    const n = this.net!;
    const k = this.backend.kernels;
    const dPred = this.dPred!.ptr;
    const at = 4 * start;
    const K = Math.max(1, this.options.factors);
    k.mfBackward(n.P.grad.ptr, n.Q.grad.ptr, n.bu.grad.ptr, n.bi.grad.ptr, dPred, n.P.value.ptr, n.Q.value.ptr, user.idRows.ptr + at, item.idRows.ptr + at, m, K);
    if (this.options.factors > 0) {
      n.P.markRows(user.idRows.ptr + at, m);
      n.Q.markRows(item.idRows.ptr + at, m);
    }
    n.bu.markRows(user.idRows.ptr + at, m);
    n.bi.markRows(item.idRows.ptr + at, m);
    this.sideBackward(n.user, user, start, m);
    this.sideBackward(n.item, item, start, m);
  }

  private sideBackward(s: LinearSide, b: SideBatches, start: number, m: number): void {
    const k = this.backend.kernels;
    const dPred = this.dPred!.ptr;
    if (s.nCont > 0) k.gemmTn(s.w.grad.ptr, s.cont.ptr, dPred, m, s.nCont, 1, 1);
    if (s.codes.width > 0) {
      // d(codes·1)/d(codes) = dPred broadcast along the row.
      k.gemmNt(s.codes.concat.dx.ptr, dPred, s.ones.ptr, m, s.codes.width, 1, 0);
      s.codes.backward(b, start, m);
    }
  }

  protected override configState(): Record<string, unknown> {
    return { ...super.configState(), ...this.options };
  }

  /** The MF item factors (null with factors = 0: then `similarItems` uses co-ratings). */
  override itemVectors(): { vectors: Float32Array; dim: number } | null {
    if (!this.net) throw new Error('linear: the model is not trained yet (call fit first)');
    const K = this.options.factors;
    return K > 0 ? { vectors: this.net.Q.read().subarray(0, this.nItems * K), dim: K } : null;
  }

  protected disposeNetwork(): void {
    const n = this.net;
    if (!n) return;
    for (const p of [n.P, n.Q, n.bu, n.bi]) p.dispose();
    for (const s of [n.user, n.item]) {
      s.codes.dispose();
      s.w.dispose();
      this.backend.free(s.cont);
      this.backend.free(s.ones);
    }
    this.net = null;
  }
}
