// Scoring an mlp head over every user × item pair by splitting its first layer
// (itemHalf + addPairHead) against running the head on each pair's concatenation, on both
// backends: fused one-hidden-layer heads, unfused activations, deeper heads, and sizes
// that span several user blocks or split the catalogue (MAX_BLOCK_FLOATS = 2^20).
import { describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/backends/index.js';
import type { Activation } from '../../src/nn/dense.js';
import { Tower } from '../../src/nn/tower.js';
import { addPairHead, itemHalf } from '../../src/models/pair-head.js';
import { Rng } from '../../src/random.js';

const MAX_BLOCK_FLOATS = 1 << 20;
/** Rows per call of the head in the reference. */
const CHUNK = 4096;

/** head(concat(U[u], V[i])) for every pair, user-major, by the head's own forward pass. */
function headOnConcat(be: Backend, head: Tower, U: Float32Array, userDim: number, V: Float32Array, itemDim: number): Float32Array {
  const nUsers = U.length / userDim;
  const nItems = V.length / itemDim;
  const inDim = userDim + itemDim;
  const out = new Float32Array(nUsers * nItems);
  const x = be.allocF32(CHUNK * inDim);
  const rows = new Float32Array(CHUNK * inDim);
  for (let p0 = 0; p0 < out.length; p0 += CHUNK) {
    const m = Math.min(CHUNK, out.length - p0);
    for (let r = 0; r < m; r++) {
      const u = Math.floor((p0 + r) / nItems);
      const i = (p0 + r) % nItems;
      rows.set(U.subarray(u * userDim, (u + 1) * userDim), r * inDim);
      rows.set(V.subarray(i * itemDim, (i + 1) * itemDim), r * inDim + userDim);
    }
    be.write(x, rows.subarray(0, m * inDim));
    const yPtr = head.forward(x.ptr, m, false);
    out.set(be.heap.f32.subarray(yPtr >> 2, (yPtr >> 2) + m), p0);
  }
  be.free(x);
  return out;
}

interface Case {
  name: string;
  layers: number[];
  activation: Activation;
  nUsers: number;
  nItems: number;
}

const USER_DIM = 3;
const ITEM_DIM = 2;

const CASES: Case[] = [
  { name: 'one relu hidden layer (fused pair score)', layers: [5, 1], activation: 'relu', nUsers: 7, nItems: 13 },
  { name: 'one linear hidden layer (fused pair score)', layers: [5, 1], activation: 'linear', nUsers: 4, nItems: 9 },
  { name: 'one sigmoid hidden layer (unfused)', layers: [6, 1], activation: 'sigmoid', nUsers: 5, nItems: 11 },
  { name: 'one tanh hidden layer (unfused)', layers: [6, 1], activation: 'tanh', nUsers: 5, nItems: 11 },
  { name: 'two relu hidden layers', layers: [6, 4, 1], activation: 'relu', nUsers: 6, nItems: 17 },
  { name: 'a single output layer', layers: [1], activation: 'relu', nUsers: 3, nItems: 8 },
  // Fused score: one float per pair, so 2^20 pairs per block: two blocks of users.
  { name: 'a fused head over two user blocks', layers: [5, 1], activation: 'relu', nUsers: Math.floor(MAX_BLOCK_FLOATS / 1000) + 3, nItems: 1000 },
  // Hidden width 16: 2^16 pairs per block, 655 users of 100 items: three blocks.
  { name: 'a deep head over three user blocks', layers: [16, 8, 1], activation: 'relu', nUsers: 1400, nItems: 100 },
  // Hidden width 64: 2^14 pairs per block, fewer than the catalogue: item chunks per user.
  { name: 'an unfused head over a catalogue split in chunks', layers: [64, 1], activation: 'sigmoid', nUsers: 3, nItems: (MAX_BLOCK_FLOATS >> 6) + 100 },
];

describe.each(['js', 'wasm'] as const)('pair-head on the %s backend', (backendName) => {
  it.each(CASES)('$name: itemHalf + addPairHead = the head on each concatenation', async ({ layers, activation, nUsers, nItems }) => {
    const be = await createBackend(backendName);
    const rng = new Rng(nUsers * 31 + nItems);
    const head = new Tower(be, 'head', USER_DIM + ITEM_DIM, CHUNK, rng, { layers, activation });
    // Non-zero biases everywhere (Dense starts them at 0): the split must carry b once.
    for (const d of head.dense) d.b.write(Array.from({ length: d.outDim }, () => rng.normal() * 0.3));
    const U = Float32Array.from({ length: nUsers * USER_DIM }, () => rng.normal());
    const V = Float32Array.from({ length: nItems * ITEM_DIM }, () => rng.normal());

    // B = V·W_v: the item rows of W, without the bias.
    const hidden = itemHalf(be, head, V, USER_DIM);
    const h = layers[0];
    const W = head.dense[0].W.read();
    expect(hidden).toHaveLength(nItems * h);
    for (const i of [0, nItems >> 1, nItems - 1]) {
      for (let j = 0; j < h; j++) {
        let s = 0;
        for (let c = 0; c < ITEM_DIM; c++) s += V[i * ITEM_DIM + c] * W[(USER_DIM + c) * h + j];
        expect(hidden[i * h + j]).toBeCloseTo(s, 5);
      }
    }

    // addPairHead adds to what `out` holds.
    const out = Float32Array.from({ length: nUsers * nItems }, (_, p) => (p % 5) - 2);
    addPairHead(be, head, U, USER_DIM, hidden, out);
    const want = headOnConcat(be, head, U, USER_DIM, V, ITEM_DIM);
    let bad = 0;
    let first = '';
    for (let p = 0; p < out.length; p++) {
      const expected = want[p] + ((p % 5) - 2);
      if (!(Math.abs(out[p] - expected) <= 1e-4 * Math.max(1, Math.abs(expected)))) {
        if (bad++ === 0) first = `pair ${p} (user ${Math.floor(p / nItems)}, item ${p % nItems}): ${out[p]} vs ${expected}`;
      }
    }
    expect(first).toBe('');
    expect(bad).toBe(0);
    head.dispose();
  });

  it('leaves out alone for no users or no items', async () => {
    const be = await createBackend(backendName);
    const head = new Tower(be, 'head', USER_DIM + ITEM_DIM, 8, new Rng(1), { layers: [4, 1] });
    const out = Float32Array.of(7);
    addPairHead(be, head, new Float32Array(0), USER_DIM, itemHalf(be, head, new Float32Array(ITEM_DIM), USER_DIM), out);
    expect(itemHalf(be, head, new Float32Array(0), USER_DIM)).toHaveLength(0);
    addPairHead(be, head, new Float32Array(USER_DIM), USER_DIM, new Float32Array(0), out);
    expect(Array.from(out)).toEqual([7]);
  });
});
