// Model files from untrusted sources (issue 11, points 6-8): sizes in the config are checked
// against the tensors and a memory budget before anything is allocated, values inside the
// tensors are checked, malformed fields give a ModelFileError, and a failed load leaves the
// backend's memory as it was. Each case is an edit a file could carry, with a valid checksum.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/backends/index.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { buildModel, usesFeatures, type ModelKind, type ModelOptions } from '../../src/models/factory.js';
import { ModelFileError, readModelBytes, serializeModel } from '../../src/io/model-file.js';
import { openModelDocument } from '../../src/io/model-document.js';
import { checkModelFile } from '../../src/io/model-read.js';
import { buildPlannedModel } from '../../src/io/model-build.js';
import { crc32 } from '../../src/io/crc32.js';
import { editModel } from './model-file-edit.js';
import type { LossName } from '../../src/training/losses.js';
import type { FeatureSpec } from '../../src/preprocessing/spec.js';

const dataset = generateSynthetic({ nUsers: 60, nItems: 80, nRatings: 1500, seed: 7 });
const train = dataset.folds!.u1.train;
let be: Backend;
const files: Record<string, Uint8Array> = {};

async function saved(kind: ModelKind, options: ModelOptions, loss?: LossName, spec: FeatureSpec | 'auto' = 'auto'): Promise<Uint8Array> {
  const { model } = buildModel(kind, be, dataset, train, { ...(usesFeatures(kind) && kind !== "ensemble" ? { maxBatch: 64 } : {}), ...options } as ModelOptions, spec);
  if (loss) model.compile({ loss });
  await model.fit(train, { epochs: 1, batchSize: kind === 'mf' ? 1 : 64, seed: 3 });
  const bytes = serializeModel(model);
  model.dispose();
  return bytes;
}

beforeAll(async () => {
  be = await createBackend('wasm');
  files.twoTower = await saved('two-tower', { head: 'both', towerLayers: [8], headLayers: [8] });
  files.mf = await saved('mf', { factors: 4 });
  files.linear = await saved('linear', { factors: 3 });
  files.userMean = await saved('user-mean', {});
  files.ensemble = await saved('ensemble', {});
});

/** More configurations, for the memory plan: dropout buffers, the softmax's logits, a prior, LinearRS without factors. */
const variants: Record<string, Uint8Array> = {};
async function savedVariants(): Promise<Record<string, Uint8Array>> {
  if (Object.keys(variants).length > 0) return variants;
  variants.dropout = await saved('two-tower', { head: 'mlp', towerLayers: [8, 4], headLayers: [6], dropout: 0.2 });
  variants.softmax = await saved('two-tower', { head: 'dot', towerLayers: [8] }, 'softmax');
  variants.prior = await saved('two-tower', { head: 'dot', towerLayers: [4], popularityPrior: 1 }, 'bce');
  variants.linearNoFactors = await saved('linear', { factors: 0 });
  // A title read by a GRU: its padded token rows, its weights and buffers; LinearRS averages it.
  const gruTitles: FeatureSpec = { user: [], item: [{ type: 'text', column: 'title', encoder: 'gru', maxTokens: 6 }] };
  variants.gruText = await saved('two-tower', { head: 'dot', towerLayers: [8] }, undefined, gruTitles);
  variants.gruTextLinear = await saved('linear', { factors: 2 }, undefined, gruTitles);
  // The two-tower and softmax MF with its cold users' map (MF trains 25 epochs: kept small).
  variants.implicitEnsemble = await saved('ensemble', { members: 'implicit' }, 'bce');
  return variants;
}

/** The load fails with a deliberate ModelFileError matching `pattern`, and frees all it allocated. */
async function rejected(bytes: Uint8Array, pattern: RegExp): Promise<void> {
  const before = be.heap.bytesInUse;
  const err = await readModelBytes(bytes, be).catch((e) => e);
  expect(err).toBeInstanceOf(ModelFileError);
  expect(err.cause).toBeUndefined();
  expect(err.message).toMatch(pattern);
  expect(be.heap.bytesInUse).toBe(before);
}

/** A wasmrec 0.1 file with its header edited and its checksum recomputed. */
function editV1(bytes: Uint8Array, edit: (h: any, tensor: (ref: any) => any) => void): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const dataStart = Math.ceil((20 + view.getUint32(12, true)) / 8) * 8;
  const h = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + view.getUint32(12, true))));
  const data = bytes.slice(dataStart);
  const C: any = { f32: Float32Array, f64: Float64Array, i32: Int32Array, u8: Uint8Array };
  edit(h, (ref) => new C[ref.dtype](data.buffer, ref.offset, ref.length));
  const json = new TextEncoder().encode(JSON.stringify(h));
  const start = Math.ceil((20 + json.length) / 8) * 8;
  const out = new Uint8Array(start + data.length);
  out.set(bytes.subarray(0, 12));
  new DataView(out.buffer).setUint32(12, json.length, true);
  out.set(json, 20);
  out.set(data, start);
  new DataView(out.buffer).setUint32(16, crc32(out.subarray(20)), true);
  return out;
}
const v1TwoTower = new Uint8Array(readFileSync(new URL('./fixtures/v1-two-tower-both.wasmrec', import.meta.url)));

describe('6. sizes: checked against the tensors and the memory budget before allocating', () => {
  it('an id embedding width, feature width, layer width or factor count the tensors do not have', async () => {
    await rejected(editModel(files.twoTower, (m) => (m.model.config.idDim = 1e5)), /tensor 'model\/user\/id' \(model param0:user\/id\) is F32 \[61,24\]; the model needs F32 \[61,100000\]/);
    await rejected(editModel(files.twoTower, (m) => (m.model.config.featureDims[0][2] = 1e7)), /the model needs F32 \[\d+,10000000\]/);
    await rejected(editModel(files.twoTower, (m) => (m.model.config.towerLayers = [1e6])), /dense0\/W.*the model needs F32 \[\d+,1000000\]/);
    await rejected(editModel(files.mf, (m) => (m.model.config.factors = 1e6)), /user_factors.* the model needs F32 \[61,1000000\]/);
    await rejected(editModel(files.linear, (m) => (m.model.config.factors = 0)), /model.tensors has 'param0:user_factors', which a 'linear' model with this config does not have/);
  });

  it('a maxBatch whose buffers exceed the budget; the budget is an option', async () => {
    await rejected(editModel(files.twoTower, (m) => (m.model.config.maxBatch = 1e6)), /loading it would take [\d.]+ MiB of backend memory, more than the [\d.]+ MiB allowed \(the maxBytes option\)/);
    const need = checkModelFile(openModelDocument(files.twoTower)).plan.bytes;
    await expect(readModelBytes(files.twoTower, be, { maxBytes: need - 1 })).rejects.toThrow(/more than the/);
    const { model } = await readModelBytes(files.twoTower, be, { maxBytes: need });
    model.dispose();
  });

  it('the planned bytes are what loading each kind takes (within 10%), and a loaded model frees them all', async () => {
    for (const [name, bytes] of Object.entries({ ...files, ...(await savedVariants()) })) {
      const planned = checkModelFile(openModelDocument(bytes)).plan.bytes;
      const before = be.heap.bytesInUse;
      const { model } = await readModelBytes(bytes, be);
      const used = be.heap.bytesInUse - before;
      expect(used, name).toBeLessThanOrEqual(planned);
      expect(used, name).toBeGreaterThanOrEqual(0.9 * planned);
      model.dispose();
      expect(be.heap.bytesInUse, name).toBe(before);
    }
  });

  it('a model whose state fails to import halfway is disposed: the backend keeps nothing', async () => {
    for (const name of ['twoTower', 'ensemble'] as const) {
      const file = checkModelFile(openModelDocument(files[name]));
      // The last tensor of the last model to be imported is missing.
      let state = file.state;
      while (state.members) state = state.members[state.members.length - 1].state;
      const keys = Object.keys(state.tensors).filter((k) => k !== 'itemSupport');
      delete state.tensors[keys[keys.length - 1]];
      const before = be.heap.bytesInUse;
      expect(() => buildPlannedModel(file.plan, file.state, be, file.indexes, file.features)).toThrow(/saved state (lacks tensor|has \d+ parameter tensors)/);
      expect(be.heap.bytesInUse, name).toBe(before);
    }
  });

  it('0.1 files: the same checks (idDim 1e5, maxBatch 1e6)', async () => {
    await rejected(editV1(v1TwoTower, (h) => (h.model.config.idDim = 1e5)), /the model needs F32 \[31,100000\]/);
    await rejected(editV1(v1TwoTower, (h) => (h.model.config.maxBatch = 1e6)), /more than the [\d.]+ MiB allowed/);
  });
});

describe('7. values inside tensors: indices in range, flags 0/1, numbers finite', () => {
  const codes = 'features/0/user/gender/codes';
  it('categorical codes, multi offsets and ids, continuous values', async () => {
    await rejected(editModel(files.twoTower, (_m, t) => (t(codes)[0] = 0x7f7fffff)), /'features\/0\/user\/gender\/codes' \(codes of gender, cardinality 3\) holds 2139095039 at index 0, outside \[0, 3\)/);
    await rejected(editModel(files.twoTower, (_m, t) => (t(codes)[5] = -1)), /holds -1 at index 5/);
    await rejected(editModel(files.twoTower, (_m, t) => (t('features/0/item/genres/ids')[3] = 17)), /ids of genres, cardinality 17\) holds 17/);
    await rejected(editModel(files.twoTower, (_m, t) => (t('features/0/item/genres/offsets')[4] = 0)), /offsets of genres\) decreases at row 4/);
    await rejected(editModel(files.twoTower, (_m, t) => (t('features/0/user/continuous')[2] = Infinity)), /'features\/0\/user\/continuous' .* holds Infinity at index 2 \(values must be finite\)/);
    // A text read by a GRU: its padded rows grow with recurrentTokens, which is bounded.
    const { gruText } = await savedVariants();
    await rejected(editModel(gruText, (m) => (m.features[0].item.multi[0].recurrentTokens = 1e6)), /features\[0\]\.item\.multi\[0\]\.recurrentTokens marks a text read by a GRU: at most 512/);
    // Marking a bag-of-words feature as one: the plan then wants the GRU's tensors the file lacks.
    await rejected(editModel(files.twoTower, (m) => (m.features[0].item.multi[0].recurrentTokens = 4)), /model.tensors has 'param10:item_tower\/dense0\/W', which a 'two-tower' model with this config does not have/);
  });

  it('μ, weights and means must be finite (NaN marks a user-mean below minCount), seen flags 0 or 1', async () => {
    await rejected(editModel(files.twoTower, (m) => (m.model.globalMean = 'NaN')), /manifest field model.globalMean must be a finite number, got "NaN"/);
    await rejected(editModel(files.twoTower, (_m, t) => (t('model/user_tower/dense0/W')[7] = NaN)), /'model\/user_tower\/dense0\/W' .* holds NaN at index 7/);
    await rejected(editModel(files.mf, (_m, t) => (t('model/item_bias')[0] = -Infinity)), /holds -Infinity/);
    await rejected(editModel(files.userMean, (_m, t) => (t('model/user_mean')[0] = Infinity)), /holds Infinity/);
    await rejected(editModel(files.mf, (_m, t) => (t('model/user_seen')[1] = 2)), /'model\/user_seen' .* holds 2 at index 1 \(only 0 and 1 are allowed\)/);
    const withNaN = editModel(files.userMean, (_m, t) => (t('model/user_mean')[0] = NaN));
    const { model } = await readModelBytes(withNaN, be);
    expect(model.predictIds([dataset.userIndex.ids[0]], [dataset.itemIndex.ids[0]])[0]).toBeCloseTo(model.globalMean, 5);
  });

  it('training items: offsets from 0 to their count, items in range', async () => {
    await rejected(editModel(files.mf, (_m, t) => (t('training_items/items')[0] = 1e9)), /'training_items\/items'|trainingItems.items holds 1000000000/);
    await rejected(editModel(files.mf, (_m, t) => (t('training_items/offsets')[60] -= 1)), /trainingItems.offsets ends at/);
  });

  it('0.1 files: the same checks (a code of 0x7f7fffff, a NaN weight, μ "NaN")', async () => {
    await rejected(editV1(v1TwoTower, (h, t) => (t(h.features[0].user.categorical[0].codes)[0] = 0x7f7fffff)), /holds 2139095039 at index 0/);
    await rejected(editV1(v1TwoTower, (h, t) => (t(Object.values(h.model.tensors)[3])[0] = NaN)), /holds NaN at index 0/);
    await rejected(editV1(v1TwoTower, (h) => (h.model.globalMean = 'NaN')), /model.globalMean must be a finite number/);
  });
});

describe('8. malformed fields: a ModelFileError naming the field, never a TypeError', () => {
  const own = (o: object, key: string, value: unknown) => Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  const CASES: [string, (m: any) => void, RegExp][] = [
    ['pipeline { version: 2 }', (m) => (m.pipeline = { version: 2 }), /pipeline.version must be 1, got 2/],
    ['features[0].user.categorical = {}', (m) => (m.features[0].user.categorical = {}), /features\[0\].user.categorical must be a list, got \{\}/],
    ['model = []', (m) => (m.model = []), /manifest field model must be an object/],
    ['model.kind = 5', (m) => (m.model.kind = 5), /model.kind must be a string/],
    ['unknown kind', (m) => (m.model.kind = 'transformer'), /model.kind is 'transformer', which this wasmrec does not know/],
    ['config = "x"', (m) => (m.model.config = 'x'), /model.config must be an object/],
    ['towerLayers = {}', (m) => (m.model.config.towerLayers = {}), /model.config.towerLayers must be a list of integers ≥ 1/],
    ['head = "toString"', (m) => (m.model.config.head = 'toString'), /model.config.head must be one of dot, mlp, both/],
    ['activation deleted', (m) => delete m.model.config.activation, /model.config.activation must be one of relu, sigmoid, tanh, linear, got nothing/],
    ['dropout = 1', (m) => (m.model.config.dropout = 1), /model.config.dropout must be a number in \[0, 1\)/],
    ['maxBatch = -3', (m) => (m.model.config.maxBatch = -3), /model.config.maxBatch must be an integer in \[1,/],
    ['featureDims = [[1, 2]]', (m) => (m.model.config.featureDims = [[1, 2]]), /featureDims must be a list of \[name, cardinality, width\] rows/],
    ['loss = "hinge"', (m) => (m.model.loss = 'hinge'), /manifest field model.loss: unknown loss 'hinge' \(expected mse, bce, bpr, softmax\)/],
    ['ids.users = "x"', (m) => (m.ids.users = 'x'), /ids.users must be a list/],
    ['ids.users holds a number', (m) => (m.ids.users[3] = 17), /ids.users\[3\] must be a string/],
    ['ids.items repeat', (m) => (m.ids.items[1] = m.ids.items[0]), /ids.items repeats an id/],
    ['ids lose a user', (m) => m.ids.users.pop(), /features\[0\].user.n is 61; the model needs 60/],
    ['tensors.userSeen = 5', (m) => (m.model.tensors.userSeen = 5), /model.tensors.userSeen must be a string/],
    ['a tensor used twice', (m) => (m.model.tensors.userSeen = m.model.tensors.itemSeen), /used elsewhere too|is U8 \[80\]; the model needs U8 \[60\]/],
    ['features = {}', (m) => (m.features = {}), /features must be a list/],
    ['features index 3', (m) => (m.model.features = 3), /model.features must name one of the file's 1 feature sets, got 3/],
    ['n = -1', (m) => (m.features[0].user.n = -1), /features\[0\].user.n must be an integer ≥ 1/],
    ['itemTitles = [1]', (m) => (m.itemTitles = { a: 1 }), /itemTitles\["a"\] must be a string/],
    ['info = 3', (m) => (m.info = 3), /info must be an object/],
    ['pipeline.spec = null', (m) => (m.pipeline.spec = null), /pipeline.spec is invalid/],
    ['pipeline.user.params = {}', (m) => (m.pipeline.user.params = {}), /pipeline.user.params must hold one object per feature/],
    ['pipeline std 0', (m) => (m.pipeline.user.params.find((p: any) => p.std).std = [0]), /pipeline.user.params\[\d\].std must be 1 finite number\(s\) > 0/],
    ['pipeline column of the wrong type', (m) => (m.pipeline.user.table.columns.age = { kind: 'number', values: 'x' }), /pipeline.user.table.columns.age must be a number, string or multi column/],
    ['pipeline vocabulary shorter than the features', (m) => m.pipeline.user.params.find((p: any) => p.vocab).vocab.pop(), /pipeline.user does not encode the model's feature columns/],
    ['__proto__ in the manifest', (m) => own(m, '__proto__', { model: 1 }), /^(?!.*TypeError)/],
    ['__proto__ as a tensor key', (m) => own(m.model.tensors, '__proto__', 'model/user_seen'), /model.tensors has '__proto__'/],
    ['__proto__ in the config', (m) => own(m.model.config, '__proto__', { idDim: 1e9 }), /^(?!.*TypeError)/],
    ['members on a two-tower', (m) => (m.model.members = [{ weight: 1, model: JSON.parse(JSON.stringify(m.model)) }]), /model: only an ensemble has members/],
  ];
  it.each(CASES)('%s', async (_name, edit, pattern) => {
    const bytes = editModel(files.twoTower, edit);
    const before = be.heap.bytesInUse;
    const result = await readModelBytes(bytes, be).catch((e) => e);
    if (!(result instanceof Error)) {
      // Harmless own "__proto__" keys are ignored: the model loads as saved.
      expect(_name).toMatch(/__proto__/);
      result.model.dispose();
      expect(be.heap.bytesInUse).toBe(before);
      return;
    }
    expect(result).toBeInstanceOf(ModelFileError);
    expect(result.cause).toBeUndefined();
    expect(result.message).toMatch(pattern);
    expect(be.heap.bytesInUse).toBe(before);
  });

  it('ensembles: members must be a list of weighted models, one weight > 0', async () => {
    await rejected(editModel(files.ensemble, (m) => (m.model.members = {})), /model.members must be a list/);
    await rejected(editModel(files.ensemble, (m) => m.model.members.forEach((x: any) => (x.weight = 0))), /at least one weight must be > 0/);
    await rejected(editModel(files.ensemble, (m) => (m.model.members[1].weight = -1)), /members\[1\].weight must be a number ≥ 0/);
    await rejected(editModel(files.ensemble, (m) => (m.model.members[2].model.config.idDim = 7)), /model.members\[2\].model.*the model needs F32 \[61,7\]/);
  });

  it("an implicit ensemble: its members' implicit losses, MF's cold users' map (width bounded, columns named, tensor of that shape)", async () => {
    const ens = (await savedVariants()).implicitEnsemble;
    const mf = (m: any) => m.model.members[1].model;
    await rejected(editModel(ens, (m) => (mf(m).config.coldUserMapWidth = 1e9)), /model.members\[1\].model.config.coldUserMapWidth must be an integer in \[1, 2048\], got 1000000000/);
    await rejected(editModel(ens, (m) => (mf(m).config.coldUserColumns = [1])), /model.members\[1\].model.config.coldUserColumns must be a list of strings/);
    await rejected(editModel(ens, (m) => (mf(m).config.coldUserMapWidth = 5)), /\(model.members\[1\].model coldUserMap\) is F32 \[\d+,65\]; the model needs F32 \[5,65\]/);
    await rejected(editModel(ens, (m) => (mf(m).loss.name = 'mse')), /the ensemble's loss 'bce' does not go with its members' \(bce, mse\)/);
    await rejected(editModel(ens, (m) => (m.model.config.fusion = 'borda')), /model.config.fusion must be one of adaptive, reciprocal-rank, standardised-mean, got "borda"/);
    await rejected(editModel(ens, (m) => (m.model.config.fusion = 3)), /model.config.fusion must be one of adaptive, reciprocal-rank, standardised-mean, got 3/);
  });

  it('0.1 files: the same (pipeline { version: 2 }, categorical = {})', async () => {
    await rejected(editV1(v1TwoTower, (h) => (h.pipeline = { version: 2 })), /pipeline.version must be 1, got 2/);
    await rejected(editV1(v1TwoTower, (h) => (h.features[0].user.categorical = {})), /features\[0\].user.categorical must be a list/);
  });
});
