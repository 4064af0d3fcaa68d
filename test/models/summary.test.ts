// model.summary() for every kind: the parts it lists own exactly the parameter buffers the
// trained model holds (found by walking the model's objects, not by asking it), the totals
// add up, and the description is the same before and after training.
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { makeSplit } from '../../src/data/splits.js';
import { buildModel, MODEL_KINDS, RANKING_ONLY_KINDS, type ModelKind, type ModelOptions } from '../../src/models/factory.js';
import type { ModelSummary } from '../../src/models/model-summary.js';
import type { Recommender } from '../../src/models/recommender.js';
import { Param } from '../../src/training/param.js';
import { positivesOf } from '../../src/cli/implicit.js';
import { formatSummary } from '../../src/analysis/summary-text.js';

const data = generateSynthetic({ nUsers: 120, nItems: 90, nRatings: 5000, seed: 11 });
const split = makeSplit(data, { kind: 'random', testFraction: 0.2, seed: 11 });
const positives = positivesOf(split.train, 4);

/** Every Param reachable from the model's own fields (the backend, ids and features left out). */
function paramsHeldBy(model: object): Param[] {
  const found = new Set<Param>();
  const seen = new Set<object>();
  const skip = new Set(['backend', 'indexes', 'pipeline', 'features', 'trainingItems', 'itemTitles']);
  const walk = (x: unknown): void => {
    if (x === null || typeof x !== 'object' || seen.has(x) || ArrayBuffer.isView(x)) return;
    seen.add(x);
    if (x instanceof Param) {
      found.add(x);
      return;
    }
    const values = x instanceof Map ? [...x.values()] : Array.isArray(x) ? x : Object.entries(x).filter(([k]) => !skip.has(k)).map(([, v]) => v);
    for (const v of values) walk(v);
  };
  walk(model);
  return [...found];
}

/** Tensor name and shape, with the prefix of a nested model (ensemble member, ranking twin) taken off. */
const key = (name: string, rows: number, cols: number) => `${name.replace(/^(member\d+_[^/]+|ranking_twin)\//, '')} ${rows}×${cols}`;

function backendTensors(s: ModelSummary): string[] {
  return s.layers.filter((l) => l.storage === 'backend').flatMap((l) => l.tensors.map((t) => key(t.name, t.shape[0], t.shape[1]))).sort();
}

const cases: [string, ModelKind, ModelOptions, boolean][] = [
  ...MODEL_KINDS.map((k): [string, ModelKind, ModelOptions, boolean] => [k, k, {}, k === 'popularity' || RANKING_ONLY_KINDS.includes(k)]),
  ['two-tower, dot head', 'two-tower', { head: 'dot' }, false],
  ['two-tower, both heads, dropout', 'two-tower', { head: 'both', dropout: 0.2, towerLayers: [16, 8] }, false],
  ['two-tower, implicit (popularity prior)', 'two-tower', {}, true],
  ['two-tower, features only', 'two-tower', { idDim: 0 }, false],
  ['linear, no factors', 'linear', { factors: 0 }, false],
  ['youtube, time gaps', 'youtube', { timeGaps: true }, true],
  ['sequence-two-tower, time gaps, content only', 'sequence-two-tower', { timeGaps: true, itemIdDim: 0 }, true],
  ['sequence-two-tower, GRU user tower', 'sequence-two-tower', { encoder: 'gru' }, true],
  ['sequence-two-tower, attention user tower', 'sequence-two-tower', { encoder: 'attention', blocks: 1, heads: 2 }, true],
];

describe.each(cases)('summary of %s', (_name, kind, options, implicit) => {
  it('lists every parameter buffer the trained model holds, with its real size', async () => {
    const be = await createBackend('wasm');
    const { model } = buildModel(kind, be, data, implicit ? positives : split.train, options);
    model.compile(implicit ? { loss: kind === 'lightgcn' ? 'bpr' : RANKING_ONLY_KINDS.includes(kind) ? 'softmax' : 'bce' } : {});
    const before = model.summary();
    await model.fit(implicit ? positives : split.train, { epochs: 1 });
    const s = model.summary();
    expect(s).toEqual(before);
    const held = paramsHeldBy(model);
    expect(backendTensors(s)).toEqual(held.map((p) => key(p.name, p.rows, p.dim)).sort());
    // The buffers are as long as the summary says.
    for (const p of held) expect(p.value.length).toBe(p.rows * p.dim);
    expect(s.backendBytes).toBe(4 * held.reduce((n, p) => n + p.value.length, 0));
    expect(s.totalParams).toBe(s.layers.reduce((n, l) => n + l.params, 0));
    expect(s.trainableParams + s.nonTrainableParams).toBe(s.totalParams);
    if (kind === 'two-tower' && implicit) expect(s.nonTrainableParams).toBe(data.itemIndex.size + 1); // the popularity prior
    // Data-flow order: a part reads only parts listed before it.
    const names = s.layers.map((l) => l.name);
    s.layers.forEach((l, i) => l.inputs.forEach((from) => expect(names.indexOf(from)).toBeLessThan(i)));
    expect(names[names.length - 1]).toBe('output');
    const text = formatSummary(s);
    for (const n of names) expect(text).toContain(n.length > 28 ? n.slice(0, 20) : n);
    expect(text).toContain(`Total params: ${s.totalParams.toLocaleString('en-US')}`);
    model.dispose();
  });
});

describe('summary details', () => {
  it('the statistics of baselines are counted as fixed values in JavaScript', async () => {
    const be = await createBackend('js');
    const { model } = buildModel('user-mean', be, data, split.train);
    await model.fit(split.train);
    const s = model.summary();
    expect(s.totalParams).toBe(data.userIndex.size + 1);
    expect(s.trainableParams).toBe(0);
    expect(s.backendBytes).toBe(0);
  });

  it('a ranking twin is one more part with its own weights', async () => {
    const be = await createBackend('wasm');
    const { model } = buildModel('mf', be, data, split.train, { factors: 4 });
    const plain = model.summary().totalParams;
    model.compile({ ranking: 'bpr' });
    await model.fit(split.train, { epochs: 1 });
    const s = model.summary();
    const twin = s.layers.find((l) => l.name === 'ranking_twin')!;
    expect(twin.type).toBe('Model');
    expect(s.totalParams).toBe(plain + twin.params);
    expect(backendTensors(s)).toEqual(paramsHeldBy(model as Recommender).map((p) => key(p.name, p.rows, p.dim)).sort());
  });

  it('shapes follow the options: widths of the id embedding, the towers and the head', async () => {
    const be = await createBackend('js');
    const { model } = buildModel('two-tower', be, data, split.train, { idDim: 6, towerLayers: [10, 5], headLayers: [7], head: 'mlp' });
    const s = model.summary();
    const part = (n: string) => s.layers.find((l) => l.name === n)!;
    expect(part('user/id').outputShape).toEqual([6]);
    expect(part('user_tower/dense1').outputShape).toEqual([5]);
    expect(part('head_input').outputShape).toEqual([10]);
    expect(part('head/dense0').tensors[0].shape).toEqual([10, 7]);
    expect(part('head/dense1').outputShape).toEqual([1]);
  });
});
