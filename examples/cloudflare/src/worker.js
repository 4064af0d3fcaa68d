// A Cloudflare Worker that serves a model file written by `wasmrec train --save model.wasmrec`:
//   GET /recommend?user=196&k=10                           a known user's top k
//   GET /recommend?age=25&gender=F&occupation=student      a brand-new user, from features
//   GET /similar?item=50&k=10                              items like an item
// wrangler.toml's rules make the .wasm a WebAssembly.Module and the model an ArrayBuffer.

import wasm from 'wasmrec/wasm/simd';
import { createBackend, deserializeModel } from 'wasmrec/edge';
import modelFile from '../model.wasmrec';

const MAX_K = 100;
const FEATURES = ['age', 'gender', 'occupation', 'zip'];

/** One model per isolate, loaded at the first request; a failure is not kept. */
let ready = null;
function model() {
  ready ??= createBackend('wasm', { wasm, flavor: 'simd' })
    .then((backend) => deserializeModel(new Uint8Array(modelFile), backend))
    .catch((err) => {
      ready = null;
      throw err;
    });
  return ready;
}

const json = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const q = url.searchParams;
    const k = Math.trunc(Number(q.get('k') ?? 10));
    if (!(k >= 1 && k <= MAX_K)) return json({ error: `k must be an integer in 1..${MAX_K}` }, 400);
    const m = await model();
    if (url.pathname === '/recommend') {
      const user = q.get('user');
      if (user) return json({ user, basis: m.recommendationBasis(user), items: m.recommend(user, k) });
      const row = Object.fromEntries(FEATURES.filter((f) => q.has(f)).map((f) => [f, f === 'age' ? Number(q.get(f)) : q.get(f)]));
      if (Object.keys(row).length === 0) return json({ error: `give ?user=<id> or a new user's ${FEATURES.join(', ')}` }, 400);
      return json({ features: row, items: m.recommendForFeatures(row, k) });
    }
    if (url.pathname === '/similar') {
      const item = q.get('item');
      if (!item) return json({ error: 'missing ?item=<id>' }, 400);
      if (!m.indexes.itemIndex.has(item)) return json({ error: `unknown item ${item}` }, 404);
      return json({ item, items: m.similarItems(item, k) });
    }
    return json({ error: 'not found: try /recommend?user=1&k=10 or /similar?item=1' }, 404);
  },
};
