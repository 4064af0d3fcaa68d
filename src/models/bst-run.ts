// BST's training data and step (./bst.ts): each user's events cut into windows of L as
// SASRec's (./sasrec-run.ts); at every position with a next event, that event and
// `negatives` sampled items are scored by the candidate's target attention over the
// positions up to it (the block is causal, so none of them sees the target or later events).
// With ratings (mse) each next event alone is scored against its rating: the rating model
// sees only the user's earlier training events. The step itself (./bst-step.ts) runs as one
// recorded step program: windows are L columns each, a batch's candidate rows are copied
// into fixed buffers before it.

import type { Backend, F32Buf, I32Buf } from '../backends/index.js';
import type { Histories } from '../data/histories.js';
import type { Interactions } from '../data/interactions.js';
import type { Rng } from '../random.js';
import type { Param } from '../training/param.js';
import type { BstNet } from './bst-net.js';
import { BstStep, type BstColumns } from './bst-step.js';

export interface BstObjective {
  /** 'bce': each candidate a binary label; 'softmax': the positive among its position's candidates; 'mse': the next event's rating, no negatives. */
  loss: 'bce' | 'softmax' | 'mse';
  negatives: number;
  /** mse: each history event's target (its rating − μ), aligned with the histories' items. */
  values?: Float32Array;
  /** Each history event's rating bucket (the tokens' attribute), aligned likewise; absent: none. */
  attrs?: Int32Array;
  /** The item of every training event, drawn from for popularity sampling (null: uniform over the items). */
  pool: Int32Array | null;
  /** With the user's features in the MLP: per feature, each user's code (./bst-user-input.ts). */
  userCodes?: Int32Array[];
}

/** Windows of L events and, per epoch, their candidates (the next event first, then the negatives). */
export class BstRun {
  readonly nExamples: number;
  private readonly inputs: Int32Array;
  private readonly inputAttrs: Int32Array | null;
  private readonly attrIds: I32Buf | null;
  private readonly outputs: Int32Array;
  /** mse: the rating target of every window position's next event (aligned with outputs). */
  private readonly outputValues: Float32Array | null;
  private readonly C: number;
  private readonly ids: I32Buf;
  /** The epoch's candidate rows, C per scored position, in visiting order (BstColumns). */
  private readonly cand: I32Buf;
  private readonly seq: I32Buf;
  private readonly last: I32Buf;
  /** mse: each scored position's rating target, in visiting order. */
  private readonly values: F32Buf | null;
  private readonly columns: BstColumns;
  /** Each window's user. */
  private readonly windowUsers: Int32Array;
  private readonly stepper: BstStep;
  /** Scored positions before each window in the epoch's order. */
  private validBefore = new Float64Array(1);

  constructor(private readonly be: Backend, h: Histories, private readonly nItems: number, private readonly L: number, private readonly maxBatch: number, private readonly objective: BstObjective, private readonly rng: Rng, d: number) {
    const inputs: number[] = [];
    const outputs: number[] = [];
    const values: number[] = [];
    const attrs: number[] = [];
    const windowUsers: number[] = [];
    const withAttrs = objective.attrs !== undefined;
    if (withAttrs && objective.attrs!.length !== h.items.length) throw new Error('bst: event attributes need one per history event');
    const mse = objective.loss === 'mse';
    if (mse && objective.values?.length !== h.items.length) throw new Error('bst: a rating objective needs one target per history event');
    for (let u = 0; u + 1 < h.start.length; u++) {
      const first = h.start[u];
      for (let end = h.start[u + 1] - first - 1; end > 0; end -= L) {
        const win = new Int32Array(L).fill(-1);
        const next = new Int32Array(L).fill(-1);
        const value = new Float32Array(L);
        const attr = new Int32Array(L);
        for (let t = Math.max(0, end - L); t < end; t++) {
          win[L - (end - t)] = h.items[first + t];
          if (withAttrs) attr[L - (end - t)] = objective.attrs![first + t];
          next[L - (end - t)] = h.items[first + t + 1];
          if (mse) value[L - (end - t)] = objective.values![first + t + 1];
        }
        inputs.push(...win);
        windowUsers.push(u);
        outputs.push(...next);
        if (mse) values.push(...value);
        if (withAttrs) attrs.push(...attr);
      }
    }
    this.nExamples = inputs.length / L;
    this.inputs = Int32Array.from(inputs);
    this.inputAttrs = withAttrs ? Int32Array.from(attrs) : null;
    this.attrIds = withAttrs ? be.allocI32(Math.max(1, inputs.length)) : null;
    this.outputs = Int32Array.from(outputs);
    this.outputValues = mse ? Float32Array.from(values) : null;
    this.C = mse ? 1 : 1 + objective.negatives;
    const targets = Math.max(1, this.outputs.reduce((s, t) => s + (t >= 0 ? 1 : 0), 0));
    this.ids = be.allocI32(Math.max(1, inputs.length));
    this.cand = be.allocI32(targets * this.C);
    this.seq = be.allocI32(targets * this.C);
    this.last = be.allocI32(targets * this.C);
    this.values = mse ? be.allocF32(targets) : null;
    const userCodes = (objective.userCodes ?? []).map(() => be.allocI32(targets * this.C));
    this.columns = { cand: this.cand, seq: this.seq, last: this.last, values: this.values, userCodes };
    this.windowUsers = Int32Array.from(windowUsers);
    this.stepper = new BstStep(be, objective.loss, this.C, L, maxBatch, d, userCodes.length);
  }

  /** Windows are L columns each: a batch starting at window w starts at column w·L. */
  get stride(): number {
    return this.L;
  }

  /** Rows a batch scores at most (the net's maxQueries). */
  static maxQueries(maxBatch: number, L: number, negatives: number): number {
    return maxBatch * L * (1 + Math.max(0, negatives));
  }

  /** The epoch's window order and fresh negatives (one upload per epoch). */
  layout(order: Rng | null): void {
    const { L, C, nExamples: n } = this;
    const perm = Int32Array.from({ length: n }, (_, k) => k);
    if (order) order.shuffle(perm);
    const ids = new Int32Array(n * L);
    const attrIds = this.inputAttrs ? new Int32Array(n * L) : null;
    const total = this.cand.length;
    const cand = new Int32Array(total);
    const seq = new Int32Array(total);
    const last = new Int32Array(total);
    const labels = this.outputValues ? new Float32Array(total) : null;
    this.validBefore = new Float64Array(n + 1);
    let q = 0;
    for (let r = 0; r < n; r++) {
      const w = perm[r];
      ids.set(this.inputs.subarray(w * L, (w + 1) * L), r * L);
      if (attrIds) attrIds.set(this.inputAttrs!.subarray(w * L, (w + 1) * L), r * L);
      for (let j = 0; j < L; j++) {
        const t = this.outputs[w * L + j];
        if (t < 0) continue;
        if (labels) labels[q] = this.outputValues![w * L + j];
        for (let c = 0; c < C; c++) {
          // Batches start at multiples of maxBatch (SequenceModel's epoch loop).
          seq[q] = r % this.maxBatch;
          last[q] = j;
          cand[q++] = c === 0 ? t : this.negative(t);
        }
      }
      this.validBefore[r + 1] = q / C;
    }
    this.be.write(this.ids, ids);
    if (attrIds) this.be.write(this.attrIds!, attrIds);
    this.be.write(this.cand, cand);
    this.be.write(this.seq, seq);
    this.be.write(this.last, last);
    if (labels) this.be.write(this.values!, labels);
    // Each candidate row's user's codes: row q belongs to the window at position seq of its batch.
    const users = new Int32Array(total);
    for (let r = 0, at = 0; r < n; r++) for (const end = this.validBefore[r + 1] * C; at < end; at++) users[at] = this.windowUsers[perm[r]];
    this.objective.userCodes?.forEach((codes, f) => this.be.write(this.columns.userCodes[f], Int32Array.from(users, (u) => codes[u])));
  }

  /** Copies the candidate rows of windows [start, start + m) into the step's fixed buffers (before each step). */
  beforeStep(start: number, m: number): void {
    if (start % this.maxBatch !== 0 || m > this.maxBatch) throw new Error(`bst: a batch must start at a multiple of ${this.maxBatch} and hold at most as many windows`);
    const first = this.validBefore[start];
    this.stepper.prepare(this.columns, first, this.validBefore[start + m] - first);
  }

  /**
   * Forward, loss (mean over the batch's positions) and backward of the m windows from
   * column `col` (= first window · L), as beforeStep laid them out; returns the summed loss.
   */
  step(net: BstNet, Q: Param, bi: Param, col: number, m: number): number {
    const attr = this.attrIds ? this.attrIds.ptr + 4 * col : 0;
    return this.stepper.run(net, Q, bi, this.ids.ptr + 4 * col, attr, m);
  }

  dispose(): void {
    for (const b of [this.ids, this.cand, this.seq, this.last]) this.be.free(b);
    if (this.values) this.be.free(this.values);
    if (this.attrIds) this.be.free(this.attrIds);
    for (const b of this.columns.userCodes) this.be.free(b);
    this.stepper.dispose();
  }

  /** One sampled item other than the target. */
  private negative(target: number): number {
    const pool = this.objective.pool;
    for (;;) {
      const j = pool ? pool[this.rng.int(pool.length)] : this.rng.int(this.nItems);
      if (j !== target) return j;
    }
  }
}


/**
 * Users' rating offsets b_u (nUsers + 1, the unknown user 0) for a rating model: the history
 * carries items, so a user's leniency is a fixed shrunk offset, Koren's baseline (b̂_i shrunk
 * by 25, b_u from r − μ − b̂_i shrunk by 10).
 */
export function userOffsets(train: Interactions, mu: number, nUsers: number, nItems: number): Float32Array {
  const itemSum = new Float64Array(nItems);
  const itemN = new Float64Array(nItems);
  for (let r = 0; r < train.length; r++) {
    itemSum[train.items[r]] += train.ratings[r] - mu;
    itemN[train.items[r]]++;
  }
  const userSum = new Float64Array(nUsers);
  const userN = new Float64Array(nUsers);
  for (let r = 0; r < train.length; r++) {
    const i = train.items[r];
    userSum[train.users[r]] += train.ratings[r] - mu - itemSum[i] / (25 + itemN[i]);
    userN[train.users[r]]++;
  }
  const bu = new Float32Array(nUsers + 1);
  for (let u = 0; u < nUsers; u++) bu[u] = userSum[u] / (10 + userN[u]);
  return bu;
}

/** The targets r − μ − b_u of the history events (h indexes train's rows); `keep` receives b_u (userOffsets). */
export function ratingTargets(train: Interactions, h: Histories, mu: number, nUsers: number, nItems: number, keep: (bu: Float32Array) => void): Float32Array {
  const bu = userOffsets(train, mu, nUsers, nItems);
  keep(bu);
  return Float32Array.from(h.rows, (r) => train.ratings[r] - mu - bu[train.users[r]]);
}
