// Model files: every model kind round-trips bit for bit on both backends; damaged, truncated
// and foreign files, and malformed safetensors layouts, fail with a clear error.
import { describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/backends/index.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { makeSplit } from '../../src/data/splits.js';
import { buildModel, usesFeatures, type ModelKind, type ModelOptions } from '../../src/models/factory.js';
import type { Recommender } from '../../src/models/recommender.js';
import type { LossName } from '../../src/training/losses.js';
import { deserializeModel, itemTitlesOf, ModelFileError, readModelBytes, serializeModel } from '../../src/io/model-file.js';
import { readSpec, writeSpec, type SpecTensor } from './model-file-edit.js';

const dataset = generateSynthetic({ nUsers: 120, nItems: 150, nRatings: 4000, seed: 3 });
const { train, test } = makeSplit(dataset, { kind: 'random', testFraction: 0.2, seed: 1 });

const CASES: [string, ModelKind, ModelOptions, LossName?][] = [
  ['global mean', 'mean', {}],
  ['user mean', 'user-mean', { minCount: 3 }],
  ['item mean', 'item-mean', {}],
  ['mf', 'mf', { factors: 8 }],
  ['linear', 'linear', { factors: 4 }],
  ['linear without factors', 'linear', { factors: 0 }],
  ['two-tower dot', 'two-tower', { head: 'dot', towerLayers: [8] }],
  ['two-tower mlp', 'two-tower', { head: 'mlp', towerLayers: [8], headLayers: [8] }],
  ['two-tower both, featureDim as a function', 'two-tower', { head: 'both', towerLayers: [8], headLayers: [4], featureDim: (name, card) => (name.length % 2) + Math.min(card, 3) }],
  ['ensemble', 'ensemble', {}],
  // Implicit feedback: the loss is saved, since the prior needs it to be built.
  ['two-tower bce with a popularity prior', 'two-tower', { head: 'dot', towerLayers: [8], popularityPrior: 1 }, 'bce'],
  ['mf bpr', 'mf', { factors: 4 }, 'bpr'],
  ['mf-features', 'mf-features', { towerLayers: [6] }],
];

async function trained(be: Backend, kind: ModelKind, options: ModelOptions, loss?: LossName): Promise<Recommender> {
  const { model } = buildModel(kind, be, dataset, train, { ...(usesFeatures(kind) && kind !== "ensemble" ? { maxBatch: 128 } : {}), ...options } as ModelOptions);
  if (loss) model.compile({ loss });
  await model.fit(train, { epochs: 2, batchSize: kind === 'mf' ? 1 : 128, seed: 5 });
  return model;
}

/** Everything a loaded model is asked in serving: pairs, unknown ids, all-items scores, cold start. */
function outputs(m: Recommender) {
  const ids = dataset.userIndex.ids;
  return {
    test: m.predict(test),
    unknown: m.predictIds([ids[0], 'nobody', 'nobody'], ['no-such-item', dataset.itemIndex.ids[3], 'no-such-item']),
    all: m.scoreItems(Int32Array.of(0, 5, -1)),
    cold: m.scoreItemsForFeatures({ age: 30, gender: 'F', occupation: 'writer' }),
    recommend: m.recommendIndices(2, 5, { minSupport: 0 }),
    byId: m.recommend(dataset.userIndex.ids[2], 5),
  };
}

describe.each(['wasm', 'js'] as const)('model files on the %s backend', (backendName) => {
  it.each(CASES)('%s: the loaded model predicts bit for bit what the saved one did', async (_name, kind, options, loss) => {
    const be = await createBackend(backendName);
    const model = await trained(be, kind, options, loss);
    const before = outputs(model);
    const bytes = serializeModel(model, { itemTitles: itemTitlesOf(dataset), info: { note: 'test' } });
    model.dispose();
    // A Node Buffer view at an odd offset, as readFile may hand out.
    const shifted = new Uint8Array(bytes.length + 1).fill(7);
    shifted.set(bytes, 1);
    const loaded = await readModelBytes(shifted.subarray(1), be);
    expect(loaded.model.kind).toBe(model.kind);
    expect(loaded.info).toEqual({ note: 'test' });
    expect(loaded.itemTitles?.[dataset.itemIndex.ids[0]]).toMatch(/^Synthetic Movie/);
    const after = outputs(loaded.model);
    expect(after.test).toEqual(before.test);
    expect(after.unknown).toEqual(before.unknown);
    expect(after.all).toEqual(before.all);
    expect(after.cold).toEqual(before.cold);
    expect(after.recommend).toEqual(before.recommend);
    expect(after.byId).toEqual(before.byId);
    expect(Array.from(after.test).every(Number.isFinite)).toBe(true);
    // The seen items survive too: recommend excludes user 2's training items after loading.
    expect(Array.from(loaded.model.seenItems(2))).toEqual(Array.from(loaded.model.seenItems(2)).filter((i) => !after.recommend.indices.includes(i)));
    expect(loaded.model.seenItems(2).length).toBeGreaterThan(0);
    loaded.model.dispose();
  });
});

describe('model file validation', () => {
  let bytes: Uint8Array;
  let be: Backend;
  it('a saved MF loads on the other backend with predictions within 1e-5', async () => {
    be = await createBackend('js');
    const model = await trained(be, 'mf', { factors: 8 });
    bytes = serializeModel(model);
    const copy = await deserializeModel(bytes, await createBackend('wasm'));
    const [a, b] = [model.predict(test), copy.predict(test)];
    for (let r = 0; r < a.length; r++) expect(Math.abs(a[r] - b[r])).toBeLessThan(1e-5);
  });

  it('rejects a truncated file, naming what is missing', async () => {
    for (const cut of [bytes.length - 1, bytes.length - 100, Math.floor(bytes.length / 2), 30, 9, 5, 0]) {
      const err = await deserializeModel(bytes.subarray(0, cut), be).catch((e) => e);
      expect(err).toBeInstanceOf(ModelFileError);
      expect(err.message).toMatch(cut < 9 ? /^model file: not a wasmrec model file/ : /^model file: truncated/);
    }
  });

  it('rejects a foreign file, a damaged byte, trailing bytes and a newer format', async () => {
    await expect(deserializeModel(new TextEncoder().encode('user,item\n1,2\n'.repeat(10)), be)).rejects.toThrow(/not a wasmrec model file \(neither a safetensors file nor/);
    const flipped = bytes.slice();
    flipped[bytes.length - 5] ^= 0x10;
    await expect(deserializeModel(flipped, be)).rejects.toThrow(/damaged: checksum mismatch/);
    const longer = new Uint8Array(bytes.length + 8);
    longer.set(bytes);
    await expect(deserializeModel(longer, be)).rejects.toThrow(/trailing bytes: 8 after the last tensor/);
    const newer = readSpec(bytes);
    newer.header.__metadata__.format_version = '3';
    await expect(deserializeModel(writeSpec(newer), be)).rejects.toThrow(/written by a newer wasmrec \(wasmrec [0-9.]+, model format 3\); this wasmrec [0-9.]+ reads formats 1 and 2/);
    // A safetensors file of someone else's model.
    const other = readSpec(bytes);
    other.header.__metadata__ = { format: 'pt' };
    await expect(deserializeModel(writeSpec(other, false), be)).rejects.toThrow(/a safetensors file but not a wasmrec model/);
    await expect(deserializeModel(flipped, be)).rejects.toBeInstanceOf(ModelFileError);
  });

  it('rejects overlapping, gapped, oversized and mis-sized tensor ranges before reading them', async () => {
    const withEntry = (edit: (entries: [string, SpecTensor][]) => void) => {
      const f = readSpec(bytes);
      edit(Object.entries(f.header).filter(([k]) => k !== '__metadata__') as [string, SpecTensor][]);
      return writeSpec(f);
    };
    const sorted = (e: [string, SpecTensor][]) => e.sort(([, a], [, b]) => a.data_offsets[0] - b.data_offsets[0]);
    await expect(deserializeModel(withEntry((e) => (sorted(e)[1][1].data_offsets[0] -= 4)), be)).rejects.toThrow(/tensor '.*' has shape .* but \d+ bytes|overlap/);
    await expect(deserializeModel(withEntry((e) => { const [, t] = sorted(e)[1]; t.data_offsets = [t.data_offsets[0] - 4, t.data_offsets[1] - 4]; }), be)).rejects.toThrow(/overlap/);
    await expect(deserializeModel(withEntry((e) => (sorted(e)[0][1].shape = [1e12, 1e12])), be)).rejects.toThrow(/has shape \[1000000000000,1000000000000\]/);
    await expect(deserializeModel(withEntry((e) => (sorted(e)[0][1].data_offsets = [0, 2 ** 40])), be)).rejects.toThrow(/truncated: tensor '.*' ends at byte 1099511627776/);
    await expect(deserializeModel(withEntry((e) => (sorted(e)[0][1].dtype = 'BF16' as 'F32')), be)).rejects.toThrow(/dtype "BF16"/);
    // The header size field claims more than the file has.
    const big = bytes.slice();
    new DataView(big.buffer).setBigUint64(0, 2n ** 40n, true);
    await expect(deserializeModel(big, be)).rejects.toThrow(/truncated or damaged: its header claims 1099511627776 bytes/);
  });

  it('refuses to save an untrained model with a clear message', async () => {
    const { model } = buildModel('two-tower', be, dataset, train);
    expect(() => serializeModel(model)).toThrow(/not trained yet/);
  });
});
