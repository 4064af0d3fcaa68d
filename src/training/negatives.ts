// Negative sampling for implicit feedback, in TypeScript with the seeded Rng so that both
// backends train on identical examples.

import type { Interactions } from '../data/interactions.js';
import type { Rng } from '../random.js';
import type { NegativeSampling } from './losses.js';

/** Draws per negative before accepting one of the user's positives (a user who liked most of the catalogue). */
const MAX_DRAWS = 16;

/**
 * Samples items a user has no training positive for: uniformly over the items that have
 * training positives, or in proportion to their number of positives ('popularity', by
 * drawing a random positive's item). Items without positives are never drawn: a model
 * predicts those through its unknown row, which negatives should not push down.
 *
 * @example
 * const sampler = new NegativeSampler(positives, dataset.itemIndex.size, 'uniform');
 * sampler.sample(user, rng);
 */
export class NegativeSampler {
  /** 'uniform': the distinct positive items; 'popularity': the item of every positive. */
  private readonly pool: Int32Array;
  /** user · nItems + item for every training positive. */
  private readonly positives = new Set<number>();

  constructor(
    train: Interactions,
    readonly nItems: number,
    readonly mode: NegativeSampling = 'uniform',
  ) {
    for (let r = 0; r < train.length; r++) this.positives.add(train.users[r] * nItems + train.items[r]);
    if (mode === 'popularity') this.pool = train.items.slice();
    else {
      const seen = new Uint8Array(nItems);
      for (let r = 0; r < train.length; r++) seen[train.items[r]] = 1;
      this.pool = Int32Array.from(seen.keys()).filter((i) => seen[i] === 1);
    }
    if (this.pool.length === 0) throw new Error('negative sampling: no training positives');
  }

  /** An item that is not one of `user`'s training positives (after MAX_DRAWS tries, whatever came last). */
  sample(user: number, rng: Rng): number {
    let item = 0;
    for (let d = 0; d < MAX_DRAWS; d++) {
      item = this.pool[rng.int(this.pool.length)];
      if (!this.positives.has(user * this.nItems + item)) break;
    }
    return item;
  }

  /** Whether `item` is a training positive of `user`. */
  isPositive(user: number, item: number): boolean {
    return this.positives.has(user * this.nItems + item);
  }
}
