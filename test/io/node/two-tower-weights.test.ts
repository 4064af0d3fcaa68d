// `wasmrec import two-tower-weights`: a weights file written by an independent writer (the
// standard-library Python of examples/export-two-tower-weights.py, committed as a fixture)
// loads as a two-tower whose scores — known ids, and users and items known only by their
// features — are those Python's own forward pass computed, and whose exported serving vectors
// rank the same; the script still writes those bytes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../src/backends/index.js';
import { main } from '../../../src/cli/main.js';
import { memoryIO } from '../../../src/cli/io.js';
import type { FeatureModel } from '../../../src/models/feature-model.js';
import { servingVectors } from '../../../src/io/model-vectors.js';
import { loadModelFile } from '../../../src/io/node/model-file.js';
import type { RawRow } from '../../../src/preprocessing/derive.js';

const FIXTURE = resolve(__dirname, '../fixtures/two-tower-weights');
const SCRIPT = resolve(__dirname, '../../../examples/export-two-tower-weights.py');
const dir = mkdtempSync(join(tmpdir(), 'wasmrec-tt-weights-'));
/** Python sums in float64 over float32 weights; wasmrec in float32. */
const TOLERANCE = 1e-5;

interface Expected {
  known: [string, string, number][];
  cold_users: { features: RawRow; scores: number[] }[];
  cold_items: { features: RawRow; pairs: [string, number][] }[];
  cold_pairs: [RawRow, RawRow, number][];
  unknown_id: number;
}
const expected = JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8')) as Expected;

const close = (got: ArrayLike<number>, want: number[]) => {
  expect(got.length).toBe(want.length);
  want.forEach((w, k) => expect(Math.abs(got[k] - w)).toBeLessThan(TOLERANCE));
};

describe('wasmrec import two-tower-weights', () => {
  it('the committed fixture is what the script writes', () => {
    try {
      execFileSync('python3', [SCRIPT, '--demo', join(dir, 'again')]);
    } catch (err) {
      throw new Error(`python3 ${SCRIPT} failed (python3 is needed for this test; .ci/run installs it): ${(err as Error).message}`);
    }
    for (const name of ['weights.safetensors', 'expected.json']) expect(readFileSync(join(dir, 'again', name)).equals(readFileSync(join(FIXTURE, name)))).toBe(true);
  });

  it('predicts the scores Python computed, for known ids and from features alone, after a save and load', async () => {
    const io = memoryIO();
    const out = join(dir, 'tt.wasmrec');
    await main(['node', 'wasmrec', 'import', 'two-tower-weights', join(FIXTURE, 'weights.safetensors'), '--out', out, '--json'], io);
    expect(JSON.parse(io.stdout.at(-1)!)).toMatchObject({ users: 30, items: 20, layers: [8, 4], features: { user: ['age', 'gender', 'occupation'], item: ['genres', 'year'] } });
    for (const backend of ['wasm', 'js'] as const) {
      const { model } = await loadModelFile(out, await createBackend(backend));
      expect(model.kind).toBe('two-tower');
      close(model.predictIds(expected.known.map((p) => p[0]), expected.known.map((p) => p[1])), expected.known.map((p) => p[2]));
      close(model.predictIds(['nobody'], [model.indexes.itemIndex.ids[0]]), [expected.unknown_id]);
      // A brand-new user from raw features: every item's score, and the ranking they give.
      for (const c of expected.cold_users) close(model.scoreItemsForFeatures(c.features), c.scores);
      const best = expected.cold_users[0].scores.indexOf(Math.max(...expected.cold_users[0].scores));
      expect(model.recommendForFeatures(expected.cold_users[0].features, 1)[0].item).toBe(model.indexes.itemIndex.ids[best]);
      // Brand-new items (and pairs of brand-new users and items) through the encoded features.
      const fm = model as FeatureModel;
      const pipeline = model.pipeline!;
      for (const c of expected.cold_items) {
        const users = Int32Array.from(c.pairs, ([id]) => model.indexes.userIndex.get(id)!);
        close(fm.predictFeatures(users, { features: pipeline.encodeRows('item', [c.features]), rows: new Int32Array(users.length) }), c.pairs.map((p) => p[1]));
      }
      const us = pipeline.encodeRows('user', expected.cold_pairs.map((p) => p[0]));
      const is = pipeline.encodeRows('item', expected.cold_pairs.map((p) => p[1]));
      const rows = Int32Array.from(expected.cold_pairs, (_, k) => k);
      close(fm.predictFeatures({ features: us, rows }, { features: is, rows }), expected.cold_pairs.map((p) => p[2]));
      // The exported serving vectors ([u | 1] and [v | b_i]) rank as the model: score − their
      // inner product is μ + b_u, one number per user.
      const users = servingVectors(model, 'users');
      const items = servingVectors(model, 'items');
      expect([users.dim, items.dim, items.ids.length]).toEqual([5, 5, 20]);
      const rest = new Map<string, number>();
      for (const [u, i, score] of expected.known) {
        const a = users.ids.indexOf(u);
        const b = items.ids.indexOf(i);
        let dot = 0;
        for (let c = 0; c < 5; c++) dot += users.vectors[a * 5 + c] * items.vectors[b * 5 + c];
        if (!rest.has(u)) rest.set(u, score - dot);
        expect(Math.abs(score - dot - rest.get(u)!)).toBeLessThan(TOLERANCE);
      }
      model.dispose();
    }
  });

  it('writes nothing when the file is off the convention', async () => {
    const io = memoryIO();
    const out = join(dir, 'never.wasmrec');
    // The tower-outputs convention's file is not a weights file: every missing part is named.
    execFileSync('python3', [resolve(__dirname, '../../../examples/export-two-tower.py'), '--demo', join(dir, 'outputs')]);
    await expect(main(['node', 'wasmrec', 'import', 'two-tower-weights', join(dir, 'outputs', 'towers.safetensors'), '--out', out], io)).rejects.toThrow(/towers\.safetensors: .*tensor 'user_vectors' is not part of the convention/);
    expect(existsSync(out)).toBe(false);
  });
});
