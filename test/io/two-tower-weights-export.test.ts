// A wasmrec-trained two-tower written by the weights convention (twoTowerWeightsFile) and
// read back (readTwoTowerWeights → twoTowerFromWeights) scores every pair as the original
// does — ids without training ratings and unknown ids included — and new users from raw
// features too; an independent reader and forward pass (the example's standard-library
// Python) computes the same scores from the file; what the convention cannot say is refused.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { subset } from '../../src/data/interactions.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { buildModel } from '../../src/models/factory.js';
import type { TwoTower } from '../../src/models/two-tower.js';
import { readModelBytes, serializeModel } from '../../src/io/model-file.js';
import { readTwoTowerWeights } from '../../src/io/two-tower-weights.js';
import { twoTowerWeightsFile } from '../../src/io/two-tower-weights-export.js';
import { twoTowerFromWeights } from '../../src/io/two-tower-weights-model.js';
import type { FeatureSpec } from '../../src/preprocessing/spec.js';
import type { LossName } from '../../src/training/losses.js';

const dataset = generateSynthetic({ nUsers: 60, nItems: 45, nRatings: 900, seed: 11 });
// Users 0..4 and items 0..2 keep no training rating: wasmrec scores them through the unknown id.
const fold = dataset.folds!.u1.train;
const train = subset(fold, Array.from({ length: fold.length }, (_, r) => r).filter((r) => fold.users[r] >= 5 && fold.items[r] >= 3));
const SPEC: FeatureSpec = {
  user: [{ type: 'continuous', column: 'age' }, { type: 'categorical', column: 'gender' }, { type: 'categorical', column: 'occupation' }],
  item: [{ type: 'continuous', column: 'year' }, { type: 'multi', column: 'genres' }],
};

async function trained(options: Record<string, unknown>, spec: FeatureSpec | string = SPEC, loss: LossName = 'mse'): Promise<TwoTower> {
  const be = await createBackend('wasm');
  const { model } = buildModel('two-tower', be, dataset, train, { head: 'dot', idDim: 6, towerLayers: [8, 4], ...options }, spec);
  model.compile({ loss });
  await model.fit(train, { epochs: 2 });
  return model as TwoTower;
}

describe('two-tower weights written by wasmrec and read back', () => {
  it.each([
    ['relu, ratings', { activation: 'relu' }, 'mse'],
    ['tanh, no id embedding', { activation: 'tanh', idDim: 0 }, 'mse'],
    ['bce, implicit', { popularityPrior: 0 }, 'bce'],
  ] as const)('scores as the trained model (%s)', async (_name, options, loss) => {
    const model = await trained(options, SPEC, loss);
    const bytes = twoTowerWeightsFile(model);
    const copy = twoTowerFromWeights(await createBackend('js'), readTwoTowerWeights(bytes));
    // An implicit model stays one: it ranks by logits and predicts no rating.
    expect(copy.implicit).toBe(loss !== 'mse');
    // Raw scores (the copy has no rating scale to clip to) of every user × item, and of the
    // unknown user and item (index n).
    const nu = dataset.userIndex.size;
    const ni = dataset.itemIndex.size;
    const u = Int32Array.from({ length: (nu + 1) * (ni + 1) }, (_, k) => Math.floor(k / (ni + 1)));
    const i = Int32Array.from({ length: (nu + 1) * (ni + 1) }, (_, k) => k % (ni + 1));
    const want = model.predictFeatures(u, i);
    const got = copy.predictFeatures(u, i);
    let worst = 0;
    for (let k = 0; k < want.length; k++) worst = Math.max(worst, Math.abs(got[k] - want[k]));
    expect(worst).toBeLessThan(1e-5);
    // A brand-new user from raw features, against every item.
    const rows = new Int32Array(ni);
    const encode = (m: TwoTower) => ({ features: m.pipeline!.encodeRows('user', [{ age: 33, gender: 'F', occupation: 'writer' }]), rows });
    const all = Int32Array.from({ length: ni }, (_, k) => k);
    const a = model.predictFeatures(encode(model), all);
    const b = copy.predictFeatures(encode(copy), all);
    a.forEach((x, k) => expect(Math.abs(b[k] - x)).toBeLessThan(1e-5));
    // Scores differ across pairs: the comparison above is not of constants.
    expect(new Set(Array.from(want.slice(0, 200), (x) => x.toFixed(4))).size).toBeGreaterThan(50);
    model.dispose();
    copy.dispose();
  });

  it("saved, loaded and written by the convention: Python's own forward pass over the file gives wasmrec's scores", async () => {
    const original = await trained({ activation: 'relu' });
    // From a model file, as `wasmrec train --save` leaves it (pipeline and seen flags restored).
    const { model: loaded } = await readModelBytes(serializeModel(original), await createBackend('js'));
    original.dispose();
    const model = loaded as TwoTower;
    const path = join(mkdtempSync(join(tmpdir(), 'wasmrec-tt-export-')), 'weights.safetensors');
    writeFileSync(path, twoTowerWeightsFile(model));
    // Ids (seen, unseen in training, unknown) and a user known only by raw features.
    const newUser = { age: 41, gender: 'M', occupation: 'engineer' };
    // Indices 0 and 1 had no training ratings (the subset above): their rows are the unknown row.
    const users = [...[0, 1, 20, 33].map((u) => model.indexes.userIndex.ids[u]), 'nobody'];
    const items = [...[0, 1, 10, 30].map((i) => model.indexes.itemIndex.ids[i]), 'nothing'];
    const pairs: [unknown, string][] = [...users.flatMap((u) => items.map((i): [string, string] => [u, i])), ...items.map((i): [unknown, string] => [newUser, i])];
    const script = resolve(__dirname, '../../examples/export-two-tower-weights.py');
    const python = JSON.parse(execFileSync('python3', [script, '--score', path], { input: JSON.stringify(pairs), encoding: 'utf8' })) as number[];
    const ix = (index: { get(id: string): number | undefined }, id: string) => index.get(id) ?? -1;
    const want = model.predictFeatures(
      Int32Array.from(users.flatMap((u) => items.map(() => ix(model.indexes.userIndex, u)))),
      Int32Array.from(users.flatMap(() => items.map((i) => ix(model.indexes.itemIndex, i)))),
    );
    const itemRows = Int32Array.from(items, (i) => ix(model.indexes.itemIndex, i));
    const fresh = model.predictFeatures({ features: model.pipeline!.encodeRows('user', [newUser]), rows: new Int32Array(items.length) }, itemRows);
    [...want, ...fresh].forEach((x, k) => expect(Math.abs(python[k] - x)).toBeLessThan(1e-5));
    model.dispose();
  });

  it('refuses what the convention cannot say', async () => {
    const mlp = await trained({ head: 'mlp' });
    expect(() => twoTowerWeightsFile(mlp)).toThrow(/the convention has the dot head; this model has the 'mlp' head/);
    mlp.dispose();
    const bucket = await trained({}, { user: [{ type: 'bucket', column: 'age', width: 10 }], item: [] });
    expect(() => twoTowerWeightsFile(bucket)).toThrow(/the user feature 'age' is a bucket feature/);
    bucket.dispose();
  });
});
