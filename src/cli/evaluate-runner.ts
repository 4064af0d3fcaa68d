// `wasmrec evaluate`: a saved model's rating and list metrics on a data set's test part,
// with the data's ids mapped onto the model's (rows of users or items it lacks are counted).

import { createBackend, type BackendName } from '../backends/index.js';
import { interactions, subset, type Interactions } from '../data/interactions.js';
import type { Dataset } from '../data/dataset.js';
import { loadModelFile } from '../io/node/model-file.js';
import type { Recommender } from '../models/recommender.js';
import { resolveData, type DataArgs } from './data-source.js';
import { testMetrics, type RankingTestMetrics } from './implicit.js';
import type { CliIO } from './io.js';
import { formatTable } from './table.js';

export interface EvaluateArgs extends DataArgs {
  modelFile: string;
  /** Test ratings ≥ threshold are relevant (default: the model's). */
  threshold?: number;
  backend?: BackendName;
  json?: boolean;
}

/** The `--json` contract. */
export interface EvaluateResult {
  model: string;
  data: string;
  split: string;
  n_test: number;
  /** Test rows whose user or item the model file does not know (scored as unknown / not ranked). */
  unknown_users: number;
  unknown_items: number;
  threshold: number;
  test: RankingTestMetrics & { rmse?: number; mae?: number };
}

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

export async function runEvaluate(args: EvaluateArgs, io: CliIO): Promise<EvaluateResult> {
  const log = args.json ? io.err : io.out;
  const { dataset, split, description } = await resolveData(args);
  const { model } = await loadModelFile(args.modelFile, await createBackend(args.backend ?? 'wasm'));
  try {
    const { mapped, unknownUsers, unknownItems } = onModelIds(model, dataset, split.test);
    if (args.threshold !== undefined) model.compile({ loss: model.compiledLoss, ...(model.rankingLoss ? { ranking: model.rankingLoss } : {}), threshold: args.threshold });
    log(`${model.kind} from ${args.modelFile} on ${description}, split ${split.name}: ${split.test.length} test rows (${unknownUsers} of users and ${unknownItems} of items the model does not know)`);
    // Lists are ranked for the users the model knows, over the items it knows; ratings are
    // predicted for every row with a known item (an unknown user as the unknown user).
    const lists = testMetrics(model, rowsWhere(mapped, (u, i) => u >= 0 && i >= 0), split.name.startsWith('cold-items'));
    const rated = !model.ratingScores ? {} : model.evaluate(rowsWhere(mapped, (_u, i) => i >= 0), { metrics: ['rmse', 'mae'] });
    const test = { ...lists, ...rated };
    const result: EvaluateResult = {
      model: model.kind, data: description, split: split.name, n_test: split.test.length,
      unknown_users: unknownUsers, unknown_items: unknownItems, threshold: model.relevanceThreshold(), test,
    };
    if (args.json) io.out(JSON.stringify(result));
    else {
      const rating = test.rmse !== undefined;
      io.out(formatTable([
        [...(rating ? ['RMSE', 'MAE'] : []), 'P@10', 'R@10', 'NDCG@10', 'AUC', 'coverage', 'obscure', 'users'],
        [...(rating ? [test.rmse!, test.mae!] : []), test.p_at_10, test.r_at_10, test.ndcg_at_10, test.auc, test.coverage_at_10, test.obscure_at_10, test.users],
      ]));
    }
    return result;
  } finally {
    model.dispose();
  }
}

/** The rows of `data` whose (user, item) pass `keep`. */
function rowsWhere(data: Interactions, keep: (user: number, item: number) => boolean): Interactions {
  const rows: number[] = [];
  for (let r = 0; r < data.length; r++) if (keep(data.users[r], data.items[r])) rows.push(r);
  return subset(data, rows);
}
