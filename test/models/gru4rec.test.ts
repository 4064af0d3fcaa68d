// GRU4Rec: learns an order that only the sequence shows, agrees across backends, serves
// anonymous sessions, saves and loads with identical recommendations; its ML-100K next-item
// bound is in test/cli/next-item.test.ts (it runs the CLI).
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { IdIndex, interactions } from '../../src/data/interactions.js';
import { deserializeModel, serializeModel } from '../../src/io/model-file.js';
import { Gru4Rec } from '../../src/models/gru4rec.js';

/**
 * 60 users each walk a ring of 20 items, half of them forwards (i → i+1) and half backwards
 * (i → i−1): the last item alone does not say what comes next, the last two do.
 */
function rings() {
  const users: number[] = [];
  const items: number[] = [];
  const times: number[] = [];
  for (let u = 0; u < 60; u++) {
    const dir = u % 2 === 0 ? 1 : -1;
    for (let t = 0; t < 10; t++) {
      users.push(u);
      items.push((((u + dir * t) % 20) + 20) % 20);
      times.push(t);
    }
  }
  const data = interactions(Int32Array.from(users), Int32Array.from(items), new Float32Array(users.length).fill(5), Float64Array.from(times));
  return { data, indexes: { userIndex: new IdIndex(Array.from({ length: 60 }, (_, u) => `u${u}`)), itemIndex: new IdIndex(Array.from({ length: 20 }, (_, i) => `i${i}`)) } };
}

describe('gru4rec', () => {
  it('learns the direction of a walk from its order, on both backends alike, and saves and loads it', async () => {
    const { data, indexes } = rings();
    const scores: number[][] = [];
    for (const name of ['wasm', 'js'] as const) {
      const model = new Gru4Rec(await createBackend(name), indexes, { factors: 16, historyLength: 4, dropout: 0 });
      model.compile({ optimizer: { name: 'adam', lr: 0.02 } });
      await model.fit(data, { epochs: 40, seed: 3, batchSize: 8 });
      const forwards = model.recommendForHistory(['i3', 'i4', 'nope', 'i5'], 3);
      expect(forwards.unknown).toEqual(['nope']);
      expect(forwards.items[0].item).toBe('i6');
      expect(forwards.items.map((r) => r.item)).not.toContain('i5');
      expect(model.recommendForHistory(['i7', 'i6', 'i5'], 3).items[0].item).toBe('i4');
      scores.push(forwards.items.map((r) => r.score));
      // A user's served vector is her history's last state: u0 walked 0..9 forwards, u1 1, 0, 19, …, 12 backwards.
      expect(model.recommend('u0', 1)[0].item).toBe('i10');
      expect(model.recommend('u1', 1)[0].item).toBe('i11');
      if (name === 'wasm') {
        const back = await deserializeModel(serializeModel(model), model.backend);
        expect(back.kind).toBe('gru4rec');
        for (const u of ['u0', 'u7', 'u30']) expect(back.recommend(u, 5)).toEqual(model.recommend(u, 5));
        expect((back as Gru4Rec).recommendForHistory(['i3', 'i4', 'i5'], 3)).toEqual(model.recommendForHistory(['i3', 'i4', 'i5'], 3));
        expect((back as Gru4Rec).historyLength).toBe(4);
        expect((back as Gru4Rec).dropout).toBe(0);
      }
    }
    expect(scores[1][0]).toBeCloseTo(scores[0][0], 2);
  });

  it('refuses a rating loss, a bad history length and a bad dropout', async () => {
    const { indexes } = rings();
    const be = await createBackend('wasm');
    expect(() => new Gru4Rec(be, indexes, { historyLength: 0 })).toThrow(/historyLength must be an integer ≥ 1/);
    expect(() => new Gru4Rec(be, indexes, { dropout: 1 })).toThrow(/dropout must be in \[0, 1\)/);
    expect(() => new Gru4Rec(be, indexes).compile({ loss: 'mse' })).toThrow(/gru4rec: unsupported loss 'mse'/);
  });
});
