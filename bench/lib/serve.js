// Inference timings shared by the training sections: predicting the test pairs and a
// top-10 list for every user, timed the way a caller of the public API would see them.

import { summarize } from './stats.js';

/** Median ms of `model.predict(test)` over `runs` calls after one warm-up call. */
export function predictMs(model, test, runs = 5) {
  model.predict(test);
  const ms = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    model.predict(test);
    ms.push(performance.now() - t0);
  }
  return summarize(ms).median;
}

/**
 * Ms for a top-10 list of every user over all items (`recommend` per user, nothing
 * excluded), after a warm-up over a few users. With `sample` < nUsers only that many users
 * are ranked and the time is scaled to all (the js backend's two-tower needs ~45 s for all).
 */
export function topKMs(model, nUsers, { k = 10, sample = nUsers } = {}) {
  for (let u = 0; u < Math.min(8, nUsers); u++) model.recommendIndices(u, k);
  const n = Math.min(sample, nUsers);
  const t0 = performance.now();
  for (let u = 0; u < n; u++) model.recommendIndices(u, k);
  return ((performance.now() - t0) / n) * nUsers;
}
