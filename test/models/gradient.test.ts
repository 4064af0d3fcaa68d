// End-to-end gradient checks of the feature models' wiring: one full-batch SGD step moves
// each weight by -lr·∂L/∂w, which must match finite differences of the training loss
// computed through `predict` (js backend, no regularisation, smooth activations).
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { subset } from '../../src/data/interactions.js';
import type { FeatureModel } from '../../src/models/feature-model.js';
import { LinearRS } from '../../src/models/linear.js';
import { TwoTower, type TwoTowerHead } from '../../src/models/two-tower.js';
import type { Param } from '../../src/training/param.js';
import { synthetic } from './fixtures.js';

const LR = 0.05;
const EPS = 1e-2;

async function check(make: () => FeatureModel): Promise<void> {
  const fx = synthetic();
  const train = subset(fx.split.train, Int32Array.from({ length: 120 }, (_, r) => r));
  const loss = (m: FeatureModel) => {
    // Unclipped: a prediction clipped to the rating scale has no derivative.
    m.clipPredictions = false;
    const p = m.predict(train);
    let s = 0;
    for (let r = 0; r < train.length; r++) s += (p[r] - train.ratings[r]) ** 2;
    return s / train.length;
  };
  const params = (m: FeatureModel) => (m as unknown as { params(): Param[] }).params();
  const before = make();
  await before.fit(train, { epochs: 0, seed: 5 });
  const after = make().compile({ optimizer: { name: 'sgd', lr: LR } });
  await after.fit(train, { epochs: 1, batchSize: train.length, shuffle: false, seed: 5 });
  const p0 = params(before);
  const p1 = params(after);
  expect(p0.length).toBe(p1.length);
  let checked = 0;
  p0.forEach((param, k) => {
    const w0 = param.read();
    const w1 = p1[k].read();
    const view = () => param.backend.f32(param.value);
    // The entries that moved most, plus the first one: sparse tables move only touched rows.
    const order = Array.from(w0.keys()).sort((a, b) => Math.abs(w1[b] - w0[b]) - Math.abs(w1[a] - w0[a]));
    for (const i of order.slice(0, 3)) {
      const analytic = (w0[i] - w1[i]) / LR;
      view()[i] = w0[i] + EPS;
      const up = loss(before);
      view()[i] = w0[i] - EPS;
      const down = loss(before);
      view()[i] = w0[i];
      const numeric = (up - down) / (2 * EPS);
      const err = Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric), 1e-2);
      expect(err, `${param.name}[${i}]: step gradient ${analytic} vs finite difference ${numeric}`).toBeLessThan(5e-2);
      checked++;
    }
  });
  expect(checked).toBeGreaterThan(10);
}

const NO_REG = { regId: 0, regFeatures: 0, regDense: 0, regBias: 0, idDropout: 0, dropout: 0 };

describe('feature models: gradients of the whole network', () => {
  it.each(['dot', 'mlp', 'both'] as TwoTowerHead[])('TwoTower with the %s head', async (head) => {
    const be = await createBackend('js');
    const fx = synthetic();
    await check(() => new TwoTower(be, fx.dataset, fx.features, { ...NO_REG, head, idDim: 4, towerLayers: [6], headLayers: [5], activation: 'tanh', featureDim: 3 }));
  });

  it('LinearRS', async () => {
    const be = await createBackend('js');
    const fx = synthetic();
    await check(() => new LinearRS(be, fx.dataset, fx.features, { factors: 3, regFactors: 0, regBias: 0, regFeatures: 0, initStd: 0.3 }));
  });
});
