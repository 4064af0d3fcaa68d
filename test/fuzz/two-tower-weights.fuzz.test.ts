// Property: `readTwoTowerWeights` + `twoTowerFromWeights` on mutations of the committed weights
// fixture (raw bytes, header entries, tensor values, any field of the metadata's JSON) either
// build a model whose parameters are finite and which serves, or throw a deliberate
// ModelFileError; promptly, and the backend's memory ends as it began. `npm test` runs a few
// cases, `npm run fuzz` ≥ 10,000.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/backends/index.js';
import { ModelFileError } from '../../src/io/model-file-error.js';
import { readTwoTowerWeights } from '../../src/io/two-tower-weights.js';
import { twoTowerFromWeights } from '../../src/io/two-tower-weights-model.js';
import { readSpec, writeSpec } from '../io/model-file-edit.js';
import { FUZZING, fuzzRuns, fuzzSeed } from './config.js';
import { jsonPaths, mutateJSON, mutateSafetensors, mutationArb, type Mutation } from './model-file-mutations.js';

const FIXTURE = new Uint8Array(readFileSync(new URL('../io/fixtures/two-tower-weights/weights.safetensors', import.meta.url)));
/** A case slower than this counts as a hang (a legitimate import here takes a few ms). */
const HANG_MS = 5000;

let be: Backend;
const summaries: string[] = [];
beforeAll(async () => {
  be = await createBackend('wasm');
});
afterAll(() => {
  if (FUZZING) for (const line of summaries) console.log(line);
});

/** The metadata values, parsed where they are JSON (activation, for one, is a bare word). */
function metadataDoc(bytes: Uint8Array): Record<string, unknown> {
  const meta = readSpec(bytes).header.__metadata__ as Record<string, string>;
  return Object.fromEntries(Object.entries(meta).map(([k, v]) => [k, parsed(v)]));
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const doc = metadataDoc(FIXTURE);
const paths = jsonPaths(doc).filter((p) => p.length > 0);

/** `m` applied to the fixture; a json mutation changes one field of one metadata value. */
function mutate(m: Mutation): Uint8Array {
  if (m.kind !== 'json') return mutateSafetensors(FIXTURE, m, paths);
  const file = readSpec(FIXTURE);
  const changed = mutateJSON(structuredClone(doc), paths[m.pick % paths.length], m.change, m.value) as Record<string, unknown>;
  file.header.__metadata__ = Object.fromEntries(Object.entries(changed).map(([k, v]) => [k, typeof v === 'string' && parsed(v) === v ? v : (JSON.stringify(v) ?? 'null')]));
  return writeSpec(file, false);
}

describe('two-tower weights: mutations of a real file import safely or fail with a ModelFileError', () => {
  it('the weights fixture', async () => {
    const reasons = new Map<string, number>();
    let built = 0;
    const runs = fuzzRuns(60);
    await fc.assert(
      fc.asyncProperty(mutationArb, async (mutation) => {
        const bytes = mutate(mutation);
        const before = be.heap.bytesInUse;
        const start = performance.now();
        try {
          const model = twoTowerFromWeights(be, readTwoTowerWeights(bytes));
          built++;
          const users = [...model.indexes.userIndex.ids.slice(0, 3), 'nobody'];
          const items = [...model.indexes.itemIndex.ids.slice(0, 3), 'nothing'];
          // Every parameter finite (weights finite in float32 may still overflow a product: as for
          // wasmrec's own files, serving must only run, reading no memory it should not).
          for (const t of Object.values(model.exportState().tensors)) for (const x of t) expect(Number.isFinite(x)).toBe(true);
          expect(model.predictIds(users, items).length).toBe(4);
          expect(model.scoreItemsForFeatures({ age: 30, gender: 'F', occupation: 'writer' }).length).toBe(model.nItems);
          model.dispose();
        } catch (err) {
          if (!(err instanceof ModelFileError)) throw new Error(`not a deliberate ModelFileError: ${(err as Error)?.stack ?? err}`, { cause: err });
          const reason = err.message.replace(/^not a two-tower weights file[^:]*: /, '').split(/[;(]/)[0].replace(/'[^']*'/g, "'…'").replace(/\d+/g, 'N').trim();
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        }
        expect(performance.now() - start).toBeLessThan(HANG_MS);
        expect(be.heap.bytesInUse).toBe(before);
      }),
      { numRuns: runs, seed: fuzzSeed() },
    );
    const top = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([r, n]) => `${r} ${n}`).join('; ');
    summaries.push(`two-tower weights fuzz: ${runs} cases, ${built} built, ${runs - built} rejected (${reasons.size} distinct reasons; most: ${top})`);
    // Both outcomes occur: some mutations keep a valid file, the rest are refused for many reasons.
    expect(built).toBeGreaterThan(0);
    expect(reasons.size).toBeGreaterThan(3);
  });
});
