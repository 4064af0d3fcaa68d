// The safetensors layout is checked from the header alone, before any tensor is copied or any
// backend memory is taken: truncated files, sizes that claim more than the file holds,
// overlapping ranges and foreign files fail with a ModelFileError (never a RangeError from an
// attempted allocation), and the backend's heap is as it was.
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { buildModel } from '../../src/models/factory.js';
import { ModelFileError, readModelBytes, serializeModel } from '../../src/io/model-file.js';
import { encodeSafetensors, parseSafetensors } from '../../src/io/safetensors.js';
import { readSpec, writeSpec } from './model-file-edit.js';

const small = encodeSafetensors([
  { name: 'a', data: Float32Array.of(1, 2, 3, 4), shape: [2, 2] },
  { name: 'b', data: Int32Array.of(7, 8), shape: [2] },
], { note: 'x' });

/** The header edited as JSON, the data bytes kept as they are. */
function edited(edit: (header: Record<string, any>) => void, bytes = small): Uint8Array {
  const f = readSpec(bytes);
  edit(f.header);
  return writeSpec(f, false);
}

const damaged: Record<string, Uint8Array> = {
  'truncated data': small.subarray(0, small.length - 3),
  'truncated header': small.subarray(0, 20),
  'header size claiming 2^40 bytes': (() => {
    const b = small.slice();
    new DataView(b.buffer).setBigUint64(0, 2n ** 40n, true);
    return b;
  })(),
  'tensor claiming 2^40 bytes': edited((h) => (h.a.data_offsets = [0, 2 ** 40])),
  'shape claiming 1e9 × 1e9 elements': edited((h) => (h.a.shape = [1e9, 1e9])),
  'overlapping ranges': edited((h) => (h.b.data_offsets = [8, 16])),
  'foreign bytes (CSV)': new TextEncoder().encode('user,item,rating\n1,2,5\n'.repeat(4)),
  'foreign bytes (zip)': Uint8Array.of(0x50, 0x4b, 3, 4, ...new Array(40).fill(0)),
};

describe('safetensors layout: rejected from the header alone', () => {
  it.each(Object.entries(damaged))('%s', (_name, bytes) => {
    const err = (() => {
      try {
        parseSafetensors(bytes);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(ModelFileError);
  });

  it('each damage fails to load as a model without touching the backend heap', async () => {
    const be = await createBackend('js');
    const dataset = generateSynthetic({ nUsers: 30, nItems: 40, nRatings: 400, seed: 2 });
    const train = dataset.folds!.u1.train;
    const { model } = buildModel('mf', be, dataset, train, { factors: 4 });
    await model.fit(train, { epochs: 1 });
    const good = serializeModel(model);
    model.dispose();
    const sorted = (h: Record<string, any>) => Object.entries(h).filter(([k]) => k !== '__metadata__').sort(([, a], [, b]) => a.data_offsets[0] - b.data_offsets[0]);
    const cases = [
      good.subarray(0, good.length - 1),
      edited((h) => (sorted(h)[0][1].data_offsets[1] = 2 ** 40), good),
      edited((h) => (sorted(h)[0][1].shape = [2 ** 26, 2 ** 26]), good),
      edited((h) => { const t = sorted(h)[1][1]; t.data_offsets = [t.data_offsets[0] - 4, t.data_offsets[1] - 4]; }, good),
      damaged['foreign bytes (CSV)'],
      small,
    ];
    for (const bytes of cases) {
      const before = be.heap.bytesInUse;
      const err = await readModelBytes(bytes, be).catch((e) => e);
      expect(err).toBeInstanceOf(ModelFileError);
      // A cause would mean something other than a deliberate check failed (e.g. an allocation).
      expect(err.cause).toBeUndefined();
      expect(be.heap.bytesInUse).toBe(before);
    }
  });
});
