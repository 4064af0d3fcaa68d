// A wasmrec model file is a plain safetensors file: an independent reader in Python (standard
// library only, scripts/read-model.py) opens it, verifies the checksum and reads the same
// tensors the model exported; every tensor name is one documented in docs/model-file.md.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { buildModel, type ModelKind, type ModelOptions } from '../../src/models/factory.js';
import type { ModelState } from '../../src/models/state.js';
import { serializeModel } from '../../src/io/model-file.js';
import { readSpec } from './model-file-edit.js';

const dataset = generateSynthetic({ nUsers: 40, nItems: 50, nRatings: 700, seed: 5 });
const train = dataset.folds!.u1.train;
const script = new URL('../../scripts/read-model.py', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'wasmrec-python-'));

const CASES: [string, ModelKind, ModelOptions][] = [
  ['user mean (NaN for users below minCount)', 'user-mean', { minCount: 8 }],
  ['mf', 'mf', { factors: 3 }],
  ['linear', 'linear', { factors: 2 }],
  ['two-tower both', 'two-tower', { head: 'both', towerLayers: [5], headLayers: [3] }],
  ['ensemble', 'ensemble', {}],
];

/** Tensor name patterns of the table in docs/model-file.md. */
function documentedNames(): RegExp[] {
  const doc = readFileSync(new URL('../../docs/model-file.md', import.meta.url), 'utf8');
  const table = doc.slice(doc.indexOf('## Tensor names'), doc.indexOf('## Reading untrusted files'));
  const names = [...table.matchAll(/^\| (`[^|]+`) \|/gm)].flatMap((row) => [...row[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]));
  const placeholders: Record<string, string> = { '<m>': 'model(/members/\\d+)*', '<k>': '\\d+', '<i>': '\\d+', '<feature>': '[^/]+', '<side>': '(user|item)' };
  return names.map((n) => new RegExp(`^${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/<[a-z]+>/g, (p) => placeholders[p] ?? p)}$`));
}

describe('model files read by an independent safetensors reader (Python, standard library)', () => {
  const patterns = documentedNames();
  it('the documented table lists the names', () => {
    expect(patterns.length).toBeGreaterThan(20);
  });

  it.each(CASES)('%s', async (_name, kind, options) => {
    const be = await createBackend('js');
    const { model } = buildModel(kind, be, dataset, train, options);
    await model.fit(train, { epochs: 1 });
    const bytes = serializeModel(model, { info: { case: kind } });
    const path = join(dir, `${kind}.wasmrec`);
    writeFileSync(path, bytes);
    let out: string;
    try {
      out = execFileSync('python3', [script, path], { encoding: 'utf8', maxBuffer: 1 << 28 });
    } catch (err) {
      throw new Error(`python3 ${script} failed (python3 is needed for this test; .ci/run installs it): ${(err as Error).message}`);
    }
    const py = JSON.parse(out);
    expect(py.checksum_ok).toBe(true);
    expect(py.metadata).toMatchObject({ format: 'wasmrec-model', format_version: '2', model_kind: model.saveState().kind });
    expect(py.manifest.info).toEqual({ case: kind });
    // The same tensors as this repository's own spec reader sees, each under a documented name.
    const spec = readSpec(bytes);
    const names = Object.keys(spec.header).filter((k) => k !== '__metadata__');
    expect(Object.keys(py.tensors).sort()).toEqual(names.sort());
    for (const name of names) expect(patterns.some((p) => p.test(name)), `${name} is not documented`).toBe(true);
    // Values: every state tensor of the model, through the manifest's key → name map.
    const compare = (state: ModelState, node: { tensors: Record<string, string>; members?: { model: unknown }[] }) => {
      for (const [key, t] of Object.entries(state.tensors)) {
        const got = py.tensors[node.tensors[key]];
        expect(got.values.length, key).toBe(t.length);
        expect(got.values.map((v: number | null) => (v === null ? NaN : v)), key).toEqual(Array.from(t));
      }
      state.members?.forEach((m, k) => compare(m.state, node.members![k].model as typeof node));
    };
    compare(model.saveState(), py.manifest.model);
    if (kind === 'mf') expect(py.tensors['model/user_factors'].shape).toEqual([41, 3]);
    expect(py.tensors['training_items/items'].values).toEqual(Array.from(model.trainingItems!.items));
  });
});
