// `wasmrec import two-tower`: a tower-outputs file written by an independent writer (the
// standard-library Python of examples/export-two-tower.py) loads as a model whose scores are
// the expected values computed in Python; files off the convention fail naming the tensor.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../src/backends/index.js';
import { main } from '../../../src/cli/main.js';
import { memoryIO } from '../../../src/cli/io.js';
import { loadModelFile } from '../../../src/io/node/model-file.js';
import { encodeSafetensors } from '../../../src/io/safetensors.js';
import { readTowerVectors } from '../../../src/io/tower-vectors.js';

const SCRIPT = resolve(__dirname, '../../../examples/export-two-tower.py');
const dir = mkdtempSync(join(tmpdir(), 'wasmrec-towers-'));

describe('wasmrec import two-tower', () => {
  it('predicts the scores Python computed from the towers it wrote', async () => {
    try {
      execFileSync('python3', [SCRIPT, '--demo', dir]);
    } catch (err) {
      throw new Error(`python3 ${SCRIPT} failed (python3 is needed for this test; .ci/run installs it): ${(err as Error).message}`);
    }
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { pairs: [string, string, number][]; users: number; items: number; dim: number };
    const io = memoryIO();
    await main(['node', 'wasmrec', 'import', 'two-tower', join(dir, 'towers.safetensors'), '--out', join(dir, 'tt.wasmrec'), '--json'], io);
    expect(JSON.parse(io.stdout.at(-1)!)).toMatchObject({ users: expected.users, items: expected.items, dim: expected.dim });
    for (const backend of ['wasm', 'js'] as const) {
      const { model } = await loadModelFile(join(dir, 'tt.wasmrec'), await createBackend(backend));
      const got = model.predictIds(expected.pairs.map((p) => p[0]), expected.pairs.map((p) => p[1]));
      expected.pairs.forEach(([, , score], k) => expect(got[k]).toBeCloseTo(score, 5));
      model.dispose();
    }
  });

  it('files off the convention fail naming the tensor or metadata key', () => {
    const v = (n: number) => ({ data: new Float32Array(n * 2), shape: [n, 2] });
    const ids = (n: number) => JSON.stringify(Array.from({ length: n }, (_, k) => `x${k}`));
    const file = (tensors: Record<string, { data: Float32Array; shape: number[] }>, metadata: Record<string, string>) => encodeSafetensors(Object.entries(tensors).map(([name, t]) => ({ name, ...t })), metadata);
    expect(() => readTowerVectors(file({ user_vectors: v(2) }, { user_ids: ids(2), item_ids: ids(3) }))).toThrow(/tensor 'item_vectors' is missing/);
    expect(() => readTowerVectors(file({ user_vectors: v(2), item_vectors: v(3) }, { user_ids: ids(2) }))).toThrow(/metadata 'item_ids' is missing/);
    expect(() => readTowerVectors(file({ user_vectors: v(2), item_vectors: v(4) }, { user_ids: ids(2), item_ids: ids(3) }))).toThrow(/tensor 'item_vectors' is F32 \[4,2\]; expected F32 or F64 \[3,2\]/);
    expect(() => readTowerVectors(file({ user_vectors: v(2), item_vectors: v(3), extra: v(1) }, { user_ids: ids(2), item_ids: ids(3) }))).toThrow(/tensor 'extra' is not part of the convention/);
    expect(() => readTowerVectors(file({ user_vectors: v(2), item_vectors: v(3) }, { user_ids: '["a","a"]', item_ids: ids(3) }))).toThrow(/'user_ids' repeats an id/);
    expect(readTowerVectors(file({ user_vectors: v(2), item_vectors: v(3) }, { user_ids: ids(2), item_ids: ids(3), global_mean: '3.5' })).globalMean).toBe(3.5);
  });
});
