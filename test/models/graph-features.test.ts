// A graph feature (a side graph's links pooled through the tower's own id table): encoded as
// id rows by the pipeline, trained, summarised, saved and loaded like any feature.
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { parseEdges } from '../../src/data/edges.js';
import { withGraph } from '../../src/data/graph-columns.js';
import { makeSplit } from '../../src/data/splits.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { deserializeModel, serializeModel } from '../../src/io/model-file.js';
import { buildModel } from '../../src/models/factory.js';
import { FeaturePipeline } from '../../src/preprocessing/pipeline.js';
import { pipelineFromJSON } from '../../src/io/pipeline-json.js';
import type { FeatureSpec } from '../../src/preprocessing/spec.js';

const base = generateSynthetic({ seed: 4, nUsers: 60, nItems: 50, nRatings: 1500 });
const ids = base.userIndex.ids;
// User k trusts users k+1 and k+7 (mod 60); one link names a stranger.
const edges = parseEdges([...ids.flatMap((id, k) => [`${id} ${ids[(k + 1) % 60]}`, `${id} ${ids[(k + 7) % 60]}`]), `${ids[0]} stranger`].join('\n'), { file: 'trust.txt' });
const { dataset } = withGraph(base, 'user', edges);
const GRAPH: FeatureSpec = { user: [{ type: 'graph', column: 'neighbours' }], item: [] };

describe('graph feature', () => {
  it('encodes each entity\'s links as rows of the id table (unknown row when none), through a JSON round trip', () => {
    const split = makeSplit(dataset, { kind: 'random', seed: 1 });
    const pipeline = FeaturePipeline.fit(dataset, split.train, GRAPH);
    const enc = pipeline.encode('user', dataset.userIndex);
    const g = enc.multi[0];
    expect(g).toMatchObject({ name: 'neighbours', cardinality: 61, of: 'ids' });
    expect([...g.ids.subarray(g.offsets[0], g.offsets[1])]).toEqual([1, 7]);
    expect([...g.ids.subarray(g.offsets[59], g.offsets[60])]).toEqual([0, 6]);
    // The unknown entity (last row) links to the unknown id row.
    expect([...g.ids.subarray(g.offsets[60], g.offsets[61])]).toEqual([60]);
    const copy = FeaturePipeline.fromJSON(JSON.parse(JSON.stringify(pipeline.toJSON())));
    expect(copy.encode('user', dataset.userIndex)).toEqual(enc);
    const newcomer = pipeline.encodeRows('user', [{ neighbours: [ids[3], 'stranger'] }]);
    expect([...newcomer.multi[0].ids.subarray(0, newcomer.multi[0].offsets[1])]).toEqual([3]);
  });

  it('trains a two-tower whose user tower reads the mean of the linked users\' id embeddings; summary, save and load agree', async () => {
    const split = makeSplit(dataset, { kind: 'random', seed: 1 });
    const be = await createBackend('wasm');
    const { model } = buildModel('two-tower', be, dataset, split.train, { idDim: 8, towerLayers: [4] }, GRAPH);
    const { model: plain } = buildModel('two-tower', be, dataset, split.train, { idDim: 8, towerLayers: [4] }, 'none');
    await model.fit(split.train, { epochs: 2, seed: 3 });
    const summary = model.summary();
    const layer = summary.layers.find((l) => l.type === 'NeighbourMean')!;
    expect(layer).toMatchObject({ name: 'user/neighbours', outputShape: [8], params: 0 });
    // The graph adds no table, only the tower's weights for 8 more inputs.
    expect(summary.totalParams).toBe(plain.summary().totalParams + 8 * 4);
    const back = await deserializeModel(serializeModel(model), be);
    expect(Array.from(back.predict(split.test))).toEqual(Array.from(model.predict(split.test)));
  });

  it('is a pooled feature of its own in a model without id embeddings (LinearRS)', async () => {
    const split = makeSplit(dataset, { kind: 'random', seed: 1 });
    const be = await createBackend('wasm');
    const { model } = buildModel('linear', be, dataset, split.train, {}, GRAPH);
    await model.fit(split.train, { epochs: 1 });
    expect(model.summary().layers.some((l) => l.name === 'user/neighbours' && l.type === 'PooledEmbedding')).toBe(true);
    const back = await deserializeModel(serializeModel(model), be);
    expect(Array.from(back.predict(split.test))).toEqual(Array.from(model.predict(split.test)));
  });

  it('aggregate "gcn": each link weighs 1/√((d_u + 1)(d_v + 1)); the weights travel in the pipeline and the model file', async () => {
    const split = makeSplit(dataset, { kind: 'random', seed: 1 });
    const GCN: FeatureSpec = { user: [{ type: 'graph', column: 'neighbours', aggregate: 'gcn' }], item: [] };
    const pipeline = FeaturePipeline.fit(dataset, split.train, GCN);
    const g = pipeline.encode('user', dataset.userIndex).multi[0];
    // Every user links to two known users (the stranger is unknown): 1/√(3·3).
    expect([...g.ids.subarray(g.offsets[0], g.offsets[1])]).toEqual([1, 7]);
    expect(Array.from(g.weights!.subarray(g.offsets[0], g.offsets[1]))).toEqual([1 / 3, 1 / 3].map(Math.fround));
    const newcomer = pipeline.encodeRows('user', [{ neighbours: [ids[3], 'stranger'] }]).multi[0];
    expect(newcomer.weights![0]).toBeCloseTo(1 / Math.sqrt(2 * 3), 7);
    const copy = FeaturePipeline.fromJSON(JSON.parse(JSON.stringify(pipeline.toJSON())));
    expect(copy.encode('user', dataset.userIndex)).toEqual(pipeline.encode('user', dataset.userIndex));
    const json = pipeline.toJSON();
    const broken = { ...json, user: { ...json.user, params: [{ ...json.user.params[0], degrees: [-1] }] } };
    const shapes = [{ user: pipeline.encode('user', dataset.userIndex), item: pipeline.encode('item', dataset.itemIndex) }];
    expect(pipelineFromJSON(JSON.parse(JSON.stringify(json)), shapes).toJSON()).toEqual(json);
    expect(() => pipelineFromJSON(JSON.parse(JSON.stringify(broken)), shapes)).toThrow(/pipeline\.user\.params\[0\]\.degrees must be one count \(an integer ≥ 0\) per id/);

    const be = await createBackend('wasm');
    const { model } = buildModel('two-tower', be, dataset, split.train, { idDim: 8, towerLayers: [4] }, GCN);
    const { model: mean } = buildModel('two-tower', be, dataset, split.train, { idDim: 8, towerLayers: [4] }, GRAPH);
    await model.fit(split.train, { epochs: 2, seed: 3 });
    await mean.fit(split.train, { epochs: 2, seed: 3 });
    expect(model.summary().layers.find((l) => l.type === 'NeighbourMean')!.detail).toMatch(/GCN-normalised sum/);
    // The same network and seed; only the weighting differs.
    expect(Array.from(model.predict(split.test))).not.toEqual(Array.from(mean.predict(split.test)));
    const back = await deserializeModel(serializeModel(model), be);
    expect(Array.from(back.predict(split.test))).toEqual(Array.from(model.predict(split.test)));
  });

  it('refuses an unknown aggregate', () => {
    expect(() => FeaturePipeline.fit(dataset, dataset.ratings, { user: [{ type: 'graph', column: 'neighbours', aggregate: 'max' as 'mean' }], item: [] })).toThrow(/aggregate must be "mean" or "gcn", got "max"/);
  });
});
