// Word vectors as the starting values of a text feature's token embeddings: rows found by the
// feature's own hashing or vocabulary, kept as given when frozen, fine-tuned otherwise.
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import type { Dataset } from '../../src/data/dataset.js';
import { makeSplit } from '../../src/data/splits.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { deserializeModel, serializeModel } from '../../src/io/model-file.js';
import { buildModel } from '../../src/models/factory.js';
import type { TwoTower } from '../../src/models/two-tower.js';
import { FeaturePipeline } from '../../src/preprocessing/pipeline.js';
import { hashBucket } from '../../src/preprocessing/text-tokens.js';
import { textFeatureInit } from '../../src/preprocessing/word-vectors.js';
import type { FeatureSpec } from '../../src/preprocessing/spec.js';

const WORDS = ['space', 'war', 'love', 'story', 'Robots'];
const base = generateSynthetic({ seed: 8, nUsers: 50, nItems: 40, nRatings: 900 });
const blurbs = base.items!.ids.map((_, r) => `${WORDS[r % 5]} ${WORDS[(r * 3 + 1) % 5]}`);
const dataset: Dataset = { ...base, items: { ...base.items!, columns: { ...base.items!.columns, blurb: { kind: 'string', values: blurbs } } } };
const vectors = { words: WORDS, dim: 3, vectors: Float32Array.from({ length: 15 }, (_, k) => k / 10 - 0.7) };

describe('textFeatureInit', () => {
  const split = makeSplit(dataset, { kind: 'random', seed: 1 });

  it('puts each word vector in the row the feature hashes the word to (mean on collisions)', () => {
    const spec: FeatureSpec = { user: [], item: [{ type: 'text', column: 'blurb', buckets: 8 }] };
    const pipeline = FeaturePipeline.fit(dataset, split.train, spec);
    const { init, covered } = textFeatureInit(pipeline, 'item', 'blurb', vectors);
    expect(init.values).toHaveLength(9 * 3);
    const rows = new Map<number, number[]>();
    WORDS.forEach((w, k) => rows.set(hashBucket(w.toLowerCase(), 8), [...(rows.get(hashBucket(w.toLowerCase(), 8)) ?? []), k]));
    for (const [row, ks] of rows) {
      for (let c = 0; c < 3; c++) expect(init.values[row * 3 + c]).toBeCloseTo(ks.reduce((s, k) => s + vectors.vectors[k * 3 + c], 0) / ks.length, 6);
    }
    expect(covered).toBeCloseTo(rows.size / 9, 6);
    expect(Array.from(init.values.subarray(0, 3))).toEqual([0, 0, 0]);
  });

  it('uses vocabulary codes in vocabulary mode, and fails on vectors of the wrong size', () => {
    const spec: FeatureSpec = { user: [], item: [{ type: 'text', column: 'blurb', buckets: 0, minFrequency: 1, bigrams: false }] };
    const pipeline = FeaturePipeline.fit(dataset, split.train, spec);
    const { codes } = pipeline.textTokenCodes('item', 'blurb', ['robots', 'nope']);
    expect(codes[1]).toBe(0);
    const { init, covered } = textFeatureInit(pipeline, 'item', 'blurb', vectors);
    expect(Array.from(init.values.subarray(codes[0] * 3, codes[0] * 3 + 3)).map((v) => +v.toFixed(6))).toEqual([0.5, 0.6, 0.7]);
    expect(covered).toBeCloseTo(5 / 6, 6);
    expect(() => textFeatureInit(pipeline, 'item', 'blurb', { ...vectors, dim: 4 })).toThrow(/5 words need 5 × 4 values, got 15/);
    expect(() => textFeatureInit(pipeline, 'item', 'title', vectors)).toThrow(/no text feature 'title' on the item side \(text features: blurb\)/);
  });

  it.each(['mean', 'gru'] as const)('initialises a two-tower\'s token table (its width from the vectors; %s encoder); frozen it stays, otherwise it trains; saves and loads', async (encoder) => {
    const spec: FeatureSpec = { user: [], item: [{ type: 'text', column: 'blurb', buckets: 8, encoder }] };
    const be = await createBackend('wasm');
    const pipeline = FeaturePipeline.fit(dataset, split.train, spec);
    const table = (m: unknown) => (m as TwoTower).summary().layers.find((l) => l.name === 'item/blurb')!;
    for (const freeze of [true, false]) {
      const { init } = textFeatureInit(pipeline, 'item', 'blurb', vectors, freeze);
      const { model } = buildModel('two-tower', be, dataset, split.train, { featureInit: { blurb: init } }, spec);
      // The GRU reads the 16 tokens one by one: the table's output is a row per token.
      expect(table(model).outputShape).toEqual(encoder === 'gru' ? [16, 3] : [3]);
      await model.fit(split.train, { epochs: 2, seed: 1 });
      const state = model.exportState();
      const key = Object.keys(state.tensors).find((k) => k.endsWith(':item/blurb'))!;
      const trained = state.tensors[key] as Float32Array;
      if (freeze) expect(Array.from(trained)).toEqual(Array.from(init.values));
      else expect(Array.from(trained)).not.toEqual(Array.from(init.values));
      const back = await deserializeModel(serializeModel(model), be);
      expect(Array.from(back.predict(split.test))).toEqual(Array.from(model.predict(split.test)));
    }
  });
});
