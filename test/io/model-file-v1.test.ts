// Files written by wasmrec 0.1 (its own container, format 1) still load and predict what they
// did then; damaged ones fail as clearly as format-2 files do.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { crc32 } from '../../src/io/crc32.js';
import { ModelFileError, readModelBytes } from '../../src/io/model-file.js';

// Made by test code at commit 8a792a7 (wasmrec 0.1.0) on the js backend: synthetic data, 30
// users × 40 items, two epochs; expected outputs recorded right after saving.
const dir = new URL('./fixtures/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('v1-expected.json', dir), 'utf8'));
const file = (name: string) => new Uint8Array(readFileSync(new URL(`v1-${name}.wasmrec`, dir)));

describe('model files of wasmrec 0.1', () => {
  it.each(Object.keys(expected.models))('%s loads and predicts bit for bit what 0.1 did', async (name) => {
    const want = expected.models[name];
    const be = await createBackend('js');
    const { model, info, itemTitles } = await readModelBytes(file(name), be);
    expect(model.kind).toBe(want.kind);
    expect(info).toEqual({ fixture: name });
    expect(Object.keys(itemTitles!).length).toBeGreaterThan(10);
    expect(Array.from(model.predictIds(expected.users, expected.items))).toEqual(want.predictions);
    expect(Array.from(model.recommendIndices(2, 5).indices)).toEqual(want.recommend);
    expect(Array.from(model.scoreItemsForFeatures({ age: 30, gender: 'F', occupation: 'writer' }).subarray(0, 10))).toEqual(want.cold);
    // And on the other backend, within float error.
    const wasm = await readModelBytes(file(name), await createBackend('wasm'));
    const p = wasm.model.predictIds(expected.users, expected.items);
    p.forEach((v, k) => expect(Math.abs(v - want.predictions[k])).toBeLessThan(1e-5));
  });

  it('a damaged 0.1 file fails with a ModelFileError naming the problem', async () => {
    const be = await createBackend('js');
    const bytes = file('mf');
    const flipped = bytes.slice();
    flipped[bytes.length - 3] ^= 1;
    await expect(readModelBytes(flipped, be)).rejects.toThrow(/^model file: damaged: checksum mismatch/);
    await expect(readModelBytes(bytes.subarray(0, 15), be)).rejects.toThrow(/truncated: 15 bytes/);
    await expect(readModelBytes(bytes.subarray(0, bytes.length - 8), be)).rejects.toThrow(/truncated or extended/);
    // A reference outside the data, with a valid checksum: still caught.
    const view = new DataView(bytes.buffer);
    const headerLength = view.getUint32(12, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + headerLength)));
    const key = Object.keys(header.model.tensors)[0];
    header.model.tensors[key].offset = 2 ** 40;
    const json = new TextEncoder().encode(JSON.stringify(header));
    const start = Math.ceil((20 + json.length) / 8) * 8;
    const out = new Uint8Array(start + header.dataBytes);
    out.set(bytes.subarray(0, 12));
    new DataView(out.buffer).setUint32(12, json.length, true);
    out.set(json, 20);
    out.set(bytes.subarray(bytes.length - header.dataBytes), start);
    new DataView(out.buffer).setUint32(16, crc32(out.subarray(20)), true);
    const err = await readModelBytes(out, be).catch((e) => e);
    expect(err).toBeInstanceOf(ModelFileError);
    expect(err.message).toMatch(new RegExp(`model.${key} has an invalid tensor reference`));
  });
});
