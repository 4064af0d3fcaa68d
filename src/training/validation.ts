// Checks and splits of the data `fit` receives, before any epoch runs.

import { subset, type Interactions } from '../data/interactions.js';
import type { Rng } from '../random.js';
import type { FitOptions } from './fit.js';

/** Throws, naming the row, when an index is outside the model or a rating is not finite. */
export function checkInteractions(data: Interactions, nUsers: number, nItems: number, what: string): void {
  for (let r = 0; r < data.length; r++) {
    const u = data.users[r];
    const i = data.items[r];
    if (!(u >= 0 && u < nUsers && i >= 0 && i < nItems)) {
      throw new Error(`${what}, row ${r}: user index ${u} or item index ${i} is outside the model's ${nUsers} users × ${nItems} items`);
    }
    if (!Number.isFinite(data.ratings[r])) throw new Error(`${what}, row ${r}: rating is ${data.ratings[r]}`);
  }
}

/** The training part and the validation set: given, a seeded random share, or none. */
export function splitValidation(train: Interactions, options: FitOptions, rng: Rng): { fitPart: Interactions; validation: Interactions | null } {
  if (options.validationData) return { fitPart: train, validation: options.validationData };
  const fraction = options.validationSplit ?? 0;
  if (fraction === 0) return { fitPart: train, validation: null };
  if (!(fraction > 0 && fraction < 1)) throw new Error(`fit: validationSplit must be in (0, 1), got ${fraction}`);
  const order = rng.permutation(new Int32Array(train.length));
  const nVal = Math.max(1, Math.round(train.length * fraction));
  return { fitPart: subset(train, order.subarray(nVal)), validation: subset(train, order.subarray(0, nVal)) };
}
