// `wasmrec export --what user-tower`, run as installed (bin/wasmrec.js → dist/): the file it
// writes loads with loadUserTower and, with `--what item-vectors`, ranks as the model does;
// the vector-table options that do not apply to it are refused with the reason.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { positivesOf } from '../../src/data/interactions.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { loadDataset } from '../../src/io/node/load.js';
import { saveModel } from '../../src/io/node/model-file.js';
import { loadUserTower } from '../../src/io/user-tower-file.js';
import { buildModel } from '../../src/models/factory.js';
import type { Recommender } from '../../src/models/recommender.js';
import { topK } from '../../src/models/topk.js';
import type { TwoTower } from '../../src/models/two-tower.js';
import { HAVE_ML100K, ML100K_DIR } from '../data/datadir.js';
import { requireFreshDist } from '../fresh-dist.js';

const BIN = fileURLToPath(new URL('../../bin/wasmrec.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'wasmrec-export-tower-'));
const towerFile = join(dir, 'model.wasmrec');
const mfFile = join(dir, 'mf.wasmrec');
let model: TwoTower;

function cli(args: string[]) {
  return promisify(execFile)(process.execPath, [BIN, 'export', ...args], { maxBuffer: 64 * 2 ** 20 });
}

/** A little-endian f32 .npy's shape and values (read by the format's rules). */
function readNpy(path: string): { shape: number[]; values: Float32Array } {
  const b = readFileSync(path);
  const headerLength = b.readUInt16LE(8);
  const header = b.subarray(10, 10 + headerLength).toString('latin1');
  const shape = /'shape': \(([^)]*)\)/.exec(header)![1].split(',').filter((s) => s.trim()).map(Number);
  return { shape, values: new Float32Array(new Uint8Array(b.subarray(10 + headerLength)).buffer) };
}

beforeAll(async () => {
  requireFreshDist();
  const dataset = HAVE_ML100K ? await loadDataset(ML100K_DIR) : generateSynthetic({ nUsers: 300, nItems: 200, nRatings: 12000, seed: 15 });
  const train = dataset.folds!.u1.train;
  const be = await createBackend('wasm');
  model = buildModel('two-tower', be, dataset, train, { head: 'dot', towerLayers: [16] }).model as unknown as TwoTower;
  model.compile({ loss: 'bce' });
  await model.fit(positivesOf(train, 4), { epochs: 2, seed: 5 });
  await saveModel(towerFile, model);
  const mf: Recommender = buildModel('mf', be, dataset, train, {}).model;
  await mf.fit(train, { epochs: 1 });
  await saveModel(mfFile, mf);
}, 180_000);

describe('wasmrec export --what user-tower', () => {
  it('writes a file a fraction of the model file that serves the model ranking with the exported item vectors', async () => {
    const out = join(dir, 'tower.safetensors');
    const { stdout, stderr } = await cli(['--model-file', towerFile, '--what', 'user-tower', '--out', out, '--json', '--backend', 'js']);
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({ what: 'user-tower', format: 'safetensors', dtype: 'f32', rows: model.nUsers, dim: 16, out });
    expect(summary.bytes).toBe(readFileSync(out).length);
    expect(summary.bytes).toBeLessThan(summary.model_bytes / 2);
    expect(stderr).toMatch(/two-tower: the user tower of \d+ users \(\d+ bytes; the model file has \d+\)/);
    console.log(`user tower ${summary.bytes} bytes, model file ${summary.model_bytes} bytes`);

    await cli(['--model-file', towerFile, '--what', 'item-vectors', '--format', 'npy', '--out', join(dir, 'items.npy')]);
    const items = readNpy(join(dir, 'items.npy'));
    expect(items.shape).toEqual([model.nItems, 17]);
    const ids = readFileSync(join(dir, 'items.ids.txt'), 'utf8').trim().split('\n');
    const tower = loadUserTower(new Uint8Array(readFileSync(out)));
    for (const u of [1, 30, 300]) {
      const id = model.indexes.userIndex.ids[u];
      const q = tower.encodeUser(id);
      const scores = new Float32Array(model.nItems);
      for (let i = 0; i < model.nItems; i++) {
        let s = items.values[i * 17 + 16];
        for (let c = 0; c < 16; c++) s += q[c] * items.values[i * 17 + c];
        scores[i] = s;
      }
      const mask = new Uint8Array(model.nItems);
      for (const i of model.seenItems(u)) mask[i] = 1;
      const got = Array.from(topK(scores, 10, mask).indices, (i) => ids[i]);
      expect(got).toEqual(model.recommend(id, 10, { minSupport: 0 }).map((r) => r.item));
    }
  });

  it.each([
    [['--format', 'npy'], '--format npy applies to --what item-vectors and user-vectors; --what user-tower writes one safetensors file (f32, the tower\'s own layers), so leave --format out'],
    [['--quantize', 'int8'], '--quantize int8 applies to --what item-vectors and user-vectors'],
    [['--no-bias'], '--no-bias applies to --what item-vectors and user-vectors'],
  ])('refuses %j, saying why', async (extra, message) => {
    await expect(cli(['--model-file', towerFile, '--what', 'user-tower', '--out', join(dir, 'x.safetensors'), ...extra])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining(message) });
  });

  it('needs --out, refuses models without a user tower, and vectors still need --format', async () => {
    await expect(cli(['--model-file', towerFile, '--what', 'user-tower'])).rejects.toMatchObject({ stderr: expect.stringContaining('--what user-tower writes binary: give --out FILE') });
    await expect(cli(['--model-file', mfFile, '--what', 'user-tower', '--out', join(dir, 'y.safetensors')])).rejects.toMatchObject({
      stderr: expect.stringContaining("serializeUserTower: a 'mf' model has no user tower to serve alone (two-tower models with the 'dot' head do); export its user vectors instead"),
    });
    await expect(cli(['--model-file', towerFile, '--what', 'item-vectors'])).rejects.toMatchObject({ stderr: expect.stringContaining('--what item-vectors needs --format (npy | parquet | jsonl | csv)') });
  });
});
