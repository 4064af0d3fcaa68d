import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { interactions } from '../../src/data/interactions.js';
import { MeanBaseline } from '../../src/models/baselines.js';
import { HAVE_ML100K, movielens, synthetic } from './fixtures.js';

describe('mean baselines', () => {
  it('predict hand-computed means with the minimum-count fallback', async () => {
    const be = await createBackend('js');
    const { dataset } = synthetic();
    const train = interactions(Int32Array.of(0, 0, 1, 2), Int32Array.of(0, 1, 1, 1), Float32Array.of(5, 3, 2, 4));
    const pairs = { users: Int32Array.of(0, 1, 3), items: Int32Array.of(0, 1, 2) };
    const global = new MeanBaseline(be, dataset, 'global-mean');
    await global.fit(train);
    expect(Array.from(global.predict(pairs))).toEqual([3.5, 3.5, 3.5]);
    const users = new MeanBaseline(be, dataset, 'user-mean');
    await users.fit(train);
    expect(Array.from(users.predict(pairs))).toEqual([4, 2, 3.5]);
    const items = new MeanBaseline(be, dataset, 'item-mean', { minCount: 2 });
    await items.fit(train);
    // Item 0 has one rating (< minCount): the global mean; item 1: (3 + 2 + 4) / 3.
    expect(Array.from(items.predict(pairs))).toEqual([3.5, 3, 3.5]);
    expect(items.predictIds(['no-such-user'], ['no-such-item'])[0]).toBe(3.5);
  });

  it.skipIf(!HAVE_ML100K)('item mean beats the global mean on ML-100K u1', async () => {
    const be = await createBackend('js');
    const { dataset, split } = await movielens({ kind: 'u1' });
    const rmse = (kind: 'global-mean' | 'user-mean' | 'item-mean') => {
      const m = new MeanBaseline(be, dataset, kind);
      return m.fit(split.train).then(() => m.evaluate(split.test).rmse);
    };
    const [g, u, i] = [await rmse('global-mean'), await rmse('user-mean'), await rmse('item-mean')];
    expect(g).toBeGreaterThan(1.1);
    expect(i).toBeLessThan(1.04);
    expect(u).toBeLessThan(1.07);
  });
});
