// What the bundled apps do (README, "Bundlers"): train MF in the page on 1 or 2 threads
// (?threads=2) and write the outcome into <body data-…> for the browser test.
import { buildModel, createBackend, generateSynthetic } from 'wasmrec';

/** urls: where the bundler put the .wasm builds and the pool worker. */
export async function trainInPage({ simd, shared, worker }) {
  const threads = Number(new URLSearchParams(location.search).get('threads') ?? 1);
  const backend = await createBackend('wasm', { wasm: simd, flavor: 'simd', threads, sharedWasm: shared, workerUrl: worker });
  const data = generateSynthetic({ nUsers: 300, nItems: 400, nRatings: 20_000, seed: 1 });
  const { train, test } = data.folds.u1;
  const { model } = buildModel('mf', backend, data, train);
  model.compile({ optimizer: { name: 'sgd', lr: 0.01 } });
  await model.fit(train, { epochs: 10, batchSize: 1 }); // the fused SGD loop; DSGD on 2 threads
  Object.assign(document.body.dataset, { threads: String(backend.threads), rmse: String(model.evaluate(test).rmse), done: 'yes' });
}
