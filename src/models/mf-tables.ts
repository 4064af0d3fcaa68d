// MF's trained tables: P, Q and the biases, each with one extra row for the unknown user or
// item, and which ids had training interactions; what predicts, scores and is saved.

import type { Backend } from '../backends/index.js';
import { addCoverage, type TrainingCoverage } from '../data/interactions.js';
import { Rng } from '../random.js';
import { Param } from '../training/param.js';
import { knownRows } from './known-rows.js';
import { scoreAllItems, takeRows } from './score-all.js';
import { savedSeen, stateTensor, type ModelState, type StateTensor } from './state.js';

/** The widths and strengths the tables are built with. */
export interface MFShape {
  nUsers: number;
  nItems: number;
  factors: number;
  initStd: number;
  /** L2 per example that uses a row (the optimizer scales it by the batch; the fused loop applies it per example). */
  regFactors: number;
  regBias: number;
}

/**
 * P (users+1 × K), Q (items+1 × K), b_u, b_i. The unknown rows are zero and never trained,
 * so that unseen ids predict μ plus whatever bias is known.
 *
 * @example
 * const t = MFTables.build(backend, shape, rng, coverage);
 * t.predict(users, items, mu);
 */
export class MFTables {
  private constructor(
    private readonly be: Backend,
    readonly shape: MFShape,
    readonly P: Param,
    readonly Q: Param,
    readonly bu: Param,
    readonly bi: Param,
    /** Users/items that had training interactions; others predict as unknown. */
    public userSeen: Uint8Array,
    public itemSeen: Uint8Array,
  ) {}

  /** Tables initialised from `rng` (normal, std initStd); rows of ids without training interactions zeroed. */
  static build(be: Backend, s: MFShape, rng: Rng, coverage: Pick<TrainingCoverage, 'userSeen' | 'itemSeen'>): MFTables {
    const init = { normal: s.initStd };
    const P = new Param(be, 'user_factors', s.nUsers + 1, s.factors, rng, { sparse: true, l2: s.regFactors, init });
    const Q = new Param(be, 'item_factors', s.nItems + 1, s.factors, rng, { sparse: true, l2: s.regFactors, init });
    const bu = new Param(be, 'user_bias', s.nUsers + 1, 1, rng, { sparse: true, l2: s.regBias });
    const bi = new Param(be, 'item_bias', s.nItems + 1, 1, rng, { sparse: true, l2: s.regBias });
    const t = new MFTables(be, s, P, Q, bu, bi, coverage.userSeen, coverage.itemSeen);
    // Rows never trained would stay at their random init; zero them so they act as unknown too.
    for (const [table, seen] of [[P, coverage.userSeen], [Q, coverage.itemSeen]] as const) {
      const v = be.f32(table.value);
      for (let r = 0; r <= seen.length; r++) if (r === seen.length || seen[r] === 0) v.fill(0, r * s.factors, (r + 1) * s.factors);
    }
    return t;
  }

  /** Tables holding a saved state's values (checked for type and length). */
  static fromState(be: Backend, s: MFShape, state: ModelState): MFTables {
    const values = {
      P: stateTensor(state, 'userFactors', Float32Array, (s.nUsers + 1) * s.factors),
      Q: stateTensor(state, 'itemFactors', Float32Array, (s.nItems + 1) * s.factors),
      bu: stateTensor(state, 'userBias', Float32Array, s.nUsers + 1),
      bi: stateTensor(state, 'itemBias', Float32Array, s.nItems + 1),
    };
    const seen = savedSeen(state, s.nUsers, s.nItems);
    // Initialised, then overwritten: the seed only makes the build deterministic.
    const t = MFTables.build(be, s, new Rng(0), seen);
    for (const key of ['P', 'Q', 'bu', 'bi'] as const) t[key].write(values[key]);
    return t;
  }

  /** Marks the rows a mini-batch of (users, items) pointers touched, for the sparse optimizers. */
  markRows(users: number, items: number, m: number): void {
    this.P.markRows(users, m);
    this.bu.markRows(users, m);
    this.Q.markRows(items, m);
    this.bi.markRows(items, m);
  }

  /** Ids first trained now keep their zero rows and learn from them. */
  addCoverage(coverage: Pick<TrainingCoverage, 'userSeen' | 'itemSeen'>): void {
    addCoverage(this, coverage);
  }

  params(): Param[] {
    return [this.P, this.Q, this.bu, this.bi];
  }

  /** μ + b_u + b_i + p_uᵀq_i of (users[r], items[r]); unseen or invalid ids use the unknown rows. */
  predict(users: Int32Array, items: Int32Array, mu: number): Float32Array {
    const be = this.be;
    const n = users.length;
    const u = be.allocI32(n, knownRows(users, this.userSeen));
    const i = be.allocI32(n, knownRows(items, this.itemSeen));
    const out = be.allocF32(n);
    be.kernels.mfPredict(out.ptr, this.P.value.ptr, this.Q.value.ptr, this.bu.value.ptr, this.bi.value.ptr, u.ptr, i.ptr, n, this.shape.factors, mu);
    const result = be.read(out);
    for (const buf of [u, i, out]) be.free(buf);
    return result;
  }

  /**
   * Every item's score for each user in one GEMM per block of users: [p_u | b_u | 1] ·
   * [q_i | 1 | b_i + μ]ᵀ equals μ + b_u + b_i + p_uᵀq_i (as `predict`, summed in another
   * order, so equal to ~1e-6).
   */
  scoreAll(users: Int32Array, mu: number): Float32Array {
    const be = this.be;
    const K = this.shape.factors;
    const u = knownRows(users, this.userSeen);
    const i = knownRows(Int32Array.from({ length: this.shape.nItems }, (_, j) => j), this.itemSeen);
    return scoreAllItems(be, {
      userVectors: takeRows(be.f32(this.P.value), K, u), userBias: takeRows(be.f32(this.bu.value), 1, u),
      itemVectors: takeRows(be.f32(this.Q.value), K, i), itemBias: takeRows(be.f32(this.bi.value), 1, i),
      dim: K, mu,
    });
  }

  /** Factor rows and biases of `indices` (unseen and -1 through the unknown row, as `predict` reads them). */
  servingRows(side: 'user' | 'item', indices: Int32Array): { vectors: Float32Array; bias: Float32Array; dim: number } {
    const K = this.shape.factors;
    const [table, bias, seen] = side === 'user' ? [this.P, this.bu, this.userSeen] : [this.Q, this.bi, this.itemSeen];
    const rows = knownRows(indices, seen);
    return { vectors: takeRows(this.be.f32(table.value), K, rows), bias: takeRows(this.be.f32(bias.value), 1, rows), dim: K };
  }

  /** Copies of the four tables (the last row of each is the unknown entity). */
  weights(): { userFactors: Float32Array; itemFactors: Float32Array; userBias: Float32Array; itemBias: Float32Array } {
    return { userFactors: this.P.read(), itemFactors: this.Q.read(), userBias: this.bu.read(), itemBias: this.bi.read() };
  }

  /** The tensors of a saved state. */
  stateTensors(): Record<string, StateTensor> {
    return { ...this.weights(), userSeen: this.userSeen.slice(), itemSeen: this.itemSeen.slice() };
  }

  dispose(): void {
    for (const p of this.params()) p.dispose();
  }
}
