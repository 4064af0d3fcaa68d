// `wasmrec embed`: vectors with their ids in each format, readable back by readVectorFile and
// joinable as a `vector` feature; Node2Vec over a given edge file; clear errors.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveData } from '../../src/cli/data-source.js';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { addVectorFile, readVectorFile } from '../../src/io/node/vectors.js';
import { DATA_DIR, HAVE_ML100K } from '../data/datadir.js';

async function run(args: string[]) {
  const io = memoryIO();
  await main(['node', 'wasmrec', ...args], io);
  return io;
}

const SYNTH = ['--data', 'synthetic', '--synthetic-size', '100,80,3000'];
const dir = mkdtempSync(join(tmpdir(), 'wasmrec-embed-'));

describe('wasmrec embed', () => {
  it('item2vec to CSV, .npy and safetensors: the same vectors and ids in each, joinable as a vector feature', async () => {
    const common = [...SYNTH, '--what', 'items', '--dim', '8', '--epochs', '2'];
    const io = await run(['embed', ...common, '--out', join(dir, 'items.csv'), '--json']);
    const summary = JSON.parse(io.stdout[io.stdout.length - 1]);
    expect(summary).toMatchObject({ what: 'items', method: 'word2vec', dim: 8, epochs: 2 });
    expect(summary.pairs).toBeGreaterThan(10_000);
    await run(['embed', ...common, '--out', join(dir, 'items.npy')]);
    await run(['embed', ...common, '--out', join(dir, 'items.safetensors')]);
    const csv = await readVectorFile(join(dir, 'items.csv'));
    const npy = await readVectorFile(join(dir, 'items.npy'), { idsFile: join(dir, 'items.ids.txt') });
    const st = await readVectorFile(join(dir, 'items.safetensors'), { idsFile: join(dir, 'items.ids.txt') });
    expect(csv.ids.length).toBe(summary.vectors);
    expect(csv.matrix.cols).toBe(8);
    expect(npy.ids).toEqual(csv.ids);
    // Nine significant digits read back the same float32, so the CSV loses nothing.
    expect(Array.from(npy.matrix.data)).toEqual(Array.from(csv.matrix.data));
    expect(Array.from(st.matrix.data)).toEqual(Array.from(csv.matrix.data));
    // The safetensors file carries its ids in the metadata too, so it reads without the ids file.
    expect((await readVectorFile(join(dir, 'items.safetensors'))).ids).toEqual(csv.ids);
    expect(readFileSync(join(dir, 'items.csv'), 'utf8').split('\n')[0]).toBe(`id,${Array.from({ length: 8 }, (_, k) => `item2vec[${k}]`).join(',')}`);

    const { dataset } = await resolveData({ data: 'synthetic', syntheticSize: [100, 80, 3000] });
    const joined = await addVectorFile(dataset, 'item', 'item2vec', join(dir, 'items.csv'));
    expect(joined.report.warnings.filter((w) => w.includes('items.csv'))).toEqual([]);
    const col = joined.items!.columns['item2vec[0]'];
    expect(col.kind).toBe('number');
    const row = joined.items!.ids.indexOf(csv.ids[0]);
    expect((col.values as Float64Array)[row]).toBeCloseTo(csv.matrix.data[0], 6);
  });

  it('node2vec over a user edge file: vectors for the users the walks reach, the unknown ids reported', async () => {
    const { dataset } = await resolveData({ data: 'synthetic', syntheticSize: [100, 80, 3000] });
    const u = dataset.userIndex.ids;
    const edges = [...Array.from({ length: 30 }, (_, k) => `${u[k]} ${u[(k + 1) % 30]}`), `${u[0]} nobody`].join('\n');
    writeFileSync(join(dir, 'trust.txt'), edges);
    const io = await run(['embed', ...SYNTH, '--what', 'users', '--method', 'node2vec', '--graph', join(dir, 'trust.txt'), '--undirected', '--dim', '4', '--epochs', '1', '--walk-length', '10', '--out', join(dir, 'users.csv')]);
    expect(io.stderr.join('\n')).toContain('of 31 edges, 1 name ids the ratings do not have; 30 used');
    const v = await readVectorFile(join(dir, 'users.csv'));
    expect(new Set(v.ids)).toEqual(new Set(u.slice(0, 30)));
    // --user-graph, the data's side graph, serves when --graph is not given.
    await run(['embed', ...SYNTH, '--what', 'users', '--method', 'node2vec', '--user-graph', join(dir, 'trust.txt'), '--undirected', '--dim', '4', '--epochs', '1', '--walk-length', '10', '--out', join(dir, 'users2.csv')]);
    expect((await readVectorFile(join(dir, 'users2.csv'))).matrix.data).toEqual(v.matrix.data);
  });

  it('refuses what it cannot do, before training', async () => {
    await expect(run(['embed', ...SYNTH, '--what', 'words', '--method', 'node2vec', '--out', join(dir, 'w.csv')])).rejects.toThrow(/--what words trains with --method word2vec/);
    await expect(run(['embed', ...SYNTH, '--out', join(dir, 'w.txt')])).rejects.toThrow(/\.csv, \.npy or \.safetensors/);
    await expect(run(['embed', ...SYNTH, '--what', 'users', '--method', 'node2vec', '--out', join(dir, 'u.csv')])).rejects.toThrow(/needs --graph/);
  });

  it.skipIf(!HAVE_ML100K)('Word2Vec over the ML-100K titles: the words seen at least --min-count times, with the same vectors on the js backend', async () => {
    const args = ['embed', '--data', join(DATA_DIR, 'ml-100k'), '--what', 'words', '--min-count', '3', '--dim', '8', '--epochs', '2'];
    await run([...args, '--out', join(dir, 'words.csv')]);
    await run([...args, '--backend', 'js', '--out', join(dir, 'words-js.csv')]);
    const wasm = await readVectorFile(join(dir, 'words.csv'));
    const js = await readVectorFile(join(dir, 'words-js.csv'));
    expect(wasm.ids).toContain('story');
    expect(js.ids).toEqual(wasm.ids);
    let diff = 0;
    for (let k = 0; k < wasm.matrix.data.length; k++) diff = Math.max(diff, Math.abs(wasm.matrix.data[k] - js.matrix.data[k]));
    expect(diff).toBeLessThan(1e-4);
  });
});
