// A data set's rows on a saved model's ids: the model file has its own id indexes, and the
// data given to `evaluate` may hold users or items the model never saw.

import { interactions, subset, type Interactions } from '../data/interactions.js';
import type { Dataset } from '../data/dataset.js';
import type { Recommender } from '../models/recommender.js';

/** The rows of `data` with the data set's indices mapped onto the model's (-1 where it lacks the id). */
export function onModelIds(model: Recommender, dataset: Dataset, data: Interactions): { mapped: Interactions; unknownUsers: number; unknownItems: number } {
  const users = Int32Array.from(data.users, (u) => model.indexes.userIndex.get(dataset.userIndex.ids[u]));
  const items = Int32Array.from(data.items, (i) => model.indexes.itemIndex.get(dataset.itemIndex.ids[i]));
  return {
    mapped: interactions(users, items, data.ratings.slice()),
    unknownUsers: users.reduce((n, u) => n + (u < 0 ? 1 : 0), 0),
    unknownItems: items.reduce((n, i) => n + (i < 0 ? 1 : 0), 0),
  };
}

/** The rows of `data` whose (user, item) pass `keep`. */
export function rowsWhere(data: Interactions, keep: (user: number, item: number) => boolean): Interactions {
  const rows: number[] = [];
  for (let r = 0; r < data.length; r++) if (keep(data.users[r], data.items[r])) rows.push(r);
  return subset(data, rows);
}

/**
 * How many rows of `data` (on the model's ids) the model was trained on: its saved training
 * items hold them. More than none means the model saw another split's training part, and its
 * lists leave those test items out.
 */
export function rowsTrainedOn(model: Recommender, data: Interactions): number {
  const seen = model.trainingItems;
  if (!seen) return 0;
  let n = 0;
  for (let r = 0; r < data.length; r++) {
    const u = data.users[r];
    if (u < 0 || u + 1 >= seen.offsets.length) continue;
    for (let k = seen.offsets[u]; k < seen.offsets[u + 1]; k++) if (seen.items[k] === data.items[r]) (n++, (k = seen.offsets[u + 1]));
  }
  return n;
}
