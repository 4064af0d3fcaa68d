import { describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { FeaturePipeline } from '../../src/preprocessing/pipeline.js';
import { autoFeatureSpec } from '../../src/preprocessing/auto.js';
import { featureName } from '../../src/preprocessing/spec.js';
import { makeSplit } from '../../src/data/splits.js';

describe('auto features on generated data', () => {
  it('uses the same course features as MovieLens 100K and encodes every id', () => {
    const ds = generateSynthetic({ seed: 3 });
    const spec = autoFeatureSpec(ds);
    expect(spec.user.map((d) => d.type === 'stats' ? (d.name ?? 'stats') : featureName(d))).toEqual(['age', 'age_group', 'gender', 'occupation', 'zip_region', 'stats']);
    expect(spec.item.map((d) => d.type)).toEqual(['multi', 'both', 'stats']);
    const split = makeSplit(ds, { kind: 'u1' });
    const p = FeaturePipeline.fit(ds, split.train, spec);
    const users = p.encode('user', ds.userIndex);
    const items = p.encode('item', ds.itemIndex);
    expect(users.n).toBe(ds.userIndex.size + 1);
    expect(items.multi[0].offsets.length).toBe(items.n + 1);
    for (const c of [...users.categorical, ...items.categorical]) {
      expect(Math.max(...c.codes)).toBeLessThan(c.cardinality);
      expect(c.codes[c.codes.length - 1]).toBe(0);
    }
    expect(users.continuous.every(Number.isFinite)).toBe(true);
    expect(items.continuous.every(Number.isFinite)).toBe(true);
  });
});
