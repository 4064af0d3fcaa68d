import { describe, expect, it } from 'vitest';
import { SIZES, Twin, expectClose, testRng } from '../twin.js';
import { createBackend } from '../../../src/backends/index.js';

const N_USERS = 50;
const N_ITEMS = 40;
const N_RATINGS = 4000;
/** Chunk of examples per kernel call, as the trainer calls it. */
const CHUNK = 256;

describe('fused mf sgd epoch', () => {
  it.each([1, 5, 16, 32, 33])('matches the reference after two full passes at k %i', async (k) => {
    const rng = testRng(500 + k);
    const users = rng.i32(N_RATINGS, N_USERS);
    const items = rng.i32(N_RATINGS, N_ITEMS);
    const ratings = Float32Array.from({ length: N_RATINGS }, () => 1 + rng.int(5));
    const mu = ratings.reduce((a, b) => a + b, 0) / N_RATINGS;
    const order = Int32Array.from({ length: N_RATINGS }, (_, i) => i);
    for (let i = N_RATINGS - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    const t = (await Twin.create())
      .put('P', rng.f32(N_USERS * k, 0.1))
      .put('Q', rng.f32(N_ITEMS * k, 0.1))
      .put('bu', rng.f32(N_USERS, 0.1))
      .put('bi', rng.f32(N_ITEMS, 0.1))
      .put('users', users)
      .put('items', items)
      .put('ratings', ratings)
      .put('order', order);
    const sseByPass: number[] = [];
    for (let pass = 0; pass < 2; pass++) {
      const sse = t.run((kern, p) => {
        let total = 0;
        for (let start = 0; start < N_RATINGS; start += CHUNK) {
          const count = Math.min(CHUNK, N_RATINGS - start);
          total += kern.mfSgdChunk(p('P'), p('Q'), p('bu'), p('bi'), p('users'), p('items'), p('ratings'), p('order'), start, count, k, mu, 0.01, 0.02, 0.02);
        }
        return total;
      });
      // The WASM dot product adds 4 lane sums, the reference adds sequentially: e differs
      // by an ulp or so per example, and that difference feeds every later update of the
      // same rows (each row is updated ~100 times per pass here). Measured drift: ≤ 3e-7
      // relative (k 32 and 33, two passes). 1e-4 leaves room for other seeds yet catches a
      // real formula error, which moves values by ≥ lr·reg ≈ 2e-4 relative per update.
      const opts = { rel: 1e-4 };
      expectClose([sse.wasm], [sse.js], { ...opts, label: `sse pass ${pass}` });
      for (const name of ['P', 'Q', 'bu', 'bi']) t.expectClose(name, opts);
      sseByPass.push(sse.js);
    }
    expect(sseByPass[1]).toBeLessThan(sseByPass[0]);
  });

  it('processes only order[start .. start+count)', async () => {
    const k = 8;
    const rng = testRng(9);
    const t = (await Twin.create())
      .put('P', rng.f32(4 * k))
      .put('Q', rng.f32(4 * k))
      .put('bu', new Float32Array(4))
      .put('bi', new Float32Array(4))
      .put('users', Int32Array.from([0, 1, 2, 3]))
      .put('items', Int32Array.from([0, 1, 2, 3]))
      .put('ratings', Float32Array.from([1, 2, 3, 4]))
      .put('order', Int32Array.from([3, 1, 2, 0]));
    const before = { P: t.get('js', 'P'), bu: t.get('js', 'bu') };
    const sse = t.run((kern, p) => kern.mfSgdChunk(p('P'), p('Q'), p('bu'), p('bi'), p('users'), p('items'), p('ratings'), p('order'), 1, 2, k, 0, 0.1, 0, 0));
    expectClose([sse.wasm], [sse.js], { reduction: k });
    for (const side of ['wasm', 'js'] as const) {
      const bu = t.get(side, 'bu');
      const P = t.get(side, 'P');
      // Examples 1 and 2 are in the chunk; users 0 and 3 must not move.
      expect(bu[0]).toBe(0);
      expect(bu[3]).toBe(0);
      expect(bu[1]).not.toBe(0);
      expect(bu[2]).not.toBe(0);
      expect(Array.from(P.subarray(0, k))).toEqual(Array.from(before.P.subarray(0, k)));
      expect(Array.from(P.subarray(3 * k))).toEqual(Array.from(before.P.subarray(3 * k)));
    }
    expect(before.bu[1]).toBe(0);
  });

  it('with orderPtr 0 visits examples start .. start+count in storage order, as the same order through an index would', async () => {
    const k = 12;
    const n = 300;
    const rng = testRng(11);
    const P = rng.f32(20 * k, 0.1);
    const Q = rng.f32(15 * k, 0.1);
    const users = rng.i32(n, 20);
    const items = rng.i32(n, 15);
    const ratings = Float32Array.from({ length: n }, () => 1 + rng.int(5));
    const t = (await Twin.create())
      .put('P', P).put('Q', Q).put('bu', new Float32Array(20)).put('bi', new Float32Array(15))
      .put('P2', P).put('Q2', Q).put('bu2', new Float32Array(20)).put('bi2', new Float32Array(15))
      .put('users', users).put('items', items).put('ratings', ratings)
      .put('identity', Int32Array.from({ length: n }, (_, i) => i));
    const direct = t.run((kern, p) => kern.mfSgdChunk(p('P'), p('Q'), p('bu'), p('bi'), p('users'), p('items'), p('ratings'), 0, 40, 200, k, 3, 0.05, 0.02, 0.01));
    const indexed = t.run((kern, p) => kern.mfSgdChunk(p('P2'), p('Q2'), p('bu2'), p('bi2'), p('users'), p('items'), p('ratings'), p('identity'), 40, 200, k, 3, 0.05, 0.02, 0.01));
    for (const side of ['wasm', 'js'] as const) {
      expect(direct[side]).toBe(indexed[side]);
      expect(direct[side]).toBeGreaterThan(0);
      expect(Array.from(t.get(side, 'P'))).toEqual(Array.from(t.get(side, 'P2')));
      expect(Array.from(t.get(side, 'bi'))).toEqual(Array.from(t.get(side, 'bi2')));
      // Examples before start are not visited: a user seen only there keeps a zero bias.
      const bu = t.get(side, 'bu');
      for (let u = 0; u < 20; u++) {
        let inRange = false;
        for (let r = 40; r < 240; r++) inRange ||= users[r] === u;
        if (!inRange) expect(bu[u]).toBe(0);
      }
    }
    t.expectClose('P', { rel: 1e-4 });
  });

  it('takes one SGD step on one example, using the old P[u] for Q[i] (hand-computed)', async () => {
    const be = await createBackend('js');
    const P = be.allocF32(2, [1, 0.5]);
    const Q = be.allocF32(2, [0.5, 1]);
    const bu = be.allocF32(1, [0.5]);
    const bi = be.allocF32(1, [-0.5]);
    const zero = be.allocI32(1, [0]);
    const r = be.allocF32(1, [5]);
    // r̂ = 3 + 0.5 - 0.5 + (0.5 + 0.5) = 4, e = 1; lr 0.5, regFactor 0.25, regBias 0.5.
    const sse = be.kernels.mfSgdChunk(P.ptr, Q.ptr, bu.ptr, bi.ptr, zero.ptr, zero.ptr, r.ptr, zero.ptr, 0, 1, 2, 3, 0.5, 0.25, 0.5);
    expect(sse).toBe(1);
    expect(be.read(bu)[0]).toBe(0.875); // 0.5 + 0.5 (1 - 0.25)
    expect(be.read(bi)[0]).toBe(0.125); // -0.5 + 0.5 (1 + 0.25)
    expect(Array.from(be.read(P))).toEqual([1.125, 0.9375]); // P + 0.5 (Q - 0.25 P)
    expect(Array.from(be.read(Q))).toEqual([0.9375, 1.125]); // Q + 0.5 (P_old - 0.25 Q)
  });
});

describe('fused mf predict and backward', () => {
  it.each(SIZES)('predict matches the reference at k %i', async (k) => {
    const rng = testRng(600 + k);
    const n = 29;
    const t = (await Twin.create())
      .put('pred', new Float32Array(n))
      .put('P', rng.f32(7 * k))
      .put('Q', rng.f32(5 * k))
      .put('bu', rng.f32(7))
      .put('bi', rng.f32(5))
      .put('users', rng.i32(n, 7))
      .put('items', rng.i32(n, 5));
    t.run((kern, p) => kern.mfPredict(p('pred'), p('P'), p('Q'), p('bu'), p('bi'), p('users'), p('items'), n, k, 3.5));
    t.expectClose('pred', { reduction: k });
  });

  it.each(SIZES)('backward accumulates duplicates like the reference at k %i', async (k) => {
    const rng = testRng(700 + k);
    const n = 31;
    // Few users and items so that most appear several times in the batch.
    const t = (await Twin.create())
      .put('gP', rng.f32(4 * k))
      .put('gQ', rng.f32(3 * k))
      .put('gBu', rng.f32(4))
      .put('gBi', rng.f32(3))
      .put('dPred', rng.f32(n))
      .put('P', rng.f32(4 * k))
      .put('Q', rng.f32(3 * k))
      .put('users', rng.i32(n, 4))
      .put('items', rng.i32(n, 3));
    t.run((kern, p) => kern.mfBackward(p('gP'), p('gQ'), p('gBu'), p('gBi'), p('dPred'), p('P'), p('Q'), p('users'), p('items'), n, k));
    for (const name of ['gP', 'gQ', 'gBu', 'gBi']) t.expectClose(name, { reduction: n });
  });

  it('predicts and back-propagates one example (hand-computed)', async () => {
    const be = await createBackend('js');
    const P = be.allocF32(4, [0, 0, 1, 2]);
    const Q = be.allocF32(2, [3, 4]);
    const bu = be.allocF32(2, [0, 0.5]);
    const bi = be.allocF32(1, [0.25]);
    const users = be.allocI32(2, [1, 1]);
    const items = be.allocI32(2, [0, 0]);
    const pred = be.allocF32(2);
    be.kernels.mfPredict(pred.ptr, P.ptr, Q.ptr, bu.ptr, bi.ptr, users.ptr, items.ptr, 2, 2, 1);
    expect(Array.from(be.read(pred))).toEqual([12.75, 12.75]); // 1 + 0.5 + 0.25 + 3 + 8
    const gP = be.allocF32(4);
    const gQ = be.allocF32(2);
    const gBu = be.allocF32(2);
    const gBi = be.allocF32(1);
    const d = be.allocF32(2, [1, 0.5]);
    be.kernels.mfBackward(gP.ptr, gQ.ptr, gBu.ptr, gBi.ptr, d.ptr, P.ptr, Q.ptr, users.ptr, items.ptr, 2, 2);
    expect(Array.from(be.read(gP))).toEqual([0, 0, 4.5, 6]); // 1.5 Q
    expect(Array.from(be.read(gQ))).toEqual([1.5, 3]); // 1.5 P[1]
    expect(Array.from(be.read(gBu))).toEqual([0, 1.5]);
    expect(Array.from(be.read(gBi))).toEqual([1.5]);
  });
});
