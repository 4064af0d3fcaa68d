// The main job (`npm start`): train MF and the side-feature models, compare them, and show
// recommendations for known users and for a brand-new user described only by features.

import { createBackend, type Backend } from '../backends/index.js';
import type { Dataset, Split } from '../data/dataset.js';
import { buildModel, type ModelKind } from '../models/factory.js';
import type { Recommender } from '../models/recommender.js';
import type { Recommendation } from '../models/recommendations.js';
import { resolveData } from './data-source.js';
import type { CliIO } from './io.js';
import { formatTable } from './table.js';

const SHOWN_USERS = 2;
const TOP_K = 5;
const NEWCOMER = { age: 25, gender: 'F', occupation: 'student' };

const LINEUP: { kind: ModelKind; label: string }[] = [
  { kind: 'item-mean', label: 'item mean (baseline)' },
  { kind: 'mf', label: 'MF: μ + b_u + b_i + p_uᵀq_i' },
  { kind: 'linear', label: 'LinearRS (ids + features)' },
  { kind: 'two-tower', label: 'two-tower, mlp head (ids + features)' },
  { kind: 'ensemble', label: 'ensemble of MF, LinearRS, two-tower' },
];

export async function runStart(opts: { data?: string; backend?: 'wasm' | 'js' }, io: CliIO): Promise<void> {
  const { dataset, split, description } = await resolveData({ data: opts.data, split: 'u1' });
  io.out(`wasmrec: data: ${description}`);
  io.out(`split ${split.name}: ${split.train.length} ratings to train on, ${split.test.length} to test`);
  const backend = await createBackend(opts.backend ?? 'wasm');
  io.out(`backend: ${backend.name} (${backend.features}); features: auto (${featureSummary(dataset)})`);
  io.out('');

  const rows: (string | number)[][] = [['model', 'epochs', 'train s', 'test RMSE', 'test MAE']];
  // The best model overall serves known users; the best one with features serves newcomers.
  let best: Trained | null = null;
  let bestWithFeatures: Trained | null = null;
  for (const { kind, label } of LINEUP) {
    const { model, seconds, epochs } = await train(kind, backend, dataset, split);
    const test = model.evaluate(split.test);
    rows.push([label, epochs, seconds, test.rmse, test.mae]);
    io.out(`  trained ${label}: test RMSE ${test.rmse.toFixed(4)}`);
    const entry = { model, rmse: test.rmse, label };
    if (!best || entry.rmse < best.rmse) best = entry;
    if (model.pipeline && (!bestWithFeatures || entry.rmse < bestWithFeatures.rmse)) bestWithFeatures = entry;
  }
  io.out('');
  io.out(formatTable(rows));

  for (let u = 0; u < Math.min(SHOWN_USERS, dataset.userIndex.size); u++) {
    const id = dataset.userIndex.ids[u];
    io.out('');
    io.out(`top ${TOP_K} for user ${id} by the ${best!.label} (items rated in training excluded):`);
    io.out(listTable(best!.model.recommend(id, TOP_K), best!.model));
  }
  if (bestWithFeatures) {
    const who = Object.entries(NEWCOMER).map(([k, v]) => `${k} ${v}`).join(', ');
    io.out('');
    io.out(`top ${TOP_K} for a new user never seen in training (${who}), from features only, by the ${bestWithFeatures.label}:`);
    io.out(listTable(bestWithFeatures.model.recommendForFeatures(NEWCOMER, TOP_K), bestWithFeatures.model));
  }
}

interface Trained {
  model: Recommender;
  rmse: number;
  label: string;
}

async function train(kind: ModelKind, backend: Backend, dataset: Dataset, split: Split) {
  const { model } = buildModel(kind, backend, dataset, split.train);
  model.compile();
  let seconds = 0;
  let epochs = 0;
  await model.fit(split.train, { callbacks: { onEpochEnd: (_, logs) => void ((seconds += logs.seconds), epochs++) } });
  return { model, seconds, epochs };
}

/** A list with its predicted ratings and how often each item was rated in training. */
function listTable(items: Recommendation[], model: Recommender): string {
  return formatTable([
    ['item', 'predicted rating', 'training ratings'],
    ...items.map((it) => [it.title ?? `item ${it.item}`, it.rating ?? it.score, model.itemSupport?.[it.index] ?? 0]),
  ]);
}

function featureSummary(dataset: Dataset): string {
  const cols = (t: Dataset['users']) => (t ? Object.keys(t.columns).join(', ') : 'none');
  return `users: ${cols(dataset.users)}; items: ${cols(dataset.items)}`;
}
