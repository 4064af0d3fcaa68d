// BST's network end to end (history block, target attention, MLP and the a·q term): the
// backward is the gradient of Σ g·logits (finite differences on the js backend), and the wasm
// backend computes the same logits and gradients.
import { describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/backends/index.js';
import { BstNet } from '../../src/models/bst-net.js';
import { Rng } from '../../src/random.js';
import { Param } from '../../src/training/param.js';
import { checkGradient, weightedSum } from '../nn/gradcheck.js';
import { expectClose } from '../kernels/twin.js';

const [nItems, d, L, m] = [9, 8, 4, 2];
/** Sequence 0 is full, sequence 1 left-padded by one slot; queries see every position or a prefix (training), the last one none. */
const IDS = [3, 1, 4, 1, -1, 5, 8, 2];
const QUERIES = { cand: [2, 7, 0, 5, 5, 1, 8], seq: [0, 0, 0, 1, 1, 1, 1], last: [3, 0, 2, 3, 1, 2, 0] };

function build(be: Backend) {
  const rng = new Rng(7);
  const Q = new Param(be, 'item_factors', nItems + 1, d, rng, { sparse: true, init: { normal: 0.5 } });
  const bi = new Param(be, 'item_bias', nItems + 1, 1, rng, { sparse: true, init: { normal: 0.5 } });
  const net = new BstNet(be, { d, L, heads: 2, dropout: 0, hidden: [6] }, m, 16, rng);
  const n = QUERIES.cand.length;
  const buf = {
    ids: be.allocI32(m * L, Int32Array.from(IDS)), cand: be.allocI32(n, Int32Array.from(QUERIES.cand)), seq: be.allocI32(n, Int32Array.from(QUERIES.seq)),
    last: be.allocI32(n, Int32Array.from(QUERIES.last)), dLogits: be.allocF32(n), dH: be.allocF32(m * L * d),
  };
  const g = Float32Array.from({ length: n }, (_, r) => Math.sin(r + 1));
  be.write(buf.dLogits, g);
  const logits = () => {
    const h = net.encode(Q, buf.ids.ptr, m, false);
    return { h, z: net.score(Q, bi, h, buf.ids.ptr, buf.cand.ptr, buf.seq.ptr, buf.last.ptr, n, false) };
  };
  const loss = () => weightedSum(be, logits().z, g);
  const backward = () => {
    const { h, z } = logits();
    const values = be.heap.f32.slice(z >> 2, (z >> 2) + n);
    net.backward(Q, bi, h, buf.ids.ptr, buf.cand.ptr, buf.seq.ptr, n, m, buf.dLogits.ptr, buf.dH.ptr);
    return values;
  };
  return { Q, bi, net, loss, backward };
}

describe('BstNet', () => {
  it('backward is the gradient of Σ g·logits for the item table, the biases and every layer (finite differences)', async () => {
    const be = await createBackend('js');
    const { Q, bi, net, loss, backward } = build(be);
    backward();
    const params = net.params();
    for (const name of ['positions', 'block0/attention/q/W', 'block0/ffn1/W', 'block0/ln2/gain', 'target_attention/k/W', 'target_attention/k/b', 'mlp/dense0/W', 'mlp/dense1/b']) {
      expect(params[name], name).toBeDefined();
      checkGradient(be, params[name].value, be.read(params[name].grad) as Float32Array, loss, name);
    }
    checkGradient(be, Q.value, be.read(Q.grad) as Float32Array, loss, 'item_factors', 80);
    checkGradient(be, bi.value, be.read(bi.grad) as Float32Array, loss, 'item_bias');
  });

  it('computes the same logits and gradients on wasm as on js', async () => {
    const runs = await Promise.all((['js', 'wasm'] as const).map(async (name) => {
      const be = await createBackend(name);
      const { Q, net, backward } = build(be);
      const z = backward();
      return { z, dQ: be.read(Q.grad) as Float32Array, dK: be.read(net.params()['target_attention/k/W'].grad) as Float32Array };
    }));
    expectClose(runs[1].z, runs[0].z, { rel: 1e-4, label: 'logits' });
    expectClose(runs[1].dQ, runs[0].dQ, { rel: 1e-3, label: 'dQ' });
    expectClose(runs[1].dK, runs[0].dK, { rel: 1e-3, label: 'dW_k' });
  });
});
