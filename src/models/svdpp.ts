// SVD++ (Koren, KDD 2008) and its social extension: a user's vector is p_u plus the mean-like
// sums |S|^-½ Σ y_j over implicit sets — the items she rated in training (SVD++'s N(u)) and,
// with a user graph, the users she trusts (the user half of TrustSVD, Guo et al., AAAI 2015).
// Trained by the fused per-user SGD kernel (assembly/fused/svdpp.ts); after every epoch the
// sums are folded into the served user vectors, so prediction, ranking and the saved file
// are plain MF — and a user with trust links but no ratings gets a vector from her links.

import type { F32Buf, I32Buf } from '../backends/index.js';
import type { CsrGraph } from '../data/edges.js';
import type { Interactions } from '../data/interactions.js';
import { Rng } from '../random.js';
import type { LossName } from '../training/losses.js';
import { MatrixFactorization, type MFOptions } from './mf.js';
import type { SummaryBuilder } from './model-summary.js';
import type { EpochContext, ModelIndexes } from './model-types.js';
import { describeMfTerms } from './summary-parts.js';
import type { Backend } from '../backends/index.js';

export interface SvdppOptions extends MFOptions {
  /** Use the items each user rated in training as implicit feedback (default true). */
  history?: boolean;
  /** Links between users (a trust or follow graph over the user index): trusted users' y vectors join the sum. */
  userGraph?: CsrGraph | null;
  /** L2 on the implicit vectors y (default: regFactors). */
  regImplicit?: number;
  /**
   * TrustSVD's trust term λ_t (Guo et al., AAAI 2015): with a user graph, each link u → v
   * also trains p_u·w_v toward the link's weight (1 for plain trust), so that her own factors
   * and the trustee's vector agree; 0 turns it off (default 0). On FilmTrust (5 folds) it did
   * not help: λ_t 0.3 / 1 / 3 gave RMSE 0.7913 / 0.7925 / 0.8005 against 0.7911 without.
   */
  trustWeight?: number;
}

/** Users per kernel call: progress per chunk without a call per user. */
const USER_CHUNK = 64;

export class SvdPlusPlus extends MatrixFactorization {
  override readonly kind: string = 'svdpp';
  private readonly svdpp: { history: boolean; graph: CsrGraph | null; regImplicit: number | undefined; trustWeight: number };
  private run: SvdppBuffers | null = null;

  constructor(backend: Backend, indexes: ModelIndexes, options: SvdppOptions = {}) {
    const { history, userGraph, regImplicit, trustWeight, ...mf } = options;
    super(backend, indexes, mf);
    if (userGraph && userGraph.nodes !== this.nUsers) throw new Error(`svdpp: the user graph has ${userGraph.nodes} nodes; the data has ${this.nUsers} users`);
    if (regImplicit !== undefined && !(Number.isFinite(regImplicit) && regImplicit >= 0)) throw new Error(`svdpp: regImplicit must be a finite number ≥ 0, got ${regImplicit}`);
    if (trustWeight !== undefined && !(Number.isFinite(trustWeight) && trustWeight >= 0)) throw new Error(`svdpp: trustWeight must be a finite number ≥ 0, got ${trustWeight}`);
    this.svdpp = { history: history ?? true, graph: userGraph ?? null, regImplicit, trustWeight: trustWeight ?? 0 };
  }

  /** Ratings only: the implicit sets are the side information, the objective is MSE. */
  override supportedLosses(): readonly LossName[] {
    return ['mse'];
  }

  protected override beginTraining(train: Interactions, rng: Rng, batchSize: number, continuing: boolean): void {
    if (!this.fused(batchSize)) throw new Error('svdpp: trains with the per-user SGD kernel: optimizer sgd (no weight decay or clipping), batch size 1');
    // Served vectors are folded sums: training resumes from the factors, not from them.
    super.beginTraining(train, rng, batchSize, continuing && this.run !== null);
    this.freeRun();
    const t = this.tables!;
    const shape = { nUsers: this.nUsers, nItems: this.nItems, k: this.factors, initStd: this.initStd };
    this.run = SvdppBuffers.build(this.backend, train, shape, this.svdpp, { P: t.P.value, Q: t.Q.value, bu: t.bu.value, bi: t.bi.value }, rng.fork());
    // Users with links but no training ratings are served from their links.
    const seen = this.tables!.userSeen;
    for (let u = 0; u < this.nUsers; u++) if (this.run.hasImplicit[u]) seen[u] = 1;
  }

  protected override trainEpoch(ctx: EpochContext): number {
    const r = this.run!;
    const be = this.backend;
    if (ctx.shuffle) r.shuffle();
    const t = this.tables!;
    const reg = this.svdpp.regImplicit ?? this.regFactors;
    let total = 0;
    for (let start = 0, chunk = 0; start < r.nActive; start += USER_CHUNK, chunk++) {
      const count = Math.min(USER_CHUNK, r.nActive - start);
      const sse = be.kernels.svdppSgd(r.tables.ptr, r.data.ptr, start, count, this.factors, this.globalMean, ctx.lr, this.regFactors, this.regBias, reg, r.scratch.ptr);
      total += sse;
      ctx.onBatchEnd?.(chunk, r.examplesOf(start, count), sse);
    }
    if (this.svdpp.trustWeight > 0) r.trustPass(ctx.lr, this.svdpp.trustWeight, this.factors);
    r.foldInto(t.P.value, this.nUsers);
    return total;
  }

  protected override describe(b: SummaryBuilder): string {
    describeMfTerms(b, this.nUsers, this.nItems, this.factors);
    const sets = [this.svdpp.history && '|N(u)|^-½ Σ_{j∈N(u)} y_j', this.svdpp.graph && '|T(u)|^-½ Σ_{v∈T(u)} w_v'].filter(Boolean).join(' + ');
    return `r̂ = μ + b_u + b_i + (p_u${sets ? ` + ${sets}` : ''})ᵀq_i`;
  }

  protected override createTwin(): MatrixFactorization {
    throw new Error('svdpp: ranks by its rating model (no ranking twin)');
  }

  protected override disposeModel(): void {
    this.freeRun();
    super.disposeModel();
  }

  private freeRun(): void {
    this.run?.dispose();
    this.run = null;
  }
}

/**
 * The training data as the kernel reads it: examples grouped by user, each user's implicit
 * entries (rows of Y: items 0..nItems-1, then users), Y and the training copy of P, and the
 * two address blocks the kernel takes.
 */
class SvdppBuffers {
  private constructor(
    private readonly be: Backend,
    private readonly bufs: Record<'order' | 'exStart' | 'items' | 'impStart' | 'impRows' | 'tables' | 'data' | 'linkUsers' | 'linkRows', I32Buf> & Record<'ratings' | 'impWeights' | 'Y' | 'P' | 'scratch' | 'linkTargets', F32Buf>,
    private readonly active: Int32Array,
    private readonly exStart: Int32Array,
    private readonly rng: Rng,
    readonly hasImplicit: Uint8Array,
    private readonly k: number,
    private readonly nLinks: number,
  ) {}

  get tables(): I32Buf {
    return this.bufs.tables;
  }

  get data(): I32Buf {
    return this.bufs.data;
  }

  get scratch(): F32Buf {
    return this.bufs.scratch;
  }

  get nActive(): number {
    return this.active.length;
  }

  static build(be: Backend, train: Interactions, shape: { nUsers: number; nItems: number; k: number; initStd: number }, o: { history: boolean; graph: CsrGraph | null; trustWeight: number }, mf: { P: F32Buf; Q: F32Buf; bu: F32Buf; bi: F32Buf }, rng: Rng): SvdppBuffers {
    const { nUsers, nItems, k } = shape;
    const exStart = new Int32Array(nUsers + 1);
    for (let x = 0; x < train.length; x++) exStart[train.users[x] + 1]++;
    for (let u = 0; u < nUsers; u++) exStart[u + 1] += exStart[u];
    const fill = exStart.slice(0, nUsers);
    const items = new Int32Array(train.length);
    const ratings = new Float32Array(train.length);
    // Shuffled once, so that a user's examples are not visited in file (often time) order.
    for (const x of rng.permutation(new Int32Array(train.length))) {
      const at = fill[train.users[x]]++;
      items[at] = train.items[x];
      ratings[at] = train.ratings[x];
    }
    const { impStart, impRows, impWeights } = implicitSets(exStart, items, nItems, o);
    const hasImplicit = Uint8Array.from({ length: nUsers }, (_, u) => (impStart[u + 1] > impStart[u] ? 1 : 0));
    const active = Int32Array.from({ length: nUsers }, (_, u) => u).filter((u) => exStart[u + 1] > exStart[u]);
    const y = new Float32Array((nItems + nUsers) * k);
    for (let j = 0; j < y.length; j++) y[j] = rng.normal() * shape.initStd;
    const P = be.allocF32((nUsers + 1) * k);
    // After the allocation: growing the memory detaches views taken before it.
    be.f32(P).set(be.f32(mf.P));
    const b = {
      order: be.allocI32(active.length, active), exStart: be.allocI32(nUsers + 1, exStart), items: be.allocI32(Math.max(1, items.length), items),
      ratings: be.allocF32(Math.max(1, ratings.length), ratings), impStart: be.allocI32(nUsers + 1, impStart),
      impRows: be.allocI32(Math.max(1, impRows.length), impRows), impWeights: be.allocF32(Math.max(1, impWeights.length), impWeights),
      Y: be.allocF32(y.length, y), P, scratch: be.allocF32(2 * k),
      ...linkBuffers(be, o.trustWeight > 0 ? o.graph : null, nItems, rng),
    };
    const tables = be.allocI32(5, [P.ptr, mf.Q.ptr, mf.bu.ptr, mf.bi.ptr, b.Y.ptr]);
    const data = be.allocI32(7, [b.order.ptr, b.exStart.ptr, b.items.ptr, b.ratings.ptr, b.impStart.ptr, b.impRows.ptr, b.impWeights.ptr]);
    return new SvdppBuffers(be, { ...b, tables, data }, active, exStart, rng, hasImplicit, k, o.trustWeight > 0 && o.graph ? o.graph.col.length : 0);
  }

  /** A fresh user order for the epoch (the order buffer is rewritten, not reallocated). */
  shuffle(): void {
    this.rng.shuffle(this.active);
    this.be.write(this.bufs.order, this.active);
  }

  /** Training examples of the users at positions [start, start+count) of the order. */
  examplesOf(start: number, count: number): number {
    let n = 0;
    for (let t = start; t < start + count; t++) n += this.exStart[this.active[t] + 1] - this.exStart[this.active[t]];
    return n;
  }

  /** TrustSVD's trust term: one SGD pass over the links (shuffled once), p_u·w_v toward the link weight. */
  trustPass(lr: number, weight: number, k: number): void {
    const b = this.bufs;
    if (this.nLinks > 0) this.be.kernels.linkSgd(b.P.ptr, b.Y.ptr, b.linkUsers.ptr, b.linkRows.ptr, b.linkTargets.ptr, 0, this.nLinks, k, lr, weight, 0);
  }

  /** Served vectors: Z[u] = P[u] + Σ w y for every user (the unknown row stays zero). */
  foldInto(served: F32Buf, nUsers: number): void {
    const b = this.bufs;
    this.be.kernels.svdppFold(served.ptr, b.P.ptr, b.Y.ptr, b.impStart.ptr, b.impRows.ptr, b.impWeights.ptr, nUsers, this.k);
  }

  dispose(): void {
    for (const buf of Object.values(this.bufs)) this.be.free(buf);
  }


}

/** The trust links as (user row of P, trustee row of Y = nItems + v, weight), in a random order. */
function linkBuffers(be: Backend, g: CsrGraph | null, nItems: number, rng: Rng): { linkUsers: I32Buf; linkRows: I32Buf; linkTargets: F32Buf } {
  const n = g ? g.col.length : 0;
  const users = new Int32Array(n);
  const rows = new Int32Array(n);
  const targets = new Float32Array(n);
  if (g) {
    const order = rng.permutation(new Int32Array(n));
    for (let u = 0; u + 1 < g.rowPtr.length; u++) {
      for (let e = g.rowPtr[u]; e < g.rowPtr[u + 1]; e++) {
        const at = order[e];
        users[at] = u;
        rows[at] = nItems + g.col[e];
        targets[at] = g.weight[e];
      }
    }
  }
  return { linkUsers: be.allocI32(Math.max(1, n), users), linkRows: be.allocI32(Math.max(1, n), rows), linkTargets: be.allocF32(Math.max(1, n), targets) };
}

/** Each user's implicit entries: her training items (weight |N(u)|^-½), then her links (|T(u)|^-½) as rows nItems + v. */
function implicitSets(exStart: Int32Array, items: Int32Array, nItems: number, o: { history: boolean; graph: CsrGraph | null }) {
  const nUsers = exStart.length - 1;
  const impStart = new Int32Array(nUsers + 1);
  const rows: number[] = [];
  const weights: number[] = [];
  const g = o.graph;
  for (let u = 0; u < nUsers; u++) {
    const nHist = o.history ? exStart[u + 1] - exStart[u] : 0;
    for (let x = exStart[u]; x < exStart[u] + nHist; x++) {
      rows.push(items[x]);
      weights.push(1 / Math.sqrt(nHist));
    }
    const nLinks = g ? g.rowPtr[u + 1] - g.rowPtr[u] : 0;
    for (let e = g ? g.rowPtr[u] : 0; e < (g ? g.rowPtr[u + 1] : 0); e++) {
      rows.push(nItems + g!.col[e]);
      weights.push(1 / Math.sqrt(nLinks));
    }
    impStart[u + 1] = rows.length;
  }
  return { impStart, impRows: Int32Array.from(rows), impWeights: Float32Array.from(weights) };
}
