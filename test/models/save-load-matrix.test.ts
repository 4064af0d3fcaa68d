// Every model kind × loss × head, and rating models with a ranking twin, saved and loaded:
// the loaded model predicts, ranks and recommends exactly what the trained one did.
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { makeSplit } from '../../src/data/splits.js';
import { positivesOf } from '../../src/data/interactions.js';
import { deserializeModel, serializeModel } from '../../src/io/model-file.js';
import { buildModel, type ModelKind } from '../../src/models/factory.js';
import type { Recommender } from '../../src/models/recommender.js';
import type { LossName } from '../../src/training/losses.js';

const dataset = generateSynthetic({ nUsers: 80, nItems: 120, nRatings: 4000, seed: 3 });
const { train, test } = makeSplit(dataset, { kind: 'random', testFraction: 0.2, seed: 3 });
const positives = positivesOf(train, 4);
const SMALL = { idDim: 4, towerLayers: [6], headLayers: [5], maxBatch: 512 };

interface Case {
  kind: ModelKind;
  loss: LossName;
  options?: Record<string, unknown>;
  ranking?: LossName;
}

const CASES: Case[] = [
  ...(['mean', 'user-mean', 'item-mean'] as const).map((kind) => ({ kind, loss: 'mse' as const })),
  ...(['mse', 'bce', 'bpr', 'softmax'] as const).map((loss) => ({ kind: 'popularity' as const, loss })),
  ...(['mse', 'bce', 'bpr', 'softmax'] as const).map((loss) => ({ kind: 'mf' as const, loss, options: { factors: 4 } })),
  ...(['mse', 'bce', 'bpr'] as const).map((loss) => ({ kind: 'linear' as const, loss, options: { factors: 3, maxBatch: 512 } })),
  ...(['mse', 'bce', 'bpr', 'softmax'] as const).map((loss) => ({ kind: 'mf-features' as const, loss, options: { maxBatch: 512 } })),
  ...(['dot', 'mlp', 'both'] as const).flatMap((head) =>
    (head === 'dot' ? (['mse', 'bce', 'bpr', 'softmax'] as const) : (['mse', 'bce', 'bpr'] as const)).map((loss) => ({ kind: 'two-tower' as const, loss, options: { ...SMALL, head } })),
  ),
  ...(['mse', 'bce'] as const).map((loss) => ({ kind: 'ensemble' as const, loss })),
  ...(['bce', 'softmax'] as const).map((loss) => ({ kind: 'ensemble' as const, loss, options: { members: 'implicit' } })),
  { kind: 'svdpp', loss: 'mse', options: { factors: 4 } },
  { kind: 'lightgcn', loss: 'bpr', options: { factors: 4 } },
  { kind: 'youtube', loss: 'softmax', options: { factors: 4, historyLength: 5 } },
  { kind: 'youtube', loss: 'softmax', options: { factors: 4, historyLength: 5, timeGaps: true } },
  { kind: 'youtube', loss: 'softmax', options: { factors: 4, historyLength: 5, historyDecay: 3, demographics: true, exampleAge: true } },
  { kind: 'sequence-two-tower', loss: 'softmax', options: { factors: 4, historyLength: 5, itemIdDim: 3 } },
  { kind: 'sequence-two-tower', loss: 'softmax', options: { factors: 4, historyLength: 5, itemIdDim: 3, encoder: 'gru' } },
  { kind: 'sequence-two-tower', loss: 'softmax', options: { factors: 4, historyLength: 5, itemIdDim: 3, encoder: 'attention', heads: 2 } },
  { kind: 'gru4rec', loss: 'softmax', options: { factors: 4, historyLength: 5 } },
  ...(['mse', 'bce', 'softmax'] as const).map((loss) => ({ kind: 'bst' as const, loss, options: { factors: 4, historyLength: 5, mlpLayers: [3] } })),
  { kind: 'bst', loss: 'mse', options: { factors: 4, historyLength: 5, mlpLayers: [3], eventRatings: true } },
  { kind: 'bst', loss: 'mse', options: { factors: 4, historyLength: 5, mlpLayers: [3], eventRatings: true, timeGaps: true } },
  { kind: 'bst', loss: 'bce', options: { factors: 4, historyLength: 5, mlpLayers: [3], itemFeatures: true } },
  { kind: 'bst', loss: 'mse', options: { factors: 4, historyLength: 5, mlpLayers: [3], demographics: true } },
  { kind: 'bst', loss: 'bce', options: { factors: 4, historyLength: 5, mlpLayers: [], demographics: true, itemFeatures: true } },
  { kind: 'mf', loss: 'mse', options: { factors: 4 }, ranking: 'bpr' },
  { kind: 'linear', loss: 'mse', options: { factors: 3, maxBatch: 512 }, ranking: 'bce' },
  { kind: 'two-tower', loss: 'mse', options: { ...SMALL, head: 'both' }, ranking: 'bce' },
];

/** What a served model is asked: pairs, rankings, lists by id, a cold start. */
function outputs(m: Recommender) {
  const user = dataset.userIndex.ids[5];
  return {
    predict: m.predict(test),
    ranking: m.rankingScores(Int32Array.of(0, 5, -1)),
    recommend: m.recommend(user, 8),
    cold: m.recommendForFeatures({ age: 30, gender: 'F', occupation: 'writer' }, 5),
    similar: m.similarItems(dataset.itemIndex.ids[3], 4),
  };
}

describe('save and load every model kind × loss × head', () => {
  it.each(CASES.map((c) => [`${c.kind} ${JSON.stringify(c.options?.head ?? '')} ${c.loss}${c.ranking ? ` + ranking twin (${c.ranking})` : ''}`, c] as const))('%s', async (_name, c) => {
    const be = await createBackend('wasm');
    const { model } = buildModel(c.kind, be, dataset, train, c.options ?? {});
    model.compile({ loss: c.loss, ...(c.ranking ? { ranking: c.ranking } : {}) });
    const implicit = c.loss !== 'mse';
    await model.fit(implicit ? positives : train, { epochs: 2, seed: 4 });
    expect(model.compiledLoss.name).toBe(c.loss);
    expect(model.rankingLoss?.name).toBe(c.ranking);
    const before = outputs(model);
    expect(Array.from(before.predict).every(Number.isFinite)).toBe(true);
    expect(before.recommend.length).toBeGreaterThan(0);
    const loaded = await deserializeModel(serializeModel(model), be);
    expect(loaded.kind).toBe(model.kind);
    expect(loaded.compiledLoss).toEqual(model.compiledLoss);
    expect(loaded.rankingLoss).toEqual(model.rankingLoss);
    expect(outputs(loaded)).toEqual(before);
    loaded.dispose();
    model.dispose();
  });
});
