import { describe, expect, it } from 'vitest';
import { SIZES, Twin, testRng } from '../twin.js';
import { createBackend } from '../../../src/backends/index.js';

const nUsers = 7; // one full tile of four users and a short one of three
const nItems = 13;

/** int8 rows packed four to an int32 (the Twin moves f32 and i32 buffers), with ±127 in them. */
function table(rng: ReturnType<typeof testRng>, dim: number): { t: Int8Array; packed: Int32Array } {
  const t = new Int8Array(Math.ceil((nItems * dim) / 4) * 4);
  for (let k = 0; k < nItems * dim; k++) t[k] = rng.int(255) - 127;
  t[0] = 127;
  t[nItems * dim - 1] = -127;
  for (let c = 0; c < dim; c++) t[dim + c] = c % 2 ? 127 : -127; // an all-extreme row
  return { t, packed: new Int32Array(t.buffer) };
}

describe('serve scoreInt8', () => {
  it.each(SIZES)('matches the reference bit for bit, and f32 scoring within the quantisation error, at dim %i', async (dim) => {
    const rng = testRng(dim * 17 + 3);
    const { t, packed } = table(rng, dim);
    const query = rng.f32(nUsers * dim);
    query.fill(0, 2 * dim, 3 * dim); // a zero user scores the biases alone
    for (let c = 0; c < dim; c++) query[3 * dim + c] *= 1e3; // scale is per row
    query[4 * dim] = 5; // the largest |value| of a row quantises to exactly ±127
    query[4 * dim + dim - 1] = -5;
    const scales = Float32Array.from({ length: nItems }, () => 0.001 + rng.uniform() * 0.05);
    const bias = rng.f32(nItems);
    const userBias = rng.f32(nUsers);
    const scratch = Math.ceil((nUsers * dim) / 2) + nUsers;
    const tw = (await Twin.create())
      .put('out', new Float32Array(nUsers * nItems))
      .put('query', query)
      .put('items', packed)
      .put('scales', scales)
      .put('bias', bias)
      .put('userBias', userBias)
      .put('scratch', new Float32Array(scratch));
    tw.run((k, p) => k.scoreInt8(p('out'), p('query'), p('items'), p('scales'), p('bias'), p('userBias'), nUsers, nItems, dim, p('scratch')));
    const wasm = tw.get('wasm', 'out');
    const js = tw.get('js', 'out');
    // Integer dot products and the same f32 operations in the same order: equal to the bit.
    expect(Array.from(wasm)).toEqual(Array.from(js));
    for (let u = 0; u < nUsers; u++) {
      let max = 0;
      for (let c = 0; c < dim; c++) max = Math.max(max, Math.abs(query[u * dim + c]));
      const su = max / 127;
      for (let i = 0; i < nItems; i++) {
        // Against the f32 query times the dequantised table: each query value moves by at most su/2.
        let exact = 0;
        let bound = 0;
        for (let c = 0; c < dim; c++) {
          exact += query[u * dim + c] * t[i * dim + c] * scales[i];
          bound += (su / 2) * Math.abs(t[i * dim + c]) * scales[i];
        }
        const got = js[u * nItems + i];
        expect(Math.abs(got - (exact + bias[i] + userBias[u]))).toBeLessThanOrEqual(bound * 1.001 + 1e-5 * (Math.abs(exact) + Math.abs(bias[i]) + Math.abs(userBias[u]) + 1e-3));
        if (u === 2) expect(got).toBe(Math.fround(bias[i] + userBias[u]));
      }
    }
  });

  it('computes scale_u · scale_i · Σ q·t + bias + user bias (hand-computed)', async () => {
    const be = await createBackend('js');
    // Query [1, -0.5, 0.25] → s_u = 1/127, q = [127, -64 (−63.5 ties to even), 32 (31.75)].
    const query = be.allocF32(3, [1, -0.5, 0.25]);
    const items = be.allocI32(1, new Int32Array(Int8Array.of(2, 1, -1, 0).buffer));
    const scales = be.allocF32(1, [0.5]);
    const bias = be.allocF32(1, [10]);
    const userBias = be.allocF32(1, [-3]);
    const out = be.allocF32(1);
    const scratch = be.allocF32(3);
    be.kernels.scoreInt8(out.ptr, query.ptr, items.ptr, scales.ptr, bias.ptr, userBias.ptr, 1, 1, 3, scratch.ptr);
    // 127·2 − 64·1 + 32·(−1) = 158; 158 · (1/127) · 0.5 + 10 − 3.
    expect(be.f32(out)[0]).toBeCloseTo((158 / 127) * 0.5 + 10 - 3, 5);
  });
});
