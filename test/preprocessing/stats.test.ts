import { describe, expect, it } from 'vitest';
import { quantile, ratingStats } from '../../src/preprocessing/stats.js';
import { FeaturePipeline } from '../../src/preprocessing/pipeline.js';
import { subset } from '../../src/data/interactions.js';
import { tinyDataset } from './fixture.js';

describe('rating statistics', () => {
  it('interpolates quantiles linearly (NumPy default)', () => {
    expect(quantile(Float32Array.of(1, 2, 3, 4), 0.25)).toBe(1.75);
    expect(quantile(Float32Array.of(1, 2, 3, 4), 0.5)).toBe(2.5);
    expect(quantile(Float32Array.of(7), 0.75)).toBe(7);
    expect(quantile(new Float32Array(0), 0.5)).toBeNaN();
  });

  it('computes mean, log(1+count) and quartiles per entity, global values with count 0 for the cold', () => {
    const { dataset, trainRows } = tinyDataset();
    const { byId, cold } = ratingStats(subset(dataset.ratings, trainRows), 'user', dataset.userIndex);
    expect(byId.get('u1')).toEqual([3, Math.log1p(2), 2.5, 3, 3.5]);
    expect(byId.get('u2')).toEqual([5, Math.log1p(1), 5, 5, 5]);
    expect(byId.has('u4')).toBe(false);
    expect(cold).toEqual([3.5, 0, 2.75, 3.5, 4.25]);
  });

  it('uses only the training ratings: the test rating u1·i3 = 1 would change u1 and i3', () => {
    const { dataset, trainRows } = tinyDataset();
    const train = subset(dataset.ratings, trainRows);
    // With the test ratings, u1's mean would be 7/3 and u4 would not be cold.
    expect(ratingStats(dataset.ratings, 'user', dataset.userIndex).byId.get('u1')![0]).toBeCloseTo(7 / 3);
    const fitted = FeaturePipeline.fit(dataset, train, { user: [{ type: 'stats', stats: ['mean'] }], item: [{ type: 'stats', stats: ['mean'] }] });
    const leaky = FeaturePipeline.fit(dataset, dataset.ratings, { user: [{ type: 'stats', stats: ['mean'] }], item: [] });
    const users = fitted.encode('user', dataset.userIndex);
    const std = Math.sqrt(8 / 9); // user means 3, 5, 3 around 11/3
    expect(Array.from(users.continuous)).toEqual([3, 5, 3, 3.5, 3.5].map((m) => Math.fround((m - 11 / 3) / std)));
    expect(leaky.encode('user', dataset.userIndex).continuous[0]).not.toBe(users.continuous[0]);
    // i3 was only rated in test: it gets the global mean, i.e. the same row as the unknown item.
    const items = fitted.encode('item', dataset.itemIndex);
    expect(items.continuous[2]).toBe(items.continuous[3]);
  });
});
