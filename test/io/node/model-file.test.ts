// Saving to disk is whole or nothing; loading reads the file back on the asked backend.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../src/backends/index.js';
import { generateSynthetic } from '../../../src/data/synthetic.js';
import { buildModel } from '../../../src/models/factory.js';
import { loadModel, loadModelFile, saveModel } from '../../../src/io/node/model-file.js';

const dataset = generateSynthetic({ nUsers: 80, nItems: 90, nRatings: 2000, seed: 4 });
const train = dataset.folds!.u1.train;

describe('saveModel / loadModel', () => {
  it('round-trips through a file', async () => {
    const be = await createBackend('js');
    const { model } = buildModel('two-tower', be, dataset, train, { towerLayers: [4], headLayers: [4] });
    await model.fit(train, { epochs: 1 });
    const dir = mkdtempSync(join(tmpdir(), 'wasmrec-save-'));
    const path = join(dir, 'model.wasmrec');
    await saveModel(path, model, { info: { data: 'synthetic' } });
    expect(readdirSync(dir)).toEqual(['model.wasmrec']);
    const loaded = await loadModelFile(path, be);
    expect(loaded.info).toEqual({ data: 'synthetic' });
    expect(loaded.model.predict(dataset.folds!.u1.test)).toEqual(model.predict(dataset.folds!.u1.test));
    // Default backend: wasm.
    expect((await loadModel(path)).backend.name).toBe('wasm');
  });

  it('leaves no partial file and keeps the old one when the write fails mid-way', async () => {
    const be = await createBackend('js');
    const { model } = buildModel('mf', be, dataset, train, { factors: 4 });
    await model.fit(train, { epochs: 1 });
    const dir = mkdtempSync(join(tmpdir(), 'wasmrec-atomic-'));
    // The bytes reach the temporary file, then the rename fails: the target is a non-empty folder.
    const target = join(dir, 'taken');
    mkdirSync(target);
    writeFileSync(join(target, 'keep.txt'), 'old');
    await expect(saveModel(target, model)).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(readFileSync(join(target, 'keep.txt'), 'utf8')).toBe('old');
    // A folder that does not exist: nothing is created anywhere.
    // The message names the path asked for, not the hidden temporary file.
    const missing = join(dir, 'missing', 'm.wasmrec');
    await expect(saveModel(missing, model)).rejects.toThrow(`cannot write ${missing}: no such file or directory`);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });

  it('names the file when it is not a model file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasmrec-bad-'));
    const path = join(dir, 'ratings.csv');
    writeFileSync(path, 'user,item,rating\n1,2,3\n');
    await expect(loadModel(path, await createBackend('js'))).rejects.toThrow(`${path}: not a wasmrec model file`);
  });
});
