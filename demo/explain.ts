// "Because you liked …": for each recommended item, the user's training item whose vector is
// closest (cosine of the model's item vectors, as similarItems uses). Models without item
// vectors (the two-tower's mlp head) give no explanation rather than an invented one.

import type { Recommender } from '../src/index.js';

export type Explain = (user: string, item: number) => number | null;

/** For a trained model: the index of the user's training item most like `item`, or null. */
export function explainer(model: Recommender): Explain {
  const v = model.itemVectors();
  const lists = model.trainingItems;
  if (!v || !lists) return () => null;
  const { vectors, dim } = v;
  const norm = new Float32Array(model.nItems);
  for (let i = 0; i < model.nItems; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += vectors[i * dim + d] ** 2;
    norm[i] = Math.sqrt(s) || 1;
  }
  const cosine = (a: number, b: number) => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += vectors[a * dim + d] * vectors[b * dim + d];
    return s / (norm[a] * norm[b]);
  };
  return (user, item) => {
    const u = model.indexes.userIndex.get(user);
    if (u < 0) return null;
    let best = -1;
    let bestSim = -Infinity;
    for (let j = lists.offsets[u]; j < lists.offsets[u + 1]; j++) {
      const sim = cosine(item, lists.items[j]);
      if (sim > bestSim) [best, bestSim] = [lists.items[j], sim];
    }
    return best >= 0 ? best : null;
  };
}
