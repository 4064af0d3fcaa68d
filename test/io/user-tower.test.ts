// The user tower alone (issue 15): on MovieLens 100K (generated data without it) a two-tower
// with user features is trained, its user tower saved and loaded, and the loaded tower must
// give the full model's vectors (new users from raw features, known users by id) and, with the
// exported item vectors, the model's recommendation order; damaged and foreign files fail clearly.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/backends/index.js';
import type { Dataset } from '../../src/data/dataset.js';
import { positivesOf } from '../../src/data/interactions.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { deserializeModel, ModelFileError, serializeModel } from '../../src/io/model-file.js';
import { servingVectors } from '../../src/io/model-vectors.js';
import { loadDataset } from '../../src/io/node/load.js';
import { loadUserTower, serializeUserTower } from '../../src/io/user-tower-file.js';
import { buildModel } from '../../src/models/factory.js';
import { topK } from '../../src/models/topk.js';
import type { TwoTower } from '../../src/models/two-tower.js';
import type { RawRow } from '../../src/preprocessing/derive.js';
import { ML100K_DIR, HAVE_ML100K } from '../data/datadir.js';

const TOL = 1e-6;

function expectClose(a: Float32Array, b: Float32Array): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]));
  expect(worst).toBeLessThan(TOL);
}

/** The k best items by [u | 1] · [v_i | b_i], `exclude` left out: what a vector index returns. */
function indexTopK(u: Float32Array, items: Float32Array, dim: number, k: number, exclude: ArrayLike<number>): string[] {
  const nItems = items.length / dim;
  const scores = new Float32Array(nItems);
  for (let i = 0; i < nItems; i++) {
    let s = items[i * dim + dim - 1];
    for (let c = 0; c < dim - 1; c++) s += u[c] * items[i * dim + c];
    scores[i] = s;
  }
  const mask = new Uint8Array(nItems);
  for (let j = 0; j < exclude.length; j++) mask[exclude[j]] = 1;
  return Array.from(topK(scores, k, mask).indices, (i) => ids[i]);
}

let ids: string[] = [];
let dataset: Dataset;
let backend: Backend;
let model: TwoTower;
let bytes: Uint8Array;
let modelBytes: Uint8Array;

beforeAll(async () => {
  dataset = HAVE_ML100K ? await loadDataset(ML100K_DIR) : generateSynthetic({ nUsers: 300, nItems: 200, nRatings: 12000, seed: 15 });
  const train = dataset.folds!.u1.train;
  backend = await createBackend('wasm');
  ({ model } = buildModel('two-tower', backend, dataset, train, { head: 'dot', towerLayers: [32] }) as unknown as { model: TwoTower });
  model.compile({ loss: 'bce' });
  await model.fit(positivesOf(train, 4), { epochs: 3, seed: 15 });
  ids = model.indexes.itemIndex.ids;
  bytes = serializeUserTower(model);
  modelBytes = serializeModel(model);
  console.log(`user tower ${bytes.length} bytes, model file ${modelBytes.length} bytes (${HAVE_ML100K ? 'MovieLens 100K' : 'generated data'})`);
}, 120_000);

describe('the user tower alone', () => {
  it('is a fraction of the model file and holds no item table', () => {
    expect(bytes.length).toBeLessThan(modelBytes.length / 2);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true)))));
    const names = Object.keys(header).filter((n) => n !== '__metadata__');
    expect(names.filter((n) => /item/.test(n))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['model/user/id', 'model/user_tower/dense0/W', 'model/user_tower/dense0/b', 'model/user_bias', 'model/user_seen', 'features/0/user/continuous']));
    expect(header.__metadata__).toMatchObject({ format: 'wasmrec-user-tower', format_version: '1', kind: 'user-tower', model_kind: 'two-tower' });
  });

  it('opens in an independent safetensors reader (Python, standard library) under the names docs/model-file.md lists', () => {
    const doc = readFileSync(new URL('../../docs/model-file.md', import.meta.url), 'utf8');
    const table = doc.slice(doc.indexOf('## The user tower alone'), doc.indexOf('## Importing tower outputs'));
    const documented = [...table.matchAll(/^\| (`[^|]+`) \|/gm)].flatMap((row) => [...row[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]));
    const patterns = documented.map((n) => new RegExp(`^${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/<[a-z]+>/g, '[^/]+').replace(/…/g, '.+')}$`));
    expect(patterns.length).toBeGreaterThan(5);
    const path = join(mkdtempSync(join(tmpdir(), 'wasmrec-tower-')), 'tower.safetensors');
    writeFileSync(path, bytes);
    const py = JSON.parse(execFileSync('python3', [new URL('../../scripts/read-model.py', import.meta.url).pathname, path], { encoding: 'utf8', maxBuffer: 1 << 28 }));
    expect(py.checksum_ok).toBe(true);
    expect(py.manifest.kind).toBe('user-tower');
    for (const name of Object.keys(py.tensors)) expect(patterns.some((p) => p.test(name)), `${name} is not documented`).toBe(true);
    const u = 9;
    const row = Array.from(model.dotServingVectors('user', Int32Array.of(u)).bias);
    expect(py.tensors['model/user_bias'].values[u]).toBeCloseTo(row[0], 6);
    expect(py.tensors['model/user/id'].shape).toEqual([model.nUsers + 1, 24]);
  });

  it.each(['wasm', 'js'] as const)("encode and encodeUser give the full model's cold-user and known-user vectors (tower on %s)", async (where) => {
    const tower = loadUserTower(bytes, where === 'wasm' ? { backend: await createBackend('wasm') } : {});
    expect(tower.dim).toBe(32);
    expect(tower.featureColumns.length).toBeGreaterThan(0);
    const pipeline = model.pipeline!;
    for (const u of [0, 5, 100, 250]) {
      const id = model.indexes.userIndex.ids[u];
      const known = model.dotServingVectors('user', Int32Array.of(u));
      expectClose(tower.encodeUser(id), known.vectors);
      expect(tower.userBias(id)).toBeCloseTo(known.bias[0], 6);
      const row = pipeline.rawRow('user', id)!;
      const cold = model.dotServingVectors('user', { features: pipeline.encodeRows('user', [row]), rows: Int32Array.of(0) });
      expectClose(tower.encode(row), cold.vectors);
      expect(tower.userBias()).toBeCloseTo(cold.bias[0], 6);
    }
    tower.dispose();
  });

  it('unknown feature values are read as the full model reads them; a missing feature is an error', () => {
    const tower = loadUserTower(bytes);
    const pipeline = model.pipeline!;
    const odd: RawRow = Object.fromEntries(tower.featureColumns.map((c, k) => [c, k % 2 === 0 ? null : 'never-seen-value']));
    const cold = model.dotServingVectors('user', { features: pipeline.encodeRows('user', [odd]), rows: Int32Array.of(0) });
    expectClose(tower.encode({ ...odd, an_extra_column: 'ignored' }), cold.vectors);
    const [first, ...rest] = tower.featureColumns;
    expect(() => tower.encode(Object.fromEntries(rest.map((c) => [c, null])))).toThrow(new RegExp(`missing feature '${first}'; the user tower reads ${tower.featureColumns.join(', ')} \\(give null for an unknown value\\)`));
    expect(() => tower.encode({ ...odd, [first]: { nested: true } })).toThrow(`encode: feature '${first}' must be a number, a string, a list of strings or null`);
    expect(() => tower.encodeUser('no-such-user')).toThrow(/user 'no-such-user' is not in the user tower .*encode\(\)/);
  });

  it("dot products with the exported item vectors give the model's recommendation order", () => {
    const tower = loadUserTower(bytes);
    const items = servingVectors(model, 'items');
    for (const u of [0, 17, 42, 200]) {
      const id = model.indexes.userIndex.ids[u];
      const want = model.recommend(id, 10, { minSupport: 0 }).map((r) => r.item);
      expect(indexTopK(tower.encodeUser(id), items.vectors, items.dim, 10, model.seenItems(u))).toEqual(want);
    }
    const row = model.pipeline!.rawRow('user', model.indexes.userIndex.ids[7])!;
    const want = model.recommendForFeatures(row, 10, { minSupport: 0 }).map((r) => r.item);
    expect(indexTopK(tower.encode(row), items.vectors, items.dim, 10, [])).toEqual(want);
  });

  it('damaged and foreign files fail before anything is built, naming the cause', async () => {
    expect(() => loadUserTower(bytes.subarray(0, bytes.length - 100))).toThrow(ModelFileError);
    expect(() => loadUserTower(bytes.subarray(0, bytes.length - 100))).toThrow(/user tower file: (truncated|trailing bytes|damaged)/);
    expect(() => loadUserTower(bytes.subarray(0, 20))).toThrow(/user tower file: truncated or damaged/);
    expect(() => loadUserTower(modelBytes, { source: 'm.wasmrec' })).toThrow('m.wasmrec: a wasmrec model file, not a user tower: write one with `wasmrec export --what user-tower` or serializeUserTower(model)');
    const flipped = bytes.slice();
    flipped[flipped.length - 3] ^= 0x40;
    expect(() => loadUserTower(flipped)).toThrow(/checksum mismatch/);
    expect(() => loadUserTower(new TextEncoder().encode('user,age\n1,20\n'))).toThrow(/not a user tower file/);
    await expect(deserializeModel(bytes, backend)).rejects.toThrow(/a user tower \(wasmrec export --what user-tower\), not a model: load it with loadUserTower/);
  });
});

describe('heads and kinds without a user vector', () => {
  const small = generateSynthetic({ nUsers: 40, nItems: 30, nRatings: 500, seed: 3 });
  const train = small.folds!.u1.train;

  it.each(['mlp', 'both'] as const)('the %s head is refused, naming the head', async (head) => {
    const { model: m } = buildModel('two-tower', await createBackend('js'), small, train, { head, towerLayers: [4], maxBatch: 64 });
    await m.fit(train, { epochs: 1, batchSize: 64 });
    expect(() => serializeUserTower(m)).toThrow(`serializeUserTower: the two-tower's '${head}' head scores each (user, item) pair through an MLP`);
  });

  it('other kinds and untrained models are refused', async () => {
    const { model: mf } = buildModel('mf', await createBackend('js'), small, train, {});
    await mf.fit(train, { epochs: 1 });
    expect(() => serializeUserTower(mf)).toThrow("serializeUserTower: a 'mf' model has no user tower to serve alone (two-tower models with the 'dot' head do)");
    const { model: fresh } = buildModel('two-tower', await createBackend('js'), small, train, { head: 'dot' });
    expect(() => serializeUserTower(fresh)).toThrow(/not trained yet/);
  });
});
