// Property: `loadUserTower` on mutations of a real user tower file (checksum resealed, so that
// they reach the checks behind it) either loads a tower whose vectors are finite, or throws a
// deliberate ModelFileError; either way promptly, and the backend's memory ends as it began.
// `npm test` runs a few cases, `npm run fuzz` many (./config.ts).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/backends/index.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { ModelFileError } from '../../src/io/model-file.js';
import { loadUserTower, serializeUserTower, type UserTower } from '../../src/io/user-tower-file.js';
import { buildModel } from '../../src/models/factory.js';
import { readSpec } from '../io/model-file-edit.js';
import { FUZZING, fuzzRuns, fuzzSeed } from './config.js';
import { jsonPaths, mutateSafetensors, mutationArb } from './model-file-mutations.js';

/** A case slower than this counts as a hang (a legitimate load here takes a few ms). */
const HANG_MS = 5000;

let be: Backend;
let bytes: Uint8Array;

beforeAll(async () => {
  be = await createBackend('wasm');
  const dataset = generateSynthetic({ nUsers: 25, nItems: 30, nRatings: 300, seed: 17 });
  const train = dataset.folds!.u1.train;
  const { model } = buildModel('two-tower', be, dataset, train, { head: 'dot', towerLayers: [6], maxBatch: 32 });
  await model.fit(train, { epochs: 1, batchSize: 32, seed: 2 });
  bytes = serializeUserTower(model);
  model.dispose();
});

/** What a loaded tower must do: finite vectors of its width for a known user, a new one and odd values. */
function checkLoaded(tower: UserTower): void {
  const finite = (v: Float32Array) => v.length === tower.dim && v.every(Number.isFinite);
  if (tower.userIds.length > 0) expect(finite(tower.encodeUser(tower.userIds[0]))).toBe(true);
  const row = Object.fromEntries(tower.featureColumns.map((c, k) => [c, k % 2 ? 'odd' : null]));
  expect(finite(tower.encode(row))).toBe(true);
  expect(Number.isFinite(tower.userBias())).toBe(true);
}

describe('user tower files: mutations of a real file load safely or fail with a ModelFileError', () => {
  it('two-tower dot', async () => {
    const paths = jsonPaths(JSON.parse(readSpec(bytes).header.__metadata__.manifest));
    const reasons = new Map<string, number>();
    let loaded = 0;
    await fc.assert(
      fc.asyncProperty(mutationArb, async (mutation) => {
        const mutated = mutateSafetensors(bytes, mutation, paths);
        const before = be.heap.bytesInUse;
        const start = performance.now();
        let tower: UserTower | null = null;
        try {
          tower = loadUserTower(mutated, { backend: be });
        } catch (err) {
          if (!(err instanceof ModelFileError) || err.cause !== undefined) throw new Error(`not a deliberate ModelFileError: ${(err as Error)?.stack ?? err}`, { cause: err });
          const reason = err.message.replace(/^user tower file: /, '').split(/[:(]/)[0].replace(/'[^']*'/g, "'…'").replace(/\d+/g, 'N').trim();
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        }
        expect(performance.now() - start).toBeLessThan(HANG_MS);
        if (tower) {
          loaded++;
          checkLoaded(tower);
          tower.dispose();
        }
        expect(be.heap.bytesInUse).toBe(before);
      }),
      { numRuns: fuzzRuns(60), seed: fuzzSeed() + 101 },
    );
    const runs = fuzzRuns(60);
    if (FUZZING) console.log(`user-tower fuzz: ${runs} cases, ${loaded} loaded, ${runs - loaded} rejected (${reasons.size} distinct reasons)`);
    // Both outcomes occur: the mutations reach past the checksum and the checks still reject.
    expect(loaded).toBeGreaterThan(0);
    expect(reasons.size).toBeGreaterThan(3);
  });
});
