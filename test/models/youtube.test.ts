// The YouTube model: learns a sequential pattern ids alone cannot show, agrees across
// backends, serves anonymous sessions, saves as the MF it serves with; on ML-100K next-item
// it beats popularity and MF (test/cli/next-item.test.ts runs the CLI).
import { describe, expect, it } from 'vitest';
import { ring } from './ring-walks.js';
import { createBackend } from '../../src/backends/index.js';
import { interactions } from '../../src/data/interactions.js';
import { deserializeModel, serializeModel } from '../../src/io/model-file.js';
import { YouTubeDNN } from '../../src/models/youtube.js';
import { decayWeights } from '../../src/models/youtube-run.js';
import type { EncodedSide } from '../../src/preprocessing/encoded.js';

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

  it('with a recency decay: weights halve every historyDecay events, it trains, the weights change the user vector, and a loaded model keeps them', async () => {
    expect(Array.from(decayWeights(3, 1)!)).toEqual([0.25, 0.5, 1]);
    expect(decayWeights(3, 0)).toBeNull();
    const { data, indexes } = ring();
    const be = await createBackend('wasm');
    const model = new YouTubeDNN(be, indexes, { factors: 16, historyLength: 3, historyDecay: 0.5 });
    model.compile({ optimizer: { name: 'adam', lr: 0.01 } });
    await model.fit(data, { epochs: 30, seed: 2 });
    expect(model.recommendForHistory(['i3', 'i4', 'i5'], 1).items[0].item).toBe('i6');
    const file = serializeModel(model);
    const back = (await deserializeModel(file, be)) as YouTubeDNN;
    expect(back.historyDecay).toBe(0.5);
    expect(back.recommendForHistory(['i3', 'i4', 'i5'], 3)).toEqual(model.recommendForHistory(['i3', 'i4', 'i5'], 3));
    // The same tensors read as a plain mean (a file without the field) score sessions differently.
    const plainFile = serializeModel(model);
    const plain = await deserializeModel(plainFile, be);
    (plain as unknown as { historyDecay: number }).historyDecay = 0;
    expect((plain as YouTubeDNN).recommendForHistory(['i3', 'i4', 'i5'], 3).items[0].score).not.toBeCloseTo(model.recommendForHistory(['i3', 'i4', 'i5'], 3).items[0].score, 4);
    expect(() => new YouTubeDNN(be, indexes, { historyDecay: -1 })).toThrow(/historyDecay must be a half-life ≥ 0/);
    // Off is saved as no field (as in files from before the option): it loads as off, not as the default 5.
    expect(new YouTubeDNN(be, indexes).historyDecay).toBe(5);
    const off = new YouTubeDNN(be, indexes, { factors: 16, historyLength: 3, historyDecay: 0 });
    off.compile({ optimizer: { name: 'adam', lr: 0.01 } });
    await off.fit(data, { epochs: 2, seed: 2 });
    expect(((await deserializeModel(serializeModel(off), be)) as YouTubeDNN).historyDecay).toBe(0);
  });

  it('with demographics and example age: a user\'s tower input holds her demographic rows and age 0, a session the unknown user\'s; saved and loaded', async () => {
    const { data, indexes } = ring();
    const side = (n: number, categorical: EncodedSide['categorical']): EncodedSide => ({ n, continuous: new Float32Array(0), contNames: [], categorical, multi: [] });
    // Even users are 'a' (code 1), odd ones 'b' (code 2); the unknown row has code 0.
    const codes = Int32Array.from({ length: 61 }, (_, u) => (u === 60 ? 0 : 1 + (u % 2)));
    const features = { user: side(61, [{ name: 'group', cardinality: 3, codes }]), item: side(21, []) };
    const model = new YouTubeDNN(await createBackend('wasm'), indexes, { factors: 8, historyLength: 3, historyDecay: 0, demographics: true, exampleAge: true }, features);
    model.compile({ optimizer: { name: 'adam', lr: 0.01 } });
    await model.fit(data, { epochs: 30, seed: 2 });
    expect(model.recommendForHistory(['i3', 'i4', 'i5'], 1).items[0].item).toBe('i6');
    const t = model.exportState().tensors as Record<string, Float32Array>;
    const d = 8;
    const dg = 3; // defaultFeatureDim(3)
    const D = d + dg + 1;
    expect(t.userTowerW.length).toBe(D * d);
    const tower = (history: number[], code: number) => {
      const x = new Float64Array(D);
      for (const i of history) for (let c = 0; c < d; c++) x[c] += t.historyItems[i * d + c] / history.length;
      for (let c = 0; c < dg; c++) x[d + c] = t.user_group[code * dg + c];
      return Array.from({ length: d }, (_, c) => Math.max(0, t.userTowerB[c] + x.reduce((s, xk, k) => s + xk * t.userTowerW[k * d + c], 0)));
    };
    // User 7 (odd: code 2) walked items 12, 13, 14 last; her served vector is MF's P row.
    const want = tower([12, 13, 14], 2);
    want.forEach((v, c) => expect(t.userFactors[7 * d + c]).toBeCloseTo(v, 5));
    const session = tower([3, 4, 5], 0);
    const top = model.recommendForHistory(['i3', 'i4', 'i5'], 1).items[0];
    expect(top.score).toBeCloseTo(t.itemBias[6] + session.reduce((s, u, c) => s + u * t.itemFactors[6 * d + c], 0), 4);
    const back = (await deserializeModel(serializeModel(model), model.backend)) as YouTubeDNN;
    expect([back.demographics, back.exampleAge]).toEqual([true, true]);
    expect(back.recommendForHistory(['i3', 'i4', 'i5'], 5)).toEqual(model.recommendForHistory(['i3', 'i4', 'i5'], 5));
    expect(back.recommend('u7', 5)).toEqual(model.recommend('u7', 5));
    expect(() => new YouTubeDNN(model.backend, indexes, { demographics: true })).toThrow(/youtube: demographics needs the users' categorical features \(age group, gender, occupation…\); no features were given/);
    const untimed = interactions(data.users, data.items, data.ratings);
    await expect(new YouTubeDNN(model.backend, indexes, { exampleAge: true }).compile({}).fit(untimed, { epochs: 1 })).rejects.toThrow(/youtube: exampleAge needs the events' timestamps; these interactions have none/);
  });
});
