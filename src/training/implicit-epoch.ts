// One epoch of implicit-feedback training examples laid out so that mini-batches are
// contiguous slices: positives with their sampled negatives (BCE), positive/negative pair
// blocks (BPR), or shuffled positives with their log-popularity (in-batch softmax).

import type { Kernels } from '../backends/kernels.js';
import type { Interactions } from '../data/interactions.js';
import type { EncodedSide } from '../preprocessing/encoded.js';
import type { Rng } from '../random.js';
import type { LossConfig } from './losses.js';
import { NegativeSampler } from './negatives.js';

/**
 * The epoch's columns for `n` training positives (arrays allocated once per fit; `layout`
 * refills them each epoch). `values` holds each row's label (bce), nothing (bpr) or the
 * log of its item's share of the positives (softmax with logQ).
 *
 * @example
 * const rows = new ImplicitEpoch(resolveLoss('bce'), positives, nItems);
 * rows.layout(order, 256, rng); // rows.users / items / values, rows.length = 5 · positives
 */
export class ImplicitEpoch {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly values: Float32Array;
  /**
   * After a BPR layout in parts: the row each row would occupy with parts = 1, so that
   * per-row random draws (id dropout) can follow that order and not depend on the thread
   * count; null when the rows are in that order already.
   */
  canonicalRows: Int32Array | null = null;
  private readonly sampler: NegativeSampler | null;
  private readonly logQ: Float32Array | null;

  constructor(
    readonly loss: Required<LossConfig>,
    readonly train: Interactions,
    nItems: number,
  ) {
    const n = ImplicitEpoch.rowsPerEpoch(loss, train.length);
    this.users = new Int32Array(n);
    this.items = new Int32Array(n);
    this.values = new Float32Array(n);
    this.sampler = loss.name === 'bce' || loss.name === 'bpr' ? new NegativeSampler(train, nItems, loss.sampling) : null;
    this.logQ = loss.name === 'softmax' && loss.logQ ? logShares(train, nItems) : null;
  }

  /** Rows of one epoch: every positive, plus its negatives (bce) or as one row of each pair (bpr). */
  static rowsPerEpoch(loss: Required<LossConfig>, nPositives: number): number {
    if (loss.name === 'bce') return nPositives * (1 + loss.negatives);
    if (loss.name === 'bpr') return 2 * nPositives * loss.negatives;
    return nPositives;
  }

  get length(): number {
    return this.users.length;
  }

  /** Rows per mini-batch of `batchSize`: BPR's batch is batchSize pairs, i.e. twice as many rows. */
  rowsPerBatch(batchSize: number): number {
    return this.loss.name === 'bpr' ? 2 * batchSize : batchSize;
  }

  /**
   * Refills the columns for positives visited in `order` (indices into `train`), drawing new
   * negatives. `parts` > 1 (data-parallel BPR): each batch's pairs are cut into that many
   * groups of ⌈pairs / parts⌉, each laid out as its own [positives | negatives] block, so
   * that a thread's share of the batch is a contiguous slice (the pairs and negatives are
   * those of `parts` = 1, in other rows).
   */
  layout(order: Int32Array, batchSize: number, rng: Rng, parts = 1): this {
    const t = this.train;
    const { users, items, values } = this;
    switch (this.loss.name) {
      case 'bce': {
        // Each positive is followed by its negatives, so a batch mixes both.
        const neg = this.loss.negatives;
        let row = 0;
        for (const p of order) {
          const u = t.users[p];
          users[row] = u;
          items[row] = t.items[p];
          values[row++] = 1;
          for (let j = 0; j < neg; j++) {
            users[row] = u;
            items[row] = this.sampler!.sample(u, rng);
            values[row++] = 0;
          }
        }
        break;
      }
      case 'bpr': {
        // Pair q (q-th of order.length · negatives) sits in batch b = ⌊q / batchSize⌋ as
        // [b's positives | b's negatives], so a batch's scores are two aligned slices.
        const neg = this.loss.negatives;
        const nPairs = order.length * neg;
        this.canonicalRows = parts > 1 ? (this.canonicalRows ?? new Int32Array(this.length)) : null;
        for (let q = 0; q < nPairs; q++) {
          const p = order[Math.floor(q / neg)];
          const b0 = q - (q % batchSize);
          const size = Math.min(batchSize, nPairs - b0);
          const share = Math.ceil(size / parts);
          const group = Math.floor((q - b0) / share);
          const count = Math.min(share, size - group * share);
          const posRow = 2 * b0 + 2 * group * share + (q - b0 - group * share);
          const u = t.users[p];
          users[posRow] = users[posRow + count] = u;
          items[posRow] = t.items[p];
          items[posRow + count] = this.sampler!.sample(u, rng);
          if (this.canonicalRows) {
            this.canonicalRows[posRow] = 2 * b0 + (q - b0);
            this.canonicalRows[posRow + count] = 2 * b0 + (q - b0) + size;
          }
        }
        values.fill(0);
        break;
      }
      default: {
        for (let r = 0; r < order.length; r++) {
          const p = order[r];
          users[r] = t.users[p];
          items[r] = t.items[p];
          values[r] = this.logQ ? this.logQ[items[r]] : t.ratings[p];
        }
      }
    }
    return this;
  }

  /**
   * The summed loss of a batch of m rows from its scores at predPtr, with dLoss/dScore
   * written at dPredPtr (the batch mean's gradient). valuesPtr: the batch's slice of `values`.
   * batchRows: the whole batch's rows when these m are one thread's share (a BPR share is
   * one [positives | negatives] block of `layout`).
   */
  batchLoss(k: Kernels, dPredPtr: number, predPtr: number, valuesPtr: number, m: number, batchRows = m): number {
    switch (this.loss.name) {
      case 'bce':
        return k.bceLogits(dPredPtr, predPtr, valuesPtr, m, 1 / batchRows);
      case 'bpr': {
        const h = m >> 1;
        return k.bpr(dPredPtr, dPredPtr + 4 * h, predPtr, predPtr + 4 * h, h, 1 / (batchRows >> 1));
      }
      case 'mse':
        return k.mse(dPredPtr, predPtr, valuesPtr, m, 1 / m);
      default:
        throw new Error(`loss '${this.loss.name}' is not pointwise: the model computes it over the batch`);
    }
  }
}

/** log(count_i / n) for items with positives (0 for the others, which never occur in a batch). */
function logShares(train: Interactions, nItems: number): Float32Array {
  const count = new Float64Array(nItems);
  for (let r = 0; r < train.length; r++) count[train.items[r]]++;
  return Float32Array.from(count, (c) => (c > 0 ? Math.log(c / train.length) : 0));
}

/** Most multi-valued ids (per multi feature) that n rows of any entities can hold: n × the largest row. */
export function maxIdCounts(side: EncodedSide, n: number): number[] {
  return side.multi.map((mf) => {
    let widest = 0;
    for (let r = 0; r + 1 < mf.offsets.length; r++) widest = Math.max(widest, mf.offsets[r + 1] - mf.offsets[r]);
    return n * widest;
  });
}
