// Property: `readModelBytes` on mutations of real model files (every saveable kind, and files
// of wasmrec 0.1) either loads a model whose state is finite and which serves without a
// memory fault, or throws a deliberate ModelFileError; either way it returns promptly and
// the backend's memory ends as it began. `npm test` runs a few cases per kind, `npm run fuzz`
// ≥ 10,000 and prints one summary line per kind.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/backends/index.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { buildModel, usesFeatures, type ModelKind, type ModelOptions } from '../../src/models/factory.js';
import type { Recommender } from '../../src/models/recommender.js';
import { ModelFileError, readModelBytes, serializeModel } from '../../src/io/model-file.js';
import { readSpec } from '../io/model-file-edit.js';
import { FUZZING, fuzzRuns, fuzzSeed } from './config.js';
import { jsonPaths, mutateLegacy, mutateSafetensors, mutationArb } from './model-file-mutations.js';

const dataset = generateSynthetic({ nUsers: 25, nItems: 30, nRatings: 300, seed: 17 });
const train = dataset.folds!.u1.train;
/** A case slower than this counts as a hang (the slowest legitimate load here takes ~50 ms). */
const HANG_MS = 5000;
/** Small, so that a mutated size that slipped through would show as a rejection by the budget, not as memory use. */
const MAX_BYTES = 64 * 2 ** 20;

type Target = { name: string; kind?: ModelKind; options?: ModelOptions; loss?: 'bce'; legacy?: string };
const TARGETS: Target[] = [
  { name: 'global mean', kind: 'mean' },
  { name: 'user mean', kind: 'user-mean', options: { minCount: 3 } },
  { name: 'item mean', kind: 'item-mean' },
  { name: 'mf', kind: 'mf', options: { factors: 4 } },
  { name: 'linear', kind: 'linear', options: { factors: 3 } },
  { name: 'two-tower dot', kind: 'two-tower', options: { head: 'dot', towerLayers: [6] } },
  { name: 'two-tower mlp', kind: 'two-tower', options: { head: 'mlp', towerLayers: [6, 4], headLayers: [5], dropout: 0.1 } },
  { name: 'two-tower both', kind: 'two-tower', options: { head: 'both', towerLayers: [6], headLayers: [4] } },
  { name: 'two-tower bce with a popularity prior', kind: 'two-tower', options: { head: 'dot', towerLayers: [4], popularityPrior: 1 }, loss: 'bce' },
  { name: 'mf-features', kind: 'mf-features', options: { towerLayers: [5] } },
  { name: 'ensemble', kind: 'ensemble' },
  { name: '0.1 file: two-tower both', legacy: 'v1-two-tower-both' },
  { name: '0.1 file: mf', legacy: 'v1-mf' },
];

let be: Backend;
const summaries: string[] = [];

beforeAll(async () => {
  be = await createBackend('wasm');
});

afterAll(() => {
  if (FUZZING) for (const line of summaries) console.log(line);
});

async function original(t: Target): Promise<Uint8Array> {
  if (t.legacy) return new Uint8Array(readFileSync(new URL(`../io/fixtures/${t.legacy}.wasmrec`, import.meta.url)));
  const { model } = buildModel(t.kind!, be, dataset, train, { ...(usesFeatures(t.kind!) && t.kind !== "ensemble" ? { maxBatch: 32 } : {}), ...t.options } as ModelOptions);
  if (t.loss) model.compile({ loss: t.loss });
  await model.fit(train, { epochs: 1, batchSize: t.kind === 'mf' ? 1 : 32, seed: 2 });
  const bytes = serializeModel(model, { info: { target: t.name } });
  model.dispose();
  return bytes;
}

/** What a loaded model must satisfy: a finite state, and serving that reads no memory it should not. */
function checkLoaded(model: Recommender): void {
  const check = (state: ReturnType<Recommender['exportState']>) => {
    expect(Number.isFinite(state.globalMean)).toBe(true);
    for (const [key, t] of Object.entries(state.tensors)) {
      // NaN is the "no mean" marker of the mean baselines (fewer ratings than minCount).
      const meanTable = t instanceof Float64Array;
      for (const v of t) if (!Number.isFinite(v) && !(meanTable && Number.isNaN(v))) expect.fail(`${state.kind} ${key} holds ${v}`);
    }
    for (const m of state.members ?? []) check(m.state);
  };
  check(model.exportState());
  const users = [...model.indexes.userIndex.ids.slice(0, 5), 'nobody'];
  const items = [...model.indexes.itemIndex.ids.slice(0, 5), 'nothing'];
  expect(model.predictIds(users, items).length).toBe(6);
  expect(model.scoreItems(Int32Array.of(0, -1)).length).toBe(2 * model.nItems);
  for (const i of model.recommendIndices(0, 5).indices) expect(i >= 0 && i < model.nItems).toBe(true);
  if (model.pipeline) expect(model.scoreItemsForFeatures({ age: 30, gender: 'F', occupation: 'writer' }).length).toBe(model.nItems);
}

describe('model files: mutations of real files load safely or fail with a ModelFileError', () => {
  it.each(TARGETS.map((t, k) => [t.name, t, k] as const))('%s', async (_name, target, k) => {
    const bytes = await original(target);
    const paths = jsonPaths(target.legacy ? JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + new DataView(bytes.buffer).getUint32(12, true)))) : JSON.parse(readSpec(bytes).header.__metadata__.manifest));
    const mutate = target.legacy ? mutateLegacy : mutateSafetensors;
    const reasons = new Map<string, number>();
    let loaded = 0;
    let slowest = 0;
    await fc.assert(
      fc.asyncProperty(mutationArb, async (mutation) => {
        const mutated = mutate(bytes, mutation, paths);
        const before = be.heap.bytesInUse;
        const start = performance.now();
        let model: Recommender | null = null;
        try {
          model = (await readModelBytes(mutated, be, { maxBytes: MAX_BYTES })).model;
        } catch (err) {
          if (!(err instanceof ModelFileError) || err.cause !== undefined) throw new Error(`not a deliberate ModelFileError: ${(err as Error)?.stack ?? err}`, { cause: err });
          const reason = err.message.replace(/^model file: /, '').split(/[:(]/)[0].replace(/'[^']*'/g, "'…'").replace(/\d+/g, 'N').trim();
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        }
        const took = performance.now() - start;
        slowest = Math.max(slowest, took);
        expect(took).toBeLessThan(HANG_MS);
        if (model) {
          loaded++;
          checkLoaded(model);
          model.dispose();
        }
        expect(be.heap.bytesInUse).toBe(before);
      }),
      { numRuns: fuzzRuns(40), seed: fuzzSeed() + k },
    );
    const runs = fuzzRuns(40);
    const top = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([r, n]) => `${r} ${n}`).join('; ');
    summaries.push(`model-file fuzz [${target.name}]: ${runs} cases, ${loaded} loaded, ${runs - loaded} rejected (${reasons.size} distinct reasons; most: ${top}); slowest ${slowest.toFixed(0)} ms`);
    // Both outcomes occur: the mutations reach past the checksum and the checks still reject.
    if (runs >= 40) expect(loaded).toBeGreaterThan(0);
    expect(reasons.size).toBeGreaterThan(runs >= 40 ? 3 : 0);
  });
});
