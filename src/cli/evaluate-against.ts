// `wasmrec evaluate --against popularity|FILE`: the evaluated model's lists against another
// ranking's, user by user on the same test users, with the standard error of each
// difference, so that a gap can be told from the sampling noise of a few hundred test users.

import type { Backend } from '../backends/index.js';
import { positivesOf, type Interactions } from '../data/interactions.js';
import type { Dataset, Split } from '../data/dataset.js';
import { pairedComparison } from '../evaluation/paired-comparison.js';
import { loadModelFile } from '../io/node/model-file.js';
import { listMetrics, type ListProtocol } from '../models/evaluate.js';
import { PopularityBaseline } from '../models/popularity.js';
import type { Recommender } from '../models/recommender.js';
import type { PerUserRanking } from '../training/ranking-metrics.js';
import { onModelIds, rowsTrainedOn, rowsWhere } from './model-ids.js';

/** One metric's paired difference (evaluated model − the other). */
export interface DifferenceResult {
  difference: number;
  standard_error: number;
}

/** The `--json` contract of `against`. */
export interface AgainstResult {
  /** 'popularity' or the other model file. */
  against: string;
  /** Test users both rankings scored. */
  users: number;
  p_at_10: DifferenceResult;
  r_at_10: DifferenceResult;
  ndcg_at_10: DifferenceResult;
  auc: DifferenceResult;
}

const NAMES = { precision: 'p_at_10', recall: 'r_at_10', ndcg: 'ndcg_at_10', auc: 'auc' } as const;

/**
 * Compares `model`'s top-10 lists for the test part (`test`: rows on the model's ids, both
 * known) with popularity's, trained on the split's training positives (rating ≥ threshold),
 * or with another saved model's. Popularity ranks over the evaluated model's candidates: the
 * same excluded items per user and the same support floor.
 */
export async function compareAgainst(
  against: string,
  model: Recommender,
  test: Interactions,
  data: { dataset: Dataset; split: Split },
  backend: Backend,
  protocol: ListProtocol,
  warn: (line: string) => void,
): Promise<AgainstResult> {
  const threshold = model.relevanceThreshold();
  const mine = perUser(listMetrics(model, test, 10, threshold, protocol, { perUser: true }).perUser);
  const userId = (m: Recommender) => (u: number) => m.indexes.userIndex.ids[u];
  let theirs: PerUserRanking;
  let keyB = userId(model);
  if (against === 'popularity') {
    const pop = new PopularityBaseline(backend, model.indexes);
    try {
      const { mapped } = onModelIds(model, data.dataset, data.split.train);
      pop.compile({ loss: 'bce', threshold });
      await pop.fit(positivesOf(rowsWhere(mapped, (u, i) => u >= 0 && i >= 0), threshold), { epochs: 1 });
      theirs = perUser(listMetrics(pop, test, 10, threshold, protocol, { perUser: true, asIn: model }).perUser);
    } finally {
      pop.dispose();
    }
  } else {
    const { model: other } = await loadModelFile(against, backend);
    try {
      const { mapped } = onModelIds(other, data.dataset, data.split.test);
      const known = rowsWhere(mapped, (u, i) => u >= 0 && i >= 0);
      const overlap = rowsTrainedOn(other, known);
      if (overlap > 0) warn(`note: ${against} was trained on ${overlap} of these test rows (another split?): its lists leave them out, so the comparison is not like for like`);
      if (other.relevanceThreshold() !== threshold) other.compile({ loss: other.compiledLoss, ...(other.rankingLoss ? { ranking: other.rankingLoss } : {}), threshold });
      theirs = perUser(listMetrics(other, known, 10, threshold, protocol, { perUser: true }).perUser);
      keyB = userId(other);
    } finally {
      other.dispose();
    }
  }
  const c = pairedComparison(mine, theirs, userId(model), keyB);
  const out = { against, users: c.users } as AgainstResult;
  for (const d of c.differences) out[NAMES[d.metric]] = { difference: d.difference, standard_error: d.standardError };
  return out;
}

function perUser(p: PerUserRanking | undefined): PerUserRanking {
  if (!p) throw new Error('evaluate --against: the ranking gave no per-user values');
  return p;
}
