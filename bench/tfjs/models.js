// The TF.js side of the comparison: the models by id (same ids as train/models.js), their
// compile settings, and the inference timings measured like wasmrec's (bench/lib/serve.js).

import { FACTORS, TWO_TOWER } from '../train/models.js';
import { entityFeatures, twoTowerInputs } from './features.js';
import { mfInputs, mfModel } from './mf.js';
import { twoTowerModel } from './two-tower.js';

export const BATCH = 256;
export const LR = 1e-3;

/** TF.js model builders by id, with their input tensors for a set of ratings. */
export function tfjsBuilders(tf, dataset) {
  const features = entityFeatures(dataset);
  const tower = (head) => ({
    label: `two-tower [${TWO_TOWER.hidden},${TWO_TOWER.out}], ${head} head, Adam lr 1e-3, batch 256`,
    build: () => twoTowerModel(tf, features, TWO_TOWER, head),
    inputs: (d) => twoTowerInputs(tf, features, d),
  });
  return {
    features,
    'mf-adam': { label: `MF K=${FACTORS}, Adam lr 1e-3, batch ${BATCH}`, build: () => mfModel(tf, { nUsers: dataset.userIndex.size, nItems: dataset.itemIndex.size, factors: FACTORS }), inputs: (d) => mfInputs(tf, d) },
    'two-tower-mlp': tower('mlp'),
    'two-tower-dot': tower('dot'),
  };
}

export function compileTfjs(tf, builder) {
  const model = builder.build();
  model.compile({ optimizer: tf.train.adam(LR), loss: 'meanSquaredError' });
  return model;
}

/** Centred targets: the models predict r − μ (see tfjs/mf.js). */
export function targets(tf, data, mu) {
  return tf.tensor2d(Float32Array.from(data.ratings, (r) => r - mu), [data.length, 1]);
}

/** Predictions r̂ for inputs x (μ added back). */
export async function tfjsPredict(model, x, mu) {
  const pred = model.predict(x, { batchSize: 4096 });
  const p = await pred.data();
  pred.dispose();
  return Float32Array.from(p, (v) => v + mu);
}

export async function tfjsRmse(model, x, data, mu) {
  const p = await tfjsPredict(model, x, mu);
  let se = 0;
  for (let r = 0; r < data.length; r++) se += (p[r] - data.ratings[r]) ** 2;
  return Math.sqrt(se / data.length);
}

/** Median ms to predict the test pairs (tensors already built, as in model.predict use). */
export async function tfjsPredictMs(model, x, mu, runs = 3) {
  await tfjsPredict(model, x, mu);
  const ms = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await tfjsPredict(model, x, mu);
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[runs >> 1];
}

/**
 * Ms for top-10 over all items for all users, extrapolated from `sample` users: for each,
 * the inputs of (user, every item) are built, predicted and ranked with tf.topk. Scoring
 * every pair of 943 × 1682 through the TF.js two-tower takes tens of seconds.
 */
export async function tfjsTopKMs(tf, builder, model, nUsers, nItems, sample, k = 10) {
  const items = Int32Array.from({ length: nItems }, (_, i) => i);
  const one = async (u) => {
    const d = { users: new Int32Array(nItems).fill(u), items, ratings: new Float32Array(nItems), length: nItems };
    const x = builder.inputs(d);
    const pred = model.predict(x, { batchSize: 4096 });
    const top = tf.topk(pred.reshape([nItems]), k);
    await top.indices.data();
    tf.dispose([...x, pred, top.values, top.indices]);
  };
  await one(0);
  const t0 = performance.now();
  for (let u = 0; u < sample; u++) await one(u);
  return ((performance.now() - t0) / sample) * nUsers;
}
