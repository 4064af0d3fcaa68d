// SASRec: learns a sequential pattern on both backends alike, serves anonymous sessions,
// saves with its encoder. Its ML-100K bound is the CLI's 10-epoch run (test/cli/next-item.test.ts).
import { describe, expect, it } from 'vitest';
import { ring } from './ring-walks.js';
import { createBackend } from '../../src/backends/index.js';
import { deserializeModel, serializeModel } from '../../src/io/model-file.js';
import { SASRec } from '../../src/models/sasrec.js';

describe('sasrec', () => {
  it('learns "the next item follows the last one" on both backends alike; saved and loaded, it recommends the same', async () => {
    const { data, indexes } = ring();
    const scores: number[][] = [];
    for (const name of ['wasm', 'js'] as const) {
      const model = new SASRec(await createBackend(name), indexes, { factors: 16, historyLength: 4, heads: 2, dropout: 0.1 });
      model.compile({ optimizer: { name: 'adam', lr: 0.01 } });
      await model.fit(data, { epochs: 40, seed: 2, batchSize: 16 });
      const { items, unknown } = model.recommendForHistory(['i3', 'i4', 'nope', 'i5'], 3);
      expect(unknown).toEqual(['nope']);
      expect(items[0].item).toBe('i6');
      expect(items.map((r) => r.item)).not.toContain('i5');
      scores.push(items.map((r) => r.score));
      // A known user's served vector: her last item is u+7, so the next is u+8.
      expect(model.recommend('u7', 1)[0].item).toBe('i15');
      if (name === 'wasm') {
        const back = await deserializeModel(serializeModel(model), model.backend);
        expect(back.kind).toBe('sasrec');
        expect(back.recommend('u7', 5)).toEqual(model.recommend('u7', 5));
        // The file keeps the encoder: a loaded model serves anonymous sessions identically.
        expect((back as SASRec).recommendForHistory(['i3', 'i4', 'i5'], 5)).toEqual(model.recommendForHistory(['i3', 'i4', 'i5'], 5));
        expect((back as SASRec).heads).toBe(2);
      }
    }
    expect(scores[1][0]).toBeCloseTo(scores[0][0], 1);
  }, 60_000);

  it('refuses heads that do not divide the width, no blocks, a bad dropout and a rating loss', async () => {
    const { indexes } = ring();
    const be = await createBackend('wasm');
    expect(() => new SASRec(be, indexes, { factors: 10, heads: 3 })).toThrow(/heads must be an integer ≥ 1 dividing factors \(10\)/);
    expect(() => new SASRec(be, indexes, { blocks: 0 })).toThrow(/blocks must be an integer ≥ 1/);
    expect(() => new SASRec(be, indexes, { dropout: 1 })).toThrow(/dropout must be in \[0, 1\)/);
    expect(() => new SASRec(be, indexes).compile({ loss: 'mse' })).toThrow(/sasrec: unsupported loss 'mse'/);
  });
});
