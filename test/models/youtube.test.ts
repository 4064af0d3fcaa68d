// The YouTube model: learns a sequential pattern ids alone cannot show, agrees across
// backends, serves anonymous sessions, saves as the MF it serves with; on ML-100K next-item
// it beats popularity and MF (test/cli/next-item.test.ts runs the CLI).
import { describe, expect, it } from 'vitest';
import { ring } from './ring-walks.js';
import { createBackend } from '../../src/backends/index.js';
import { interactions } from '../../src/data/interactions.js';
import { deserializeModel, serializeModel } from '../../src/io/model-file.js';
import { YouTubeDNN } from '../../src/models/youtube.js';

describe('youtube', () => {
  it('learns "the next item follows the last one" and ranks it first for an anonymous session, on both backends alike', async () => {
    const { data, indexes } = ring();
    const scores: number[][] = [];
    for (const name of ['wasm', 'js'] as const) {
      const model = new YouTubeDNN(await createBackend(name), indexes, { factors: 16, historyLength: 3 });
      model.compile({ optimizer: { name: 'adam', lr: 0.01 } });
      await model.fit(data, { epochs: 30, seed: 2 });
      const { items, unknown } = model.recommendForHistory(['i3', 'i4', 'nope', 'i5'], 3);
      expect(unknown).toEqual(['nope']);
      expect(items[0].item).toBe('i6');
      expect(items.map((r) => r.item)).not.toContain('i5');
      scores.push(items.map((r) => r.score));
      if (name === 'wasm') {
        const back = await deserializeModel(serializeModel(model), model.backend);
        expect(back.kind).toBe('youtube');
        expect(back.recommend('u7', 3).map((r) => r.item)).toEqual(model.recommend('u7', 3).map((r) => r.item));
        // The file keeps the network: a loaded model serves anonymous sessions too.
        expect((back as YouTubeDNN).recommendForHistory(['i3', 'i4', 'i5'], 3)).toEqual(model.recommendForHistory(['i3', 'i4', 'i5'], 3));
      }
    }
    expect(scores[1][0]).toBeCloseTo(scores[0][0], 2);
  });

  it('refuses a rating loss and a bad history length', async () => {
    const { indexes } = ring();
    const be = await createBackend('wasm');
    expect(() => new YouTubeDNN(be, indexes, { historyLength: 0 })).toThrow(/historyLength must be an integer ≥ 1/);
    expect(() => new YouTubeDNN(be, indexes).compile({ loss: 'mse' })).toThrow(/youtube: unsupported loss 'mse'/);
  });

  it('with time gaps: trains, serves sessions with and without times, saves and loads', async () => {
    const { data, indexes } = ring();
    const model = new YouTubeDNN(await createBackend('wasm'), indexes, { factors: 16, historyLength: 3, timeGaps: true });
    model.compile({ optimizer: { name: 'adam', lr: 0.01 } });
    await model.fit(data, { epochs: 30, seed: 2 });
    expect(model.recommendForHistory(['i3', 'i4', 'i5'], 1).items[0].item).toBe('i6');
    const withTimes = model.recommendForHistory(['i3', 'i4', 'i5'], 3, [0, 3600, 7200]);
    expect(withTimes.items).toHaveLength(3);
    expect(() => model.recommendForHistory(['i3', 'i4'], 3, [0])).toThrow(/2 items but 1 times/);
    const back = (await deserializeModel(serializeModel(model), model.backend)) as YouTubeDNN;
    expect(back.timeGaps).toBe(true);
    expect(back.recommendForHistory(['i3', 'i4', 'i5'], 3, [0, 3600, 7200])).toEqual(withTimes);
    expect(back.recommend('u7', 3)).toEqual(model.recommend('u7', 3));
    const untimed = interactions(data.users, data.items, data.ratings);
    await expect(new YouTubeDNN(model.backend, indexes, { timeGaps: true }).compile({}).fit(untimed, { epochs: 1 })).rejects.toThrow(/youtube: timeGaps needs the events' timestamps; these interactions have none/);
  });
});
