// Runs inside the edge vm context (see vm-runner.mjs): a small two-tower (dot head) trained on
// generated data, its user tower saved and loaded with no Node global, and the loaded tower's
// vectors compared with the model's.

import wasm from '../../build/wasmrec.simd.wasm';
import { buildModel, createBackend, generateSynthetic, loadUserTower, serializeUserTower } from 'wasmrec';

const dataset = generateSynthetic({ nUsers: 120, nItems: 80, nRatings: 3000, seed: 5 });
const { train } = dataset.folds.u1;
const backend = await createBackend('wasm', { wasm, flavor: 'simd' });
const { model } = buildModel('two-tower', backend, dataset, train, { head: 'dot', towerLayers: [8], maxBatch: 256 });
await model.fit(train, { epochs: 2, batchSize: 256, seed: 5 });
const bytes = serializeUserTower(model);
const tower = loadUserTower(bytes);
const id = dataset.userIndex.ids[7];
const row = model.pipeline.rawRow('user', id);
const cold = model.dotServingVectors('user', { features: model.pipeline.encodeRows('user', [row]), rows: Int32Array.of(0) }).vectors;
const known = model.dotServingVectors('user', Int32Array.of(model.indexes.userIndex.get(id))).vectors;
const diff = (a, b) => Math.max(...Array.from(a, (x, k) => Math.abs(x - b[k])));

globalThis.report = {
  bufferType: typeof globalThis.Buffer,
  bytes: bytes.length,
  dim: tower.dim,
  coldDiff: diff(tower.encode(row), cold),
  knownDiff: diff(tower.encodeUser(id), known),
};
