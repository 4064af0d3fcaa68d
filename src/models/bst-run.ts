// BST's training data and step (./bst.ts): each user's events cut into windows of L as
// SASRec's (./sasrec-run.ts); at every position with a next event, that event and
// `negatives` sampled items are scored by the candidate's target attention over the
// positions up to it (the block is causal, so none of them sees the target or later events).

import type { Backend, F32Buf, I32Buf } from '../backends/index.js';
import type { Histories } from '../data/histories.js';
import type { Rng } from '../random.js';
import type { Param } from '../training/param.js';
import type { BstNet } from './bst-net.js';

export interface BstObjective {
  /** 'bce': each candidate a binary label; 'softmax': the positive among its position's candidates. */
  loss: 'bce' | 'softmax';
  negatives: number;
  /** The item of every training event, drawn from for popularity sampling (null: uniform over the items). */
  pool: Int32Array | null;
}

/** Windows of L events and, per epoch, their candidates (the next event first, then the negatives). */
export class BstRun {
  readonly nExamples: number;
  private readonly inputs: Int32Array;
  private readonly outputs: Int32Array;
  private readonly C: number;
  private readonly ids: I32Buf;
  private readonly cand: I32Buf;
  private readonly seq: I32Buf;
  private readonly last: I32Buf;
  /** bce: each candidate's label (1 for the next event); softmax: each position's target column (0, the next event). */
  private readonly labels: F32Buf | I32Buf;
  private readonly dLogits: F32Buf;
  private readonly dH: F32Buf;
  /** Scored positions before each window in the epoch's order. */
  private validBefore = new Float64Array(1);

  constructor(private readonly be: Backend, h: Histories, private readonly nItems: number, private readonly L: number, private readonly maxBatch: number, private readonly objective: BstObjective, private readonly rng: Rng, d: number) {
    const inputs: number[] = [];
    const outputs: number[] = [];
    for (let u = 0; u + 1 < h.start.length; u++) {
      const first = h.start[u];
      for (let end = h.start[u + 1] - first - 1; end > 0; end -= L) {
        const win = new Int32Array(L).fill(-1);
        const next = new Int32Array(L).fill(-1);
        for (let t = Math.max(0, end - L); t < end; t++) {
          win[L - (end - t)] = h.items[first + t];
          next[L - (end - t)] = h.items[first + t + 1];
        }
        inputs.push(...win);
        outputs.push(...next);
      }
    }
    this.nExamples = inputs.length / L;
    this.inputs = Int32Array.from(inputs);
    this.outputs = Int32Array.from(outputs);
    this.C = 1 + objective.negatives;
    const targets = Math.max(1, this.outputs.reduce((s, t) => s + (t >= 0 ? 1 : 0), 0));
    this.ids = be.allocI32(Math.max(1, inputs.length));
    this.cand = be.allocI32(targets * this.C);
    this.seq = be.allocI32(targets * this.C);
    this.last = be.allocI32(targets * this.C);
    if (objective.loss === 'bce') {
      const labels = new Float32Array(targets * this.C);
      for (let r = 0; r < targets; r++) labels[r * this.C] = 1;
      this.labels = be.allocF32(labels.length, labels);
    } else {
      this.labels = be.allocI32(targets);
    }
    this.dLogits = be.allocF32(maxBatch * L * this.C);
    this.dH = be.allocF32(maxBatch * L * d);
  }

  /** Rows a batch scores at most (the net's maxQueries). */
  static maxQueries(maxBatch: number, L: number, negatives: number): number {
    return maxBatch * L * (1 + negatives);
  }

  /** The epoch's window order and fresh negatives (one upload per epoch). */
  layout(order: Rng | null): void {
    const { L, C, nExamples: n } = this;
    const perm = Int32Array.from({ length: n }, (_, k) => k);
    if (order) order.shuffle(perm);
    const ids = new Int32Array(n * L);
    const total = this.cand.length;
    const cand = new Int32Array(total);
    const seq = new Int32Array(total);
    const last = new Int32Array(total);
    this.validBefore = new Float64Array(n + 1);
    let q = 0;
    for (let r = 0; r < n; r++) {
      const w = perm[r];
      ids.set(this.inputs.subarray(w * L, (w + 1) * L), r * L);
      for (let j = 0; j < L; j++) {
        const t = this.outputs[w * L + j];
        if (t < 0) continue;
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
    this.be.write(this.cand, cand);
    this.be.write(this.seq, seq);
    this.be.write(this.last, last);
  }

  /** Forward, loss (mean over the batch's positions) and backward of windows [start, start + m); returns the summed loss. */
  step(net: BstNet, Q: Param, bi: Param, start: number, m: number): number {
    const k = this.be.kernels;
    if (start % this.maxBatch !== 0 || m > this.maxBatch) throw new Error(`bst: a batch must start at a multiple of ${this.maxBatch} and hold at most as many windows`);
    const first = this.validBefore[start] * this.C;
    const positions = this.validBefore[start + m] - this.validBefore[start];
    const n = positions * this.C;
    if (n === 0) return 0;
    const ids = this.ids.ptr + 4 * start * this.L;
    const at = (buf: I32Buf | F32Buf) => buf.ptr + 4 * first;
    const h = net.encode(Q, ids, m, true);
    const z = net.score(Q, bi, h, ids, at(this.cand), at(this.seq), at(this.last), n, true);
    const scale = 1 / positions;
    const loss = this.objective.loss === 'bce'
      ? k.bceLogits(this.dLogits.ptr, z, at(this.labels), n, scale)
      : k.softmaxXentRows(this.dLogits.ptr, z, this.labels.ptr + 4 * this.validBefore[start], 0, 0, positions, this.C, scale);
    net.backward(Q, bi, h, ids, at(this.cand), at(this.seq), n, m, this.dLogits.ptr, this.dH.ptr);
    return loss;
  }

  dispose(): void {
    for (const b of [this.ids, this.cand, this.seq, this.last, this.labels, this.dLogits, this.dH]) this.be.free(b);
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

