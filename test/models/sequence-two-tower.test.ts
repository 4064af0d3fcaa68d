// The sequence two-tower (eBay's shape): item vectors from an item tower over content
// features (+ id), users from the pooled item-tower vectors of their latest events. It learns
// an order ids alone cannot show, agrees across backends, saves and loads with its features,
// serves anonymous sessions, and with content only gives items of equal features one vector.
import { describe, expect, it } from 'vitest';
import { ring as walks } from './ring-walks.js';
import { createBackend } from '../../src/backends/index.js';
import { IdIndex } from '../../src/data/interactions.js';
import { deserializeModel, serializeModel } from '../../src/io/model-file.js';
import { SequenceTwoTower } from '../../src/models/sequence-two-tower.js';
import type { EncodedSide } from '../../src/preprocessing/encoded.js';

const N_USERS = 60;
const N_ITEMS = 20;

/** The ring walks (./ring-walks.ts) with items carrying a "colour" (i mod 4). */
function ring() {
  const { data } = walks(N_USERS, N_ITEMS);
  const side = (n: number, codes: Int32Array | null): EncodedSide => ({
    n: n + 1,
    continuous: new Float32Array(0),
    contNames: [],
    categorical: codes ? [{ name: 'colour', cardinality: 5, codes }] : [],
    multi: [],
  });
  const colour = Int32Array.from({ length: N_ITEMS + 1 }, (_, i) => (i < N_ITEMS ? (i % 4) + 1 : 0));
  return {
    data,
    indexes: { userIndex: new IdIndex(Array.from({ length: N_USERS }, (_, u) => `u${u}`)), itemIndex: new IdIndex(Array.from({ length: N_ITEMS }, (_, i) => `i${i}`)) },
    features: { user: side(N_USERS, null), item: side(N_ITEMS, colour) },
  };
}

describe('sequence-two-tower', () => {
  it('learns "the next item follows the last one" on both backends alike; saves and loads with its features', async () => {
    const { data, indexes, features } = ring();
    const scores: number[][] = [];
    for (const name of ['wasm', 'js'] as const) {
      const model = new SequenceTwoTower(await createBackend(name), indexes, features, { factors: 16, historyLength: 3, itemIdDim: 8 });
      model.compile({ optimizer: { name: 'adam', lr: 0.01 } });
      await model.fit(data, { epochs: 30, seed: 2 });
      const { items, unknown } = model.recommendForHistory(['i3', 'i4', 'nope', 'i5'], 3);
      expect(unknown).toEqual(['nope']);
      expect(items[0].item).toBe('i6');
      expect(items.map((r) => r.item)).not.toContain('i5');
      scores.push(items.map((r) => r.score));
      if (name === 'wasm') {
        const back = (await deserializeModel(serializeModel(model), model.backend)) as SequenceTwoTower;
        expect(back.kind).toBe('sequence-two-tower');
        expect(back.features.item.categorical[0].codes).toEqual(features.item.categorical[0].codes);
        expect(back.recommend('u7', 3)).toEqual(model.recommend('u7', 3));
        expect(back.recommendForHistory(['i3', 'i4', 'i5'], 3)).toEqual(model.recommendForHistory(['i3', 'i4', 'i5'], 3));
        // A loaded model trains on: its item tower came back with it.
        await back.fit(data, { epochs: 1, seed: 3 });
        expect(back.recommendForHistory(['i3', 'i4', 'i5'], 1).items[0].item).toBe('i6');
      }
    }
    expect(scores[1][0]).toBeCloseTo(scores[0][0], 2);
  });

  it.each([
    ['gru', { encoder: 'gru', dropout: 0 }, ['gruW', 'gruU', 'gruBx', 'gruBh']],
    ['attention', { encoder: 'attention', dropout: 0, blocks: 1, heads: 2 }, ['positions', 'block0/attention/q/W', 'block0/ln2/gain']],
  ] as const)('with the %s user tower (eBay\'s recurrent or an attentive encoder) learns the order too, alike on both backends; saves, loads and trains on', async (_name, tower, keys) => {
    const { data, indexes, features } = ring();
    const scores: number[][] = [];
    for (const name of ['wasm', 'js'] as const) {
      const model = new SequenceTwoTower(await createBackend(name), indexes, features, { factors: 16, historyLength: 3, itemIdDim: 8, ...tower });
      model.compile({ optimizer: { name: 'adam', lr: 0.01 } });
      await model.fit(data, { epochs: 30, seed: 2, batchSize: 16 });
      const { items } = model.recommendForHistory(['i3', 'i4', 'i5'], 3);
      expect(items[0].item).toBe('i6');
      scores.push(items.map((r) => r.score));
      if (name === 'wasm') {
        expect(Object.keys(model.exportState().tensors)).toEqual(expect.arrayContaining([...keys]));
        expect(Object.keys(model.exportState().tensors)).not.toContain('userTowerW');
        const back = (await deserializeModel(serializeModel(model), model.backend)) as SequenceTwoTower;
        expect(back.encoder).toBe(tower.encoder);
        expect(back.recommendForHistory(['i9', 'i10', 'i11'], 3)).toEqual(model.recommendForHistory(['i9', 'i10', 'i11'], 3));
        await back.fit(data, { epochs: 1, seed: 3 });
        expect(back.recommendForHistory(['i3', 'i4', 'i5'], 1).items[0].item).toBe('i6');
      }
    }
    // 30 epochs through a recurrence or softmax attention: the backends' exp differ in the last bits (a polynomial on wasm), so relative agreement.
    expect(Math.abs(scores[1][0] - scores[0][0])).toBeLessThan(0.005 * Math.abs(scores[0][0]));
  });

  it('with content only (itemIdDim 0), items of equal features share one vector', async () => {
    const { data, indexes, features } = ring();
    const model = new SequenceTwoTower(await createBackend('wasm'), indexes, features, { factors: 8, historyLength: 3, itemIdDim: 0 });
    model.compile({ optimizer: { name: 'adam', lr: 0.01 } });
    await model.fit(data, { epochs: 3, seed: 1 });
    const q = model.exportState().tensors.itemFactors as Float32Array;
    const row = (i: number) => Array.from(q.subarray(i * 8, (i + 1) * 8));
    expect(row(1)).toEqual(row(5)); // both colour 2
    expect(row(1)).not.toEqual(row(2));
  });

  it('gives items without training events their content plus the unknown id (trained by id dropout)', async () => {
    const { data, features } = ring();
    // Two more items, never in training, both of colour 2 (as i1 and i5).
    const n = N_ITEMS + 2;
    const colour = Int32Array.from({ length: n + 1 }, (_, i) => (i < N_ITEMS ? (i % 4) + 1 : i < n ? 2 : 0));
    const indexes = { userIndex: new IdIndex(Array.from({ length: N_USERS }, (_, u) => `u${u}`)), itemIndex: new IdIndex(Array.from({ length: n }, (_, i) => `i${i}`)) };
    const wider = { user: features.user, item: { ...features.item, n: n + 1, categorical: [{ name: 'colour', cardinality: 5, codes: colour }] } };
    const model = new SequenceTwoTower(await createBackend('wasm'), indexes, wider, { factors: 8, historyLength: 3, itemIdDim: 4 });
    model.compile({ optimizer: { name: 'adam', lr: 0.01 } });
    await model.fit(data, { epochs: 3, seed: 1 });
    const q = model.exportState().tensors.itemFactors as Float32Array;
    const row = (i: number) => Array.from(q.subarray(i * 8, (i + 1) * 8));
    expect(row(20)).toEqual(row(21));
    expect(row(20)).not.toEqual(row(1)); // i1 has its own trained id
    expect(row(20).some((v) => v !== 0)).toBe(true);
  });

  it('refuses item features of another size, a bad id dropout, encoder or dropout, and a rating loss', async () => {
    const { indexes, features } = ring();
    const be = await createBackend('js');
    expect(() => new SequenceTwoTower(be, indexes, features, { itemIdDropout: 1.5 })).toThrow(/itemIdDropout must be in \[0, 1\], got 1.5/);
    expect(() => new SequenceTwoTower(be, indexes, features).compile({ loss: 'mse' })).toThrow(/sequence-two-tower: unsupported loss 'mse'/);
    expect(() => new SequenceTwoTower(be, indexes, features, { encoder: 'lstm' as 'gru' })).toThrow(/encoder must be one of mean, gru, attention, got 'lstm'/);
    expect(() => new SequenceTwoTower(be, indexes, features, { dropout: 0.2 })).toThrow(/dropout applies to the 'gru' and 'attention' encoders, not 'mean'/);
    expect(() => new SequenceTwoTower(be, indexes, features, { encoder: 'gru', blocks: 2 })).toThrow(/blocks applies to the 'attention' encoder, not 'gru'/);
    expect(() => new SequenceTwoTower(be, indexes, features, { encoder: 'attention', factors: 8, heads: 3 })).toThrow(/heads must be an integer ≥ 1 dividing factors \(8\), got 3/);
    expect(() => new SequenceTwoTower(be, indexes, features, { encoder: 'gru', timeGaps: true })).toThrow(/the 'gru' encoder does not take them/);
    expect(() => new SequenceTwoTower(be, indexes, features, { encoder: 'gru', dropout: 1 })).toThrow(/dropout must be in \[0, 1\), got 1/);
    expect(() => new SequenceTwoTower(be, indexes, features, { encoder: 'attention', historyDecay: 5 })).toThrow(/historyDecay weights the mean pooling; the 'attention' encoder does not pool/);
    const short = { ...features, item: { ...features.item, n: 5, categorical: [] } };
    const model = new SequenceTwoTower(be, indexes, short).compile({});
    await expect(model.fit(ring().data, { epochs: 1 })).rejects.toThrow(/item tower: the item features have 4 rows; the model has 20 items/);
  });

  it('with a recency decay in the mean tower: learns the ring, and a loaded model keeps the decay and serves alike', async () => {
    const { data, indexes, features } = ring();
    const model = new SequenceTwoTower(await createBackend('wasm'), indexes, features, { factors: 16, historyLength: 3, itemIdDim: 8, historyDecay: 1 });
    model.compile({ optimizer: { name: 'adam', lr: 0.01 } });
    await model.fit(data, { epochs: 30, seed: 2 });
    expect(model.recommendForHistory(['i3', 'i4', 'i5'], 1).items[0].item).toBe('i6');
    const back = (await deserializeModel(serializeModel(model), model.backend)) as SequenceTwoTower;
    expect(back.historyDecay).toBe(1);
    expect(back.recommendForHistory(['i3', 'i4', 'i5'], 3)).toEqual(model.recommendForHistory(['i3', 'i4', 'i5'], 3));
  });
});
