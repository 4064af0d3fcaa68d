// `train --task next-item`: leave-last-out by time, every model trained on the events before
// each user's last two, then asked for the next one (full ranking; sampled-100 labelled).

import type { Split } from '../data/dataset.js';
import { buildHistories } from '../data/histories.js';
import { concatInteractions } from '../data/interactions.js';
import type { Recommender } from '../models/recommender.js';
import { SequenceModel } from '../models/sequence-model.js';
import { nextItemMetrics, type NextItemMetrics } from '../training/next-item-metrics.js';

/** Events ≥ 3 stars, RecBole's MovieLens protocol for sequential recommenders. */
export const NEXT_ITEM_THRESHOLD = 3;

/** The next-item metrics of a trained model on a last-item split: ranked against everything but the user's earlier events. */
export function nextItemTest(model: Recommender, split: Split): NextItemMetrics {
  const earlier = split.validation ? concatInteractions(split.train, split.validation) : split.train;
  const before = buildHistories(earlier, model.nUsers);
  // Sequence models describe a user by her latest events: those up to the target, and with
  // time gaps as seen at the target's time (the moment of the request).
  if (model instanceof SequenceModel) model.serveFrom(earlier, model.timeGaps ? targetTimes(split.test, model.nUsers) : null);
  return nextItemMetrics((users) => model.rankingScores(users, 0), model.nItems, split.test, before);
}

/** Each user's test event time (NaN for users without one: then gaps count from her latest event). */
function targetTimes(test: Split['test'], nUsers: number): Float64Array | null {
  if (!test.timestamps) return null;
  const now = new Float64Array(nUsers).fill(NaN);
  for (let r = 0; r < test.length; r++) now[test.users[r]] = test.timestamps[r];
  return now;
}
