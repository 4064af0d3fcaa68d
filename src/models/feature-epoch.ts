// A feature model's training columns for one fit, laid out anew each epoch so that every
// mini-batch is a slice: the rows' features (id rows after id dropout, "as cold" rows),
// and their values (ratings, or the labels / log-popularity of an implicit loss).

import type { Backend, F32Buf } from '../backends/index.js';
import type { Interactions } from '../data/interactions.js';
import { FeatureInput, SideBatches, type SideTables } from '../nn/features.js';
import type { EncodedSide } from '../preprocessing/encoded.js';
import type { Rng } from '../random.js';
import { ImplicitEpoch, maxIdCounts } from '../training/implicit-epoch.js';
import { isImplicit, type LossConfig } from '../training/losses.js';
import type { SideFeatures } from './feature-model-options.js';
import { coldRows, idRowsOf, permute, permuteF32 } from './feature-rows.js';

/** One side's rules for an epoch: its tables, which ids were seen in training, its id dropout. */
export interface EpochSide {
  tables: SideTables;
  seen: Uint8Array;
  idDropout: number;
}

/**
 * The epoch-sized columns of one fit (allocated once, refilled per epoch).
 *
 * @example
 * const epoch = new FeatureEpoch(backend, features, train, loss, rng);
 * const rows = epoch.layOut(order, 256, 1, { user, item }); // then batches [start, start + m)
 */
export class FeatureEpoch {
  readonly user: SideBatches;
  readonly item: SideBatches;
  /** Each row's rating, label (bce) or log-popularity (softmax with logQ). */
  readonly values: F32Buf;
  /** Implicit losses: the positives with their sampled negatives (null for mse). */
  readonly implicitRows: ImplicitEpoch | null;
  readonly rng: Rng;

  constructor(
    private readonly backend: Backend,
    features: SideFeatures,
    readonly train: Interactions,
    loss: Required<LossConfig>,
    nItems: number,
    rng: Rng,
  ) {
    // A positive leaves itself out of its history and a sampled negative has nothing to leave
    // out: the model would learn "one event short means positive", which no test pair shows
    // (measured: cold-user AUC 0.48 on ML-100K with the items' raters as a feature).
    const history = [...features.user.multi, ...features.item.multi].find((m) => m.of === 'counterpart');
    if (isImplicit(loss.name) && history) throw new Error(`the sequence feature '${history.name}' trains with the rating loss (mse) only: with the ${loss.name} loss, leaving each positive out of its history would tell positives from sampled negatives`);
    this.implicitRows = isImplicit(loss.name) ? new ImplicitEpoch(loss, train, nItems) : null;
    const n = this.implicitRows?.length ?? train.length;
    // Sampled negatives change the items (and so their multi-valued ids) every epoch: size for the worst case.
    const idCounts = (side: EncodedSide, rows: Int32Array) => (this.implicitRows ? maxIdCounts(side, n) : FeatureInput.idCounts(side, rows));
    this.user = new SideBatches(backend, n, features.user, idCounts(features.user, train.users));
    this.item = new SideBatches(backend, n, features.item, idCounts(features.item, train.items));
    this.values = backend.allocF32(n);
    this.rng = rng.fork();
  }

  /** Rows per mini-batch of `batchSize` examples (BPR: twice as many, its pairs). */
  rowsPerBatch(batchSize: number): number {
    return this.implicitRows ? this.implicitRows.rowsPerBatch(batchSize) : batchSize;
  }

  /**
   * Fills the columns for this epoch's visiting order (implicit losses: draws the negatives,
   * in `parts` blocks for data-parallel BPR); returns the number of rows.
   */
  layOut(order: Int32Array, batchSize: number, parts: number, sides: { user: EpochSide; item: EpochSide }): number {
    const ex = this.implicitRows?.layout(order, batchSize, this.rng, parts) ?? null;
    const users = ex ? ex.users : permute(this.train.users, order);
    const items = ex ? ex.items : permute(this.train.items, order);
    for (const [b, rows, s, other] of [[this.user, users, sides.user, items], [this.item, items, sides.item, users]] as const) {
      const idRows = idRowsOf(rows, s.seen, this.rng, s.idDropout, ex?.canonicalRows ?? null);
      b.fill(s.tables, rows, idRows, coldRows(rows, idRows, s.seen.length, s.tables.coldOffset), other);
    }
    this.backend.write(this.values, ex ? ex.values : permuteF32(this.train.ratings, order));
    return ex ? ex.length : order.length;
  }

  dispose(): void {
    this.user.dispose();
    this.item.dispose();
    this.backend.free(this.values);
  }
}
