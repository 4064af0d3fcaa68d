// An edge fetch handler (Cloudflare Workers / Vercel Edge style) on the one-file core
// (`npm run build:edge`): GET /recommend?user=<id>&k=<n> answers with a top-k as JSON.
//
// The runtime's bundler imports the .wasm as a compiled WebAssembly.Module (Cloudflare:
// `import wasm from './x.wasm'`; Vercel Edge: `import wasm from './x.wasm?module'`), which
// is what these runtimes require: they forbid compiling wasm bytes at run time.
// To stay self-contained, each isolate trains a tiny seeded MF on generated data at its
// first request (well under a second on wasm) and keeps it. A deployment would instead
// ship a model file from `wasmrec train --save` as a binary asset and call
// `deserializeModel(bytes, backend)` here.

import wasm from '../build/wasmrec.simd.wasm';
import { createBackend, generateSynthetic, MatrixFactorization } from '../dist/edge/wasmrec.mjs';

const MAX_K = 100;

/** @type {Promise<{ model: MatrixFactorization }> | null} */
let ready = null;

async function trainTinyModel() {
  // 'simd' names the build imported above, so backend.features reports it.
  const backend = await createBackend('wasm', { wasm, flavor: 'simd' });
  const dataset = generateSynthetic({ nUsers: 200, nItems: 300, nRatings: 12_000, seed: 7 });
  const train = dataset.ratings;
  const model = new MatrixFactorization(backend, dataset, { factors: 16 });
  await model.fit(train, { epochs: 15, seed: 7 });
  return { model };
}

function json(body, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });
}

export default {
  /** @param {Request} request */
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname !== '/recommend') return json({ error: 'not found: try /recommend?user=1&k=10' }, 404);
    const userId = url.searchParams.get('user');
    if (!userId) return json({ error: 'missing ?user=<id>' }, 400);
    const k = Math.trunc(Number(url.searchParams.get('k') ?? 10));
    if (!(k >= 1 && k <= MAX_K)) return json({ error: `k must be an integer in 1..${MAX_K}` }, 400);

    // A failed training must not stay cached for the isolate's lifetime.
    ready ??= trainTinyModel().catch((err) => {
      ready = null;
      throw err;
    });
    const { model } = await ready;
    // Known users' training items are left out; unknown users get the list of an unknown
    // user (μ + item bias and the support prior): well-liked, well-known items.
    const items = model.recommend(userId, k).map((r) => ({ id: r.item, score: Math.round(r.score * 1000) / 1000, rating: Math.round(r.rating * 1000) / 1000 }));
    return json({ user: userId, known: model.recommendationBasis(userId) === 'known user', backend: model.backend.features, items });
  },
};
