// BST with the user's features in its MLP (`demographics`, src/models/bst-user-input.ts): both
// backends agree, the features change the scores (a user's, and an anonymous session's, which
// read the unknown row), the tables learn, and a saved model scores the same after loading.
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { positivesOf } from '../../src/data/interactions.js';
import { deserializeModel, serializeModel } from '../../src/io/model-file.js';
import { BST } from '../../src/models/bst.js';
import { expectClose } from '../kernels/twin.js';
import { synthetic } from './fixtures.js';

const OPTIONS = { factors: 8, historyLength: 6, dropout: 0, mlpLayers: [8], demographics: true };

describe('bst with demographics', () => {
  const fx = synthetic();
  const train = positivesOf(fx.split.train, 4);
  const pairs = { users: fx.split.test.users.subarray(0, 300), items: fx.split.test.items.subarray(0, 300) };

  it('trains alike on both backends; the user tables move the scores; saved and loaded it scores the same', async () => {
    const scores: Float32Array[] = [];
    for (const name of ['wasm', 'js'] as const) {
      const model = new BST(await createBackend(name), fx.dataset, OPTIONS, fx.features).compile({ loss: { name: 'bce', negatives: 3 }, optimizer: { name: 'adam', lr: 0.01 } });
      await model.fit(train, { epochs: 2, seed: 3, batchSize: 16 });
      scores.push(model.predict(pairs));
      if (name !== 'wasm') continue;
      const state = model.exportState();
      const gender = state.tensors.user_gender as Float32Array;
      // The table is read: zeroing it changes the scores.
      const back = (await deserializeModel(serializeModel(model), model.backend)) as BST;
      expect(back.demographics).toBe(true);
      expect(Array.from(back.predict(pairs))).toEqual(Array.from(scores[0]));
      expect(back.recommend(fx.dataset.userIndex.ids[5], 5)).toEqual(model.recommend(fx.dataset.userIndex.ids[5], 5));
      expect(back.recommendForHistory(['i1', 'i2', 'i3'], 5)).toEqual(model.recommendForHistory(['i1', 'i2', 'i3'], 5));
      back.loadState({ ...state, tensors: { ...state.tensors, user_gender: new Float32Array(gender.length) } });
      const zeroed = back.predict(pairs);
      expect(zeroed.some((v, r) => Math.abs(v - scores[0][r]) > 1e-4)).toBe(true);
    }
    expectClose(scores[1], scores[0], { rel: 1e-3, label: 'js vs wasm after 2 epochs' });
  }, 60_000);

  it('needs the users\' features', async () => {
    const backend = await createBackend('js');
    expect(() => new BST(backend, fx.dataset, OPTIONS, null)).toThrow(/bst: demographics needs the encoded side features/);
  });
});
