// `wasmrec export`: serving vectors whose inner products rank as the model, in every format
// and dtype, read back by independent readers (hyparquet, a hand-written .npy reader); the
// recall@10 cost of f16 and int8 item tables on MovieLens 100K; clear errors for models that
// do not score by a dot product.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { positivesOf } from '../../src/data/interactions.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { saveModel } from '../../src/io/node/model-file.js';
import { loadDataset } from '../../src/io/node/load.js';
import { servingVectors } from '../../src/io/model-vectors.js';
import { dequantizeTable, quantizeTable } from '../../src/io/vector-quantize.js';
import { buildModel } from '../../src/models/factory.js';
import type { Recommender } from '../../src/models/recommender.js';
import { topK } from '../../src/models/topk.js';
import { DATA_DIR, HAVE_ML100K } from '../data/datadir.js';

const dir = mkdtempSync(join(tmpdir(), 'wasmrec-export-'));

async function run(args: string[]) {
  const io = memoryIO();
  await main(['node', 'wasmrec', 'export', ...args], io);
  return io;
}

/** A .npy's shape, dtype and values as numbers (read by the format's rules, not by wasmrec). */
function readNpy(path: string): { shape: number[]; descr: string; values: number[] } {
  const b = readFileSync(path);
  const headerLength = b.readUInt16LE(8);
  const header = b.subarray(10, 10 + headerLength).toString('latin1');
  const descr = /'descr': '([^']+)'/.exec(header)![1];
  const shape = /'shape': \(([^)]*)\)/.exec(header)![1].split(',').filter((s) => s.trim()).map(Number);
  const data = b.subarray(10 + headerLength);
  const copy = new Uint8Array(data);
  const values = descr === '<f4' ? Array.from(new Float32Array(copy.buffer)) : descr === '|i1' ? Array.from(new Int8Array(copy.buffer)) : Array.from(new Uint16Array(copy.buffer));
  return { shape, descr, values };
}

/** Recall@10 of the test positives (rating ≥ 4) when items are ranked by user · item rows, training items excluded. */
function recallAt10(model: Recommender, users: Float32Array, items: Float32Array, dim: number, positives: Map<number, Set<number>>): number {
  let sum = 0;
  const scores = new Float32Array(model.nItems);
  for (const [u, pos] of positives) {
    for (let i = 0; i < model.nItems; i++) {
      let s = 0;
      for (let c = 0; c < dim; c++) s += users[u * dim + c] * items[i * dim + c];
      scores[i] = s;
    }
    const mask = new Uint8Array(model.nItems);
    for (const i of model.seenItems(u)) mask[i] = 1;
    const top = topK(scores, 10, mask).indices;
    sum += Array.from(top).filter((i) => pos.has(i)).length / pos.size;
  }
  return sum / positives.size;
}

describe.skipIf(!HAVE_ML100K)('wasmrec export on MovieLens 100K (MF, BPR)', () => {
  let model: Recommender;
  const file = join(dir, 'mf.wasmrec');
  const positives = new Map<number, Set<number>>();

  beforeAll(async () => {
    const dataset = await loadDataset(join(DATA_DIR, 'ml-100k'));
    const { train, test } = dataset.folds!.u1;
    ({ model } = buildModel('mf', await createBackend('wasm'), dataset, train, {}));
    model.compile({ loss: 'bpr' });
    await model.fit(positivesOf(train, 4));
    await saveModel(file, model);
    for (let r = 0; r < test.length; r++) {
      if (test.ratings[r] < 4) continue;
      const u = test.users[r];
      if (!positives.has(u)) positives.set(u, new Set());
      positives.get(u)!.add(test.items[r]);
    }
  }, 120_000);

  it('inner products of the exported rows are the model score less μ + b_u; npy, parquet, jsonl and csv agree', async () => {
    const io = await run(['--model-file', file, '--what', 'item-vectors', '--format', 'npy', '--out', join(dir, 'items.npy'), '--json']);
    const summary = JSON.parse(io.stdout.at(-1)!);
    expect(summary).toMatchObject({ rows: model.nItems, dim: 65, dtype: 'f32', bias_column: true, ids: join(dir, 'items.ids.txt') });
    await run(['--model-file', file, '--what', 'user-vectors', '--format', 'npy', '--out', join(dir, 'users.npy')]);
    const items = readNpy(join(dir, 'items.npy'));
    const users = readNpy(join(dir, 'users.npy'));
    expect(items.shape).toEqual([model.nItems, 65]);
    expect(readFileSync(join(dir, 'items.ids.txt'), 'utf8').trim().split('\n')).toEqual(model.indexes.itemIndex.ids);
    const us = Int32Array.from({ length: 50 }, (_, k) => k * 17);
    const scores = model.scoreItems(us);
    for (const [k, u] of us.entries()) {
      const offset = scores[k * model.nItems] - dot(users.values, items.values, u, 0, 65);
      for (const i of [1, 50, 400, 1600]) expect(dot(users.values, items.values, u, i, 65) + offset).toBeCloseTo(scores[k * model.nItems + i], 4);
    }
    await run(['--model-file', file, '--what', 'item-vectors', '--format', 'parquet', '--out', join(dir, 'items.parquet')]);
    const rows = await parquetReadObjects({ file: new Uint8Array(readFileSync(join(dir, 'items.parquet'))).buffer });
    expect(rows.map((r) => r.id)).toEqual(model.indexes.itemIndex.ids);
    expect(rows[7].vector).toEqual(items.values.slice(7 * 65, 8 * 65));
    const jsonl = (await run(['--model-file', file, '--what', 'item-vectors', '--format', 'jsonl'])).stdout.join('\n').split('\n').map((l) => JSON.parse(l));
    // Nine significant digits read back as the same float32.
    expect(jsonl[7].id).toBe(model.indexes.itemIndex.ids[7]);
    expect(jsonl[7].vector.map(Math.fround)).toEqual(items.values.slice(7 * 65, 8 * 65));
    await run(['--model-file', file, '--what', 'item-vectors', '--format', 'csv', '--out', join(dir, 'items.csv'), '--no-bias']);
    const csv = readFileSync(join(dir, 'items.csv'), 'utf8').trim().split('\n');
    expect(csv[0].split(',')).toHaveLength(65);
    expect(csv[8].split(',').slice(1).map((x) => Math.fround(Number(x)))).toEqual(items.values.slice(7 * 65, 7 * 65 + 64));
  });

  it('f16 and int8 item tables: files as written, and their recall@10 cost against f32', async () => {
    await run(['--model-file', file, '--what', 'item-vectors', '--format', 'npy', '--quantize', 'int8', '--out', join(dir, 'items8.npy')]);
    const q = readNpy(join(dir, 'items8.npy'));
    const scales = readNpy(join(dir, 'items8.scales.npy'));
    expect([q.descr, scales.descr, scales.shape]).toEqual(['|i1', '<f4', [model.nItems, 1]]);
    await run(['--model-file', file, '--what', 'item-vectors', '--format', 'parquet', '--quantize', 'f16', '--out', join(dir, 'items16.parquet')]);
    const half = await parquetReadObjects({ file: new Uint8Array(readFileSync(join(dir, 'items16.parquet'))).buffer });
    const u = servingVectors(model, 'users');
    const v = servingVectors(model, 'items');
    const f16 = dequantizeTable(quantizeTable(v.ids, v.vectors, v.dim, 'f16'));
    expect(half[3].vector).toEqual(Array.from(f16.subarray(3 * v.dim, 4 * v.dim)));
    const int8 = dequantizeTable(quantizeTable(v.ids, v.vectors, v.dim, 'int8'));
    expect(q.values.slice(0, v.dim).map((x) => Math.fround(x * scales.values[0]))).toEqual(Array.from(int8.subarray(0, v.dim)));
    const recall = {
      f32: recallAt10(model, u.vectors, v.vectors, v.dim, positives),
      f16: recallAt10(model, u.vectors, f16, v.dim, positives),
      int8: recallAt10(model, u.vectors, int8, v.dim, positives),
    };
    console.log(`recall@10 on u1 (${positives.size} users): ${JSON.stringify(recall)}`);
    expect(recall.f32).toBeGreaterThan(0.15);
    expect(Math.abs(recall.f16 - recall.f32)).toBeLessThan(0.002);
    expect(recall.f32 - recall.int8).toBeLessThan(0.01);
  });
});

function dot(a: number[], b: number[], r: number, s: number, dim: number): number {
  let sum = 0;
  for (let c = 0; c < dim; c++) sum += a[r * dim + c] * b[s * dim + c];
  return sum;
}

describe('wasmrec export: two-tower heads', () => {
  const dataset = generateSynthetic({ nUsers: 60, nItems: 50, nRatings: 1500, seed: 4 });
  const train = dataset.folds!.u1.train;

  it('the dot head exports its towers; mlp and both heads and other kinds fail naming what can be exported', async () => {
    const be = await createBackend('js');
    for (const head of ['dot', 'mlp'] as const) {
      const { model } = buildModel('two-tower', be, dataset, train, { head, towerLayers: [8], maxBatch: 64 });
      await model.fit(train, { epochs: 1, batchSize: 64 });
      await saveModel(join(dir, `tt-${head}.wasmrec`), model);
      if (head === 'dot') {
        const v = servingVectors(model, 'items');
        const u = servingVectors(model, 'users');
        const scores = model.scoreItems(Int32Array.of(3));
        const offset = scores[0] - dot(Array.from(u.vectors), Array.from(v.vectors), 3, 0, v.dim);
        for (let i = 0; i < model.nItems; i += 7) expect(dot(Array.from(u.vectors), Array.from(v.vectors), 3, i, v.dim) + offset).toBeCloseTo(scores[i], 4);
      }
    }
    const io = await run(['--model-file', join(dir, 'tt-dot.wasmrec'), '--what', 'item-vectors', '--format', 'jsonl', '--backend', 'js']);
    expect(io.stdout.join('\n').split('\n')).toHaveLength(dataset.itemIndex.size);
    await expect(run(['--model-file', join(dir, 'tt-mlp.wasmrec'), '--what', 'item-vectors', '--format', 'jsonl', '--backend', 'js'])).rejects.toThrow(/two-tower with the 'mlp' head scores pairs through an MLP; vectors can be exported from mf, svdpp, lightgcn, the sequence models \(youtube, sequence-two-tower, gru4rec, sasrec\) and two-tower models with the dot head/);
    await expect(run(['--model-file', join(dir, 'tt-dot.wasmrec'), '--what', 'item-vectors', '--format', 'npy'])).rejects.toThrow(/--format npy writes binary: give --out FILE/);
  });
});
