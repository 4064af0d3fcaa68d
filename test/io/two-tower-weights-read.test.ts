// Weights files by the convention of docs/model-file.md ("Importing two-tower weights"): the
// variants it allows score as their spelled-out equivalents, and each problem off it — a
// missing or extra tensor, a wrong shape, an unknown activation, a vocabulary that does not
// fit its table, bad metadata — is named with expected vs actual.
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { encodeSafetensors } from '../../src/io/safetensors.js';
import { readTwoTowerWeights } from '../../src/io/two-tower-weights.js';
import { twoTowerFromWeights } from '../../src/io/two-tower-weights-model.js';

type Tensors = Record<string, number[]>;

/** A valid small file: users a, b; items x, y, z; one Dense layer of 3 per tower. */
function base(): { tensors: Tensors; metadata: Record<string, unknown> } {
  return {
    tensors: {
      'user.id_embedding': [3, 2],
      'user.feature.gender.embedding': [3, 2],
      'user.dense.0.weight': [3, 5],
      'user.dense.0.bias': [3],
      'item.id_embedding': [4, 2],
      'item.feature.genres.embedding': [3, 2],
      'item.dense.0.weight': [3, 4],
    },
    metadata: {
      user_ids: ['a', 'b'],
      item_ids: ['x', 'y', 'z'],
      user_features: [{ name: 'gender', type: 'categorical', vocab: { F: 1, M: 2 } }, { name: 'age', type: 'numeric', mean: 30, std: 10 }],
      item_features: [{ name: 'genres', type: 'multi', vocab: { A: 1, B: 2 } }],
      user_table: { gender: ['F', null], age: [25, 40] },
      item_table: { genres: [['A'], ['A', 'B'], []] },
    },
  };
}

function encode(tensors: Tensors, metadata: Record<string, unknown>, fill = (k: number) => Math.sin(k), values: Record<string, Float32Array> = {}): Uint8Array {
  const named = Object.entries(tensors).map(([name, shape]) => ({ name, shape, data: values[name] ?? Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, k) => fill(k)) }));
  return encodeSafetensors(named, Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])));
}

/** The error of the base file changed by `edit`. */
function errorOf(edit: (f: ReturnType<typeof base>) => void): string {
  const f = base();
  edit(f);
  try {
    readTwoTowerWeights(encode(f.tensors, f.metadata));
  } catch (err) {
    return (err as Error).message;
  }
  return 'no error';
}

/** Scores of every listed and one unknown user × item of a file. */
async function scoresOf(bytes: Uint8Array): Promise<Float32Array> {
  const model = twoTowerFromWeights(await createBackend('js'), readTwoTowerWeights(bytes));
  const users = ['a', 'b', 'nobody'].flatMap((u) => ['x', 'y', 'z', 'nothing'].map(() => u));
  const scores = model.predictIds(users, users.map((_, k) => ['x', 'y', 'z', 'nothing'][k % 4]));
  model.dispose();
  return scores;
}

describe('two-tower weights variants the convention allows', () => {
  it('an id table without the unknown row scores unknown ids with a zero row', async () => {
    const f = base();
    const table = Float32Array.from({ length: 6 }, (_, k) => Math.cos(k));
    const ownRow = encode(f.tensors, f.metadata, Math.sin, { 'user.id_embedding': table });
    f.tensors['user.id_embedding'] = [2, 2];
    const short = encode(f.tensors, f.metadata, Math.sin, { 'user.id_embedding': Float32Array.from(table.subarray(0, 4)) });
    table.fill(0, 4);
    const zeroed = encode(base().tensors, f.metadata, Math.sin, { 'user.id_embedding': table });
    const got = await scoresOf(short);
    expect(Array.from(got)).toEqual(Array.from(await scoresOf(zeroed)));
    // The unknown row matters: with the file's own (non-zero) unknown row 'nobody' scores otherwise.
    expect(got[8]).not.toBeCloseTo((await scoresOf(ownRow))[8], 3);
  });

  it('a tower without an id embedding scores as one with zero ids and the other inputs in place', async () => {
    const f = base();
    // Item inputs: [id (2) | genres (2)]; the first layer [3, 4] in nn.Linear's layout.
    const W = Float32Array.from({ length: 12 }, (_, k) => Math.sin(3 * k));
    const full = encode(f.tensors, f.metadata, Math.sin, { 'item.id_embedding': new Float32Array(8), 'item.dense.0.weight': W });
    delete f.tensors['item.id_embedding'];
    f.tensors['item.dense.0.weight'] = [3, 2];
    const genresOnly = Float32Array.from({ length: 6 }, (_, k) => W[Math.floor(k / 2) * 4 + 2 + (k % 2)]);
    const without = encode(f.tensors, f.metadata, Math.sin, { 'item.dense.0.weight': genresOnly });
    const a = await scoresOf(without);
    const b = await scoresOf(full);
    a.forEach((x, k) => expect(x).toBeCloseTo(b[k], 6));
    expect(new Set(a).size).toBeGreaterThan(6);
  });
});

describe('two-tower weights files off the convention', () => {
  it('the base file reads, and its model scores every pair', async () => {
    const f = base();
    const w = readTwoTowerWeights(encode(f.tensors, f.metadata));
    expect(w.user.dense.map((d) => [d.inDim, d.outDim])).toEqual([[5, 3]]);
    expect(w.activation).toBe('relu');
    // The activation as JSON text (json.dumps("tanh")) reads as the bare word.
    expect(readTwoTowerWeights(encode(f.tensors, { ...f.metadata, activation: '"tanh"' })).activation).toBe('tanh');
    const model = twoTowerFromWeights(await createBackend('js'), w);
    const scores = model.predictIds(['a', 'b', 'a', 'nobody'], ['x', 'y', 'z', 'x']);
    expect(scores.every(Number.isFinite)).toBe(true);
    expect(new Set(scores).size).toBe(4);
    model.dispose();
  });

  it('a missing tensor: its name and expected shape', () => {
    expect(errorOf((f) => delete f.tensors['user.feature.gender.embedding'])).toMatch(/tensor 'user\.feature\.gender\.embedding' is missing \(expected \[3, \*\]\)/);
    expect(errorOf((f) => delete f.metadata.user_ids)).toMatch(/metadata 'user_ids' is missing/);
  });

  it('an extra tensor (a misnamed bias, a layer after a gap) is refused, not dropped', () => {
    expect(errorOf((f) => (f.tensors['user.dense.0.b'] = [3]))).toMatch(/tensor 'user\.dense\.0\.b' is not part of the convention/);
    expect(errorOf((f) => (f.tensors['item.dense.2.weight'] = [3, 3]))).toMatch(/tensor 'item\.dense\.2\.weight' is not part of the convention/);
  });

  it('a wrong shape: expected vs actual', () => {
    expect(errorOf((f) => (f.tensors['user.dense.0.weight'] = [3, 6]))).toMatch(/tensor 'user\.dense\.0\.weight' is F32 \[3, 6\]; expected F32 or F64 \[\*, 5\]/);
    expect(errorOf((f) => (f.tensors['user.dense.0.bias'] = [4]))).toMatch(/'user\.dense\.0\.bias' is F32 \[4\]; expected F32 or F64 \[3\]/);
    expect(errorOf((f) => (f.tensors['user.id_embedding'] = [5, 2]))).toMatch(/'user\.id_embedding' is F32 \[5, 2\]; expected F32 or F64 \[3, \*\] or \[2, \*\]/);
    // Keras' kernel [in, out] without the transpose.
    expect(errorOf((f) => (f.tensors['item.dense.0.weight'] = [4, 3]))).toMatch(/'item\.dense\.0\.weight' is F32 \[4, 3\]; expected F32 or F64 \[\*, 4\]/);
  });

  it('a vocabulary that does not fit its embedding table', () => {
    expect(errorOf((f) => ((f.metadata.user_features as { vocab?: object }[])[0].vocab = { F: 1, M: 2, X: 3 }))).toMatch(/'user\.feature\.gender\.embedding' is F32 \[3, 2\]; expected F32 or F64 \[4, \*\]/);
    expect(errorOf((f) => ((f.metadata.user_features as { vocab?: object }[])[0].vocab = { F: 0, M: 1 }))).toMatch(/'user_features'\[0\] \('gender'\) needs a "vocab" mapping each non-blank value to its embedding row, rows 1\.\.V each once/);
    expect(errorOf((f) => ((f.metadata.user_features as { vocab?: object }[])[0].vocab = { F: 1, ' ': 2 }))).toMatch(/\('gender'\) needs a "vocab"/);
  });

  it('an unknown activation, and hidden layers without one', () => {
    expect(errorOf((f) => (f.metadata.activation = 'gelu'))).toMatch(/metadata 'activation' is "gelu"; expected one of relu, sigmoid, tanh, linear/);
    expect(errorOf((f) => (f.metadata.loss = 'hinge'))).toMatch(/metadata 'loss' is "hinge"; expected one of mse, bce, bpr, softmax/);
    expect(
      errorOf((f) => {
        f.tensors['user.dense.1.weight'] = [2, 3];
        f.tensors['item.dense.1.weight'] = [2, 3];
      }),
    ).toMatch(/metadata 'activation' is missing \(the towers have hidden layers\)/);
  });

  it('bad metadata: feature types, table columns, repeated ids', () => {
    expect(errorOf((f) => ((f.metadata.item_features as { type: string }[])[0].type = 'text'))).toMatch(/'item_features'\[0\] \('genres'\) has type "text"; expected categorical, multi or numeric/);
    expect(errorOf((f) => ((f.metadata.user_table as Record<string, unknown>).age = [25]))).toMatch(/metadata 'user_table' needs column 'age' with 2 values \(numbers, finite in float32 once standardised, or null\)/);
    expect(errorOf((f) => ((f.metadata.user_table as Record<string, unknown>).age = [25, 1e300]))).toMatch(/needs column 'age' with 2 values/);
    expect(errorOf((f) => ((f.metadata.item_table as Record<string, unknown>).rating = [1, 2, 3]))).toMatch(/'item_table' has column 'rating', which no feature reads/);
    expect(errorOf((f) => (f.metadata.item_ids = ['x', 'x', 'z']))).toMatch(/'item_ids' repeats an id/);
    expect(errorOf((f) => (f.metadata.user_feature = []))).toMatch(/metadata 'user_feature' is not part of the convention/);
    expect(errorOf((f) => (f.metadata.format = 'pt'))).toBe('no error');
  });

  it("towers wasmrec's two-tower cannot hold", () => {
    expect(
      errorOf((f) => {
        for (const name of Object.keys(f.tensors)) if (name.startsWith('item.')) delete f.tensors[name];
        delete f.metadata.item_features;
        delete f.metadata.item_table;
      }),
    ).toMatch(/the item tower has no input \(no 'item\.id_embedding' and no features\)/);
    expect(errorOf((f) => (f.tensors['item.dense.0.weight'] = [4, 4]))).toMatch(/the towers' Dense layers differ \(user \[3\], item \[4\]\)/);
  });

  it('every problem at once, and values that are not finite', () => {
    const message = errorOf((f) => {
      f.tensors['user.dense.0.bias'] = [4];
      f.tensors.extra = [1];
      delete f.metadata.item_table;
    });
    expect(message).toMatch(/'user\.dense\.0\.bias' is F32 \[4\]; expected F32 or F64 \[3\]/);
    expect(message).toMatch(/tensor 'extra' is not part of the convention/);
    expect(message).toMatch(/metadata 'item_table' is missing/);
    const f = base();
    expect(() => readTwoTowerWeights(encode(f.tensors, f.metadata, (k) => (k === 4 ? NaN : 0.1)))).toThrow(/holds a value that is not finite/);
  });
});
