// SVD++ with implicit sets: WASM vs the reference at every SIMD size, a hand-computed step,
// and the fold into plain MF vectors.
import { describe, expect, it } from 'vitest';
import { SIZES, Twin, expectClose, testRng } from '../twin.js';

const USERS = 12;
const ITEMS = 20;
const Y_ROWS = ITEMS + USERS;

/** Examples grouped by user (CSR) and implicit entries (rated items and some "trusted" users). */
function randomData(seed: number, k: number) {
  const rng = testRng(seed);
  const exStart = new Int32Array(USERS + 1);
  const impStart = new Int32Array(USERS + 1);
  const items: number[] = [];
  const ratings: number[] = [];
  const impRows: number[] = [];
  const impWeights: number[] = [];
  for (let u = 0; u < USERS; u++) {
    const n = u % 4 === 3 ? 0 : 1 + rng.int(6);
    for (let x = 0; x < n; x++) {
      items.push(rng.int(ITEMS));
      ratings.push(1 + rng.int(5));
    }
    exStart[u + 1] = items.length;
    const m = rng.int(5);
    for (let x = 0; x < m; x++) {
      impRows.push(rng.int(Y_ROWS));
      impWeights.push(1 / Math.sqrt(m));
    }
    impStart[u + 1] = impRows.length;
  }
  const order = Int32Array.from({ length: USERS }, (_, u) => (u * 5) % USERS);
  return {
    P: rng.f32((USERS + 1) * k, 0.1), Q: rng.f32((ITEMS + 1) * k, 0.1), bu: rng.f32(USERS + 1, 0.1), bi: rng.f32(ITEMS + 1, 0.1), Y: rng.f32(Y_ROWS * k, 0.1),
    order, exStart, items: Int32Array.from(items), ratings: Float32Array.from(ratings), impStart, impRows: Int32Array.from(impRows), impWeights: Float32Array.from(impWeights),
  };
}

async function twinOf(d: ReturnType<typeof randomData>, k: number): Promise<Twin> {
  const t = await Twin.create();
  for (const [name, data] of Object.entries(d)) t.put(name, data);
  return t
    .put('scratch', new Float32Array(2 * k))
    .put('Z', new Float32Array(USERS * k))
    .putAddresses('tables', ['P', 'Q', 'bu', 'bi', 'Y'])
    .putAddresses('data', ['order', 'exStart', 'items', 'ratings', 'impStart', 'impRows', 'impWeights']);
}

describe('svdppSgd', () => {
  it.each(SIZES)('matches the reference over two epochs and folds the same vectors at k = %i', async (k) => {
    const t = await twinOf(randomData(900 + k, k), k);
    const sse: number[] = [];
    for (let epoch = 0; epoch < 2; epoch++) {
      const e = t.run((kr, p) => kr.svdppSgd(p('tables'), p('data'), 0, USERS, k, 3.5, 0.02, 0.05, 0.01, 0.1, p('scratch')));
      expectClose([e.wasm], [e.js], { rel: 1e-4, label: `sse ${epoch}` });
      for (const name of ['P', 'Q', 'bu', 'bi', 'Y']) t.expectClose(name, { rel: 1e-4, reduction: k });
      sse.push(e.js);
    }
    expect(sse[1]).toBeLessThan(sse[0]);
    t.run((kr, p) => kr.svdppFold(p('Z'), p('P'), p('Y'), p('impStart'), p('impRows'), p('impWeights'), USERS, k));
    t.expectClose('Z', { rel: 1e-4, reduction: k });
  });

  it('one user, one example, one implicit row: the error uses p + w·y, and y moves by lr·w·e·q', async () => {
    const k = 2;
    const d = {
      P: Float32Array.of(0.5, 0, 0, 0), Q: Float32Array.of(1, 2, 0, 0), bu: Float32Array.of(0.1, 0), bi: Float32Array.of(-0.2, 0), Y: Float32Array.of(1, 1),
      order: Int32Array.of(0), exStart: Int32Array.of(0, 1), items: Int32Array.of(0), ratings: Float32Array.of(4),
      impStart: Int32Array.of(0, 1), impRows: Int32Array.of(0), impWeights: Float32Array.of(0.5),
    };
    const t = (await Twin.create());
    for (const [name, data] of Object.entries(d)) t.put(name, data);
    t.put('scratch', new Float32Array(2 * k)).putAddresses('tables', ['P', 'Q', 'bu', 'bi', 'Y']).putAddresses('data', ['order', 'exStart', 'items', 'ratings', 'impStart', 'impRows', 'impWeights']);
    // z = (0.5, 0) + 0.5 (1, 1) = (1, 0.5); r̂ = 3 + 0.1 − 0.2 + (1·1 + 0.5·2) = 4.9; e = −0.9.
    const sse = t.run((kr, p) => kr.svdppSgd(p('tables'), p('data'), 0, 1, k, 3, 0.1, 0, 0, 0, p('scratch')));
    expectClose([sse.wasm, sse.js], [0.81, 0.81], { rel: 1e-6 });
    for (const side of ['wasm', 'js'] as const) {
      expectClose(t.get(side, 'Y'), [1 + 0.1 * 0.5 * -0.9 * 1, 1 + 0.1 * 0.5 * -0.9 * 2], { rel: 1e-6 });
      expectClose(t.get(side, 'Q').subarray(0, 2), [1 + 0.1 * -0.9 * 1, 2 + 0.1 * -0.9 * 0.5], { rel: 1e-6 });
    }
  });
});
