// BST: learns a sequential pattern on both backends alike, scores consistently through
// predict / scoreItems / recommend, serves anonymous sessions, saves with its network and the
// users' histories. Its ML-100K bound is the CLI's (test/cli/next-item-bst.test.ts).
import { describe, expect, it } from 'vitest';
import { ring } from './ring-walks.js';
import { createBackend } from '../../src/backends/index.js';
import { deserializeModel, serializeModel } from '../../src/io/model-file.js';
import { BST } from '../../src/models/bst.js';
import { expectClose } from '../kernels/twin.js';

describe('bst', () => {
  it('learns "the next item follows the last one" on both backends alike; saved and loaded, it recommends the same', async () => {
    const { data, indexes } = ring();
    const scores: number[][] = [];
    for (const name of ['wasm', 'js'] as const) {
      const model = new BST(await createBackend(name), indexes, { factors: 16, historyLength: 4, heads: 2, dropout: 0.1, mlpLayers: [16] });
      model.compile({ loss: { name: 'bce', negatives: 4 }, optimizer: { name: 'adam', lr: 0.01 } });
      await model.fit(data, { epochs: 40, seed: 2, batchSize: 16 });
      const { items, unknown } = model.recommendForHistory(['i3', 'i4', 'nope', 'i5'], 3);
      expect(unknown).toEqual(['nope']);
      expect(items[0].item).toBe('i6');
      expect(items.map((r) => r.item)).not.toContain('i5');
      scores.push(items.map((r) => r.score));
      // A known user's stored history: her last item is u+7, so the next is u+8.
      expect(model.recommend('u7', 1)[0].item).toBe('i15');
      // predict scores pairs as the full ranking does.
      const all = model.scoreItems(Int32Array.of(7, 30));
      const pairs = model.predict({ users: Int32Array.of(30, 7, 30), items: Int32Array.of(2, 15, 19) });
      expectClose(pairs, [all[20 + 2], all[15], all[20 + 19]], { rel: 1e-5, label: 'predict vs scoreItems' });
      if (name === 'wasm') {
        const back = await deserializeModel(serializeModel(model), model.backend);
        expect(back.kind).toBe('bst');
        expect(back.recommend('u7', 5)).toEqual(model.recommend('u7', 5));
        // The file keeps the network: a loaded model serves anonymous sessions identically.
        expect((back as BST).recommendForHistory(['i3', 'i4', 'i5'], 5)).toEqual(model.recommendForHistory(['i3', 'i4', 'i5'], 5));
        expect((back as BST).mlpLayers).toEqual([16]);
      }
    }
    expect(scores[1][0]).toBeCloseTo(scores[0][0], 1);
  }, 60_000);

  it('trains with the sampled softmax over the same candidates too', async () => {
    const { data, indexes } = ring();
    const model = new BST(await createBackend('wasm'), indexes, { factors: 16, historyLength: 4, dropout: 0 });
    model.compile({ loss: { name: 'softmax', negatives: 6 }, optimizer: { name: 'adam', lr: 0.01 } });
    await model.fit(data, { epochs: 30, seed: 3, batchSize: 16 });
    expect(model.recommendForHistory(['i10', 'i11'], 1).items[0].item).toBe('i12');
  }, 60_000);

  it('learns ratings (mse) from the earlier events: r̂ = μ + b_u + the network, on both backends alike, saved and loaded', async () => {
    // Ratings: an item effect (1 + item mod 4) and a leniency of +0.5 for even users.
    const { data, indexes } = ring();
    const ratings = Float32Array.from(data.items, (i, r) => 1 + (i % 4) + (data.users[r] % 2 === 0 ? 0.5 : 0));
    const rated = { ...data, ratings };
    const rmses: number[] = [];
    for (const name of ['wasm', 'js'] as const) {
      const model = new BST(await createBackend(name), indexes, { factors: 16, historyLength: 4, dropout: 0, mlpLayers: [16] });
      model.compile({ loss: 'mse', optimizer: { name: 'adam', lr: 0.01 } });
      await model.fit(rated, { epochs: 30, seed: 2, batchSize: 16 });
      const p = model.predict({ users: rated.users, items: rated.items });
      const mean = ratings.reduce((s, r) => s + r, 0) / ratings.length;
      const sd = Math.sqrt(ratings.reduce((s, r) => s + (r - mean) ** 2, 0) / ratings.length);
      // Served from each user's latest events: the item effect and most of the leniency (b_u is shrunk) must be learned.
      rmses.push(Math.sqrt(p.reduce((s, x, r) => s + (x - ratings[r]) ** 2, 0) / p.length));
      expect(rmses.at(-1)!).toBeLessThan(0.3 * sd);
      if (name === 'wasm') {
        const back = await deserializeModel(serializeModel(model), model.backend);
        expect(Array.from(back.predict({ users: rated.users, items: rated.items }))).toEqual(Array.from(p));
      }
    }
    expect(rmses[1]).toBeCloseTo(rmses[0], 2);
  }, 60_000);

  it('refuses heads that do not divide the width, a bad dropout or MLP', async () => {
    const { indexes } = ring();
    const be = await createBackend('wasm');
    expect(() => new BST(be, indexes, { factors: 10, heads: 3 })).toThrow(/bst: heads must divide factors \(10\), got 3/);
    expect(() => new BST(be, indexes, { dropout: 1 })).toThrow(/dropout must be in \[0, 1\)/);
    expect(() => new BST(be, indexes, { mlpLayers: [0] })).toThrow(/mlpLayers must be positive integers/);
  });
});
