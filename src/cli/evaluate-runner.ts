// `wasmrec evaluate`: a saved model's rating and list metrics on a data set's test part,
// with the data's ids mapped onto the model's (rows of users or items it lacks are counted).

import { createBackend, type BackendName } from '../backends/index.js';
import { loadModelFile } from '../io/node/model-file.js';
import { compareAgainst, type AgainstResult } from './evaluate-against.js';
import { onModelIds, rowsTrainedOn, rowsWhere } from './model-ids.js';
import { resolveData, type DataArgs } from './data-source.js';
import { listProtocol, testMetrics, type RankingTestMetrics } from './implicit.js';
import type { CliIO } from './io.js';
import { formatTable } from './table.js';

export interface EvaluateArgs extends DataArgs {
  modelFile: string;
  /** Test ratings ≥ threshold are relevant (default: the model's). */
  threshold?: number;
  backend?: BackendName;
  json?: boolean;
  /** 'popularity' or another model file: paired differences of the lists' metrics. */
  against?: string;
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
  against?: AgainstResult;
}

export async function runEvaluate(args: EvaluateArgs, io: CliIO): Promise<EvaluateResult> {
  const log = args.json ? io.err : io.out;
  const { dataset, split, description } = await resolveData(args);
  const backend = await createBackend(args.backend ?? 'wasm');
  const { model } = await loadModelFile(args.modelFile, backend);
  try {
    const { mapped, unknownUsers, unknownItems } = onModelIds(model, dataset, split.test);
    if (args.threshold !== undefined) model.compile({ loss: model.compiledLoss, ...(model.rankingLoss ? { ranking: model.rankingLoss } : {}), threshold: args.threshold });
    log(`${model.kind} from ${args.modelFile} on ${description}, split ${split.name}: ${split.test.length} test rows (${unknownUsers} of users and ${unknownItems} of items the model does not know)`);
    // Lists are ranked for the users the model knows, over the items it knows; ratings are
    // predicted for every row with a known item (an unknown user as the unknown user).
    const known = rowsWhere(mapped, (u, i) => u >= 0 && i >= 0);
    const newItems = split.name.startsWith('cold-items');
    const overlap = rowsTrainedOn(model, known);
    if (overlap > 0) io.err(`note: the model was trained on ${overlap} of these ${known.length} test rows (another split?): its lists leave them out`);
    const lists = testMetrics(model, known, newItems);
    const rated = !model.ratingScores ? {} : model.evaluate(rowsWhere(mapped, (_u, i) => i >= 0), { metrics: ['rmse', 'mae'] });
    const test = { ...lists, ...rated };
    const result: EvaluateResult = {
      model: model.kind, data: description, split: split.name, n_test: split.test.length,
      unknown_users: unknownUsers, unknown_items: unknownItems, threshold: model.relevanceThreshold(), test,
    };
    if (args.against) result.against = await compareAgainst(args.against, model, known, { dataset, split }, backend, listProtocol(newItems), io.err);
    if (args.json) io.out(JSON.stringify(result));
    else {
      const rating = test.rmse !== undefined;
      io.out(formatTable([
        [...(rating ? ['RMSE', 'MAE'] : []), 'P@10', 'R@10', 'NDCG@10', 'AUC', 'coverage', 'obscure', 'users'],
        [...(rating ? [test.rmse!, test.mae!] : []), test.p_at_10, test.r_at_10, test.ndcg_at_10, test.auc, test.coverage_at_10, test.obscure_at_10, test.users],
      ]));
      if (result.against) io.out(formatAgainst(result.against));
    }
    return result;
  } finally {
    model.dispose();
  }
}

/** Paired differences as a table: each metric, the difference and its standard error. */
function formatAgainst(a: AgainstResult): string {
  const rows = (['p_at_10', 'r_at_10', 'ndcg_at_10', 'auc'] as const).map((m) => [LABEL[m], signed(a[m].difference), a[m].standard_error]);
  return `\nagainst ${a.against}, paired over ${a.users} test users (this model − the other):\n${formatTable([['metric', 'difference', '± standard error'], ...rows])}`;
}

const LABEL = { p_at_10: 'P@10', r_at_10: 'R@10', ndcg_at_10: 'NDCG@10', auc: 'AUC' } as const;
const signed = (x: number) => (x >= 0 ? '+' : '') + x.toFixed(4);
