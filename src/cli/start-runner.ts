// The main job: what `npm start` shows a new user in under a minute.

import { createBackend } from '../backends/index.js';
import type { Dataset } from '../data/dataset.js';
import { buildModel } from '../models/factory.js';
import type { Recommender } from '../models/recommender.js';
import { resolveData } from './data-source.js';
import type { CliIO } from './io.js';
import { formatTable } from './table.js';

const SHOWN_USERS = 3;
const TOP_K = 5;

export async function runStart(opts: { data?: string; backend?: 'wasm' | 'js' }, io: CliIO): Promise<void> {
  const { dataset, split, description } = await resolveData({ data: opts.data, split: 'u1' });
  io.out(`wasmrec: data: ${description}`);
  io.out(`split ${split.name}: ${split.train.length} ratings to train on, ${split.test.length} to test`);
  const backend = await createBackend(opts.backend ?? 'wasm');
  io.out(`backend: ${backend.name} (${backend.features})`);

  const { model } = buildModel('mf', backend, dataset, split.train);
  model.compile();
  const history = await model.fit(split.train, {
    callbacks: {
      onEpochEnd: (e, logs) => {
        if ((e + 1) % 10 === 0) io.out(`  epoch ${e + 1}: train loss ${logs.loss.toFixed(4)} (${(logs.seconds * 1000).toFixed(1)} ms)`);
      },
    },
  });
  const test = model.evaluate(split.test);
  const seconds = history.epochs.reduce((s, e) => s + e.seconds, 0);
  io.out('');
  io.out(formatTable([
    ['model', 'epochs', 'train s', 'test RMSE', 'test MAE'],
    ['mf (biased, fused SGD)', history.epochs.length, seconds, test.rmse, test.mae],
  ]));
  showRecommendations(model, dataset, split.train.users, split.train.items, io);
  model.dispose();
}

function showRecommendations(model: Recommender, dataset: Dataset, users: Int32Array, items: Int32Array, io: CliIO): void {
  const seen = new Map<number, number[]>();
  for (let r = 0; r < users.length; r++) {
    let list = seen.get(users[r]);
    if (!list) seen.set(users[r], (list = []));
    list.push(items[r]);
  }
  const titles = dataset.items?.columns.title;
  const titleRow = new Map<string, number>(dataset.items?.ids.map((id, row) => [id, row]) ?? []);
  const titleOf = (item: number) => {
    const id = dataset.itemIndex.ids[item];
    const row = titleRow.get(id);
    return titles?.kind === 'string' && row !== undefined ? (titles.values[row] ?? id) : `item ${id}`;
  };
  for (let u = 0; u < Math.min(SHOWN_USERS, dataset.userIndex.size); u++) {
    const { indices, scores } = model.recommend(u, TOP_K, seen.get(u));
    io.out('');
    io.out(`top ${TOP_K} for user ${dataset.userIndex.ids[u]} (rated ${seen.get(u)?.length ?? 0} in training):`);
    io.out(formatTable([['item', 'predicted'], ...Array.from(indices, (i, j) => [titleOf(i), scores[j]])]));
  }
}
