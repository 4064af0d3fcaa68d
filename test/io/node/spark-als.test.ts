// `wasmrec import spark-als`: real Parquet part files of Spark's shape (written by an
// independent writer) become an MF model whose predictions are Spark's dot products; damaged
// folders fail naming the file and the field.
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../../src/backends/index.js';
import { main } from '../../../src/cli/main.js';
import { memoryIO } from '../../../src/cli/io.js';
import { loadModelFile } from '../../../src/io/node/model-file.js';
import { readSparkAls } from '../../../src/io/node/spark-als.js';
import { randomSide, writePart, writeSparkFolder } from './spark-folder.js';

const root = mkdtempSync(join(tmpdir(), 'wasmrec-spark-'));
const RANK = 32;

async function run(args: string[]) {
  const io = memoryIO();
  await main(['node', 'wasmrec', 'import', 'spark-als', ...args], io);
  return io;
}

describe('wasmrec import spark-als', () => {
  const users = randomSide(50_000, RANK, 1, 20_000);
  const items = randomSide(3_000, RANK, 2);
  const dir = writeSparkFolder(join(root, 'als'), RANK, users, items);

  it('reads every part file and row group in order; predictions are the dot products, also through --global-mean', async () => {
    const als = await readSparkAls(dir);
    expect(als.rank).toBe(RANK);
    expect(als.users.files).toHaveLength(3);
    expect(als.users.ids).toEqual(users.ids.map(String));
    expect(Array.from(als.users.factors.subarray(RANK * 45_678, RANK * 45_679))).toEqual(users.features[45_678]);
    const io = await run([dir, '--out', join(root, 'als.wasmrec'), '--json']);
    expect(JSON.parse(io.stdout.at(-1)!)).toMatchObject({ rank: RANK, users: 50_000, items: 3_000, global_mean: 0 });
    await run([dir, '--out', join(root, 'als-mu.wasmrec'), '--global-mean', '3.5']);
    for (const backend of ['wasm', 'js'] as const) {
      const { model, info } = await loadModelFile(join(root, 'als.wasmrec'), await createBackend(backend));
      const { model: shifted } = await loadModelFile(join(root, 'als-mu.wasmrec'), await createBackend(backend));
      expect((info.importedFrom as { sparkVersion: string }).sparkVersion).toBe('3.5.1');
      const pairs = Array.from({ length: 500 }, (_, k) => [(k * 9973) % users.ids.length, (k * 31) % items.ids.length]);
      const userIds = [...pairs.map(([u]) => String(users.ids[u])), 'never-seen'];
      const itemIds = [...pairs.map(([, i]) => String(items.ids[i])), String(items.ids[0])];
      const got = model.predictIds(userIds, itemIds);
      const mu = shifted.predictIds(userIds, itemIds);
      pairs.forEach(([u, i], k) => {
        // Spark's ALSModel predicts sdot(p_u, q_i) in float: equal to float32 rounding of the sums.
        let dot = 0;
        let scale = 0;
        for (let c = 0; c < RANK; c++) {
          dot += users.features[u][c] * items.features[i][c];
          scale += Math.abs(users.features[u][c] * items.features[i][c]);
        }
        expect(Math.abs(got[k] - dot)).toBeLessThanOrEqual(4e-7 * scale + 1e-7);
        expect(Math.abs(mu[k] - 3.5 - dot)).toBeLessThanOrEqual(4e-7 * scale + 4e-7);
      });
      // A user Spark never saw: μ, where Spark gives NaN (or drops the row).
      expect(got[pairs.length]).toBe(0);
      expect(mu[pairs.length]).toBe(3.5);
      model.dispose();
      shifted.dispose();
    }
  }, 120_000);

  it('damaged folders fail naming the file and the field', async () => {
    const small = (name: string) => writeSparkFolder(join(root, name), 4, randomSide(30, 4, 3, 10), randomSide(20, 4, 4));
    const fails = async (dirPath: string, pattern: RegExp) => expect(run([dirPath, '--out', join(root, 'x.wasmrec')])).rejects.toThrow(pattern);
    await fails(join(root, 'nowhere'), /nowhere: cannot read the model folder: no such file or directory/);
    const noMeta = small('no-meta');
    rmSync(join(noMeta, 'metadata'), { recursive: true });
    await fails(noMeta, /no-meta\/metadata\/part-00000: cannot read the model's metadata/);
    await fails(writeSparkFolder(join(root, 'other-class'), 4, randomSide(3, 4, 1), randomSide(3, 4, 2), { class: 'org.apache.spark.ml.classification.LogisticRegressionModel' }), /other-class\/metadata\/part-00000: field class: is "org.apache.spark.ml.classification.LogisticRegressionModel"/);
    await fails(writeSparkFolder(join(root, 'no-rank'), 4, randomSide(3, 4, 1), randomSide(3, 4, 2), { rank: 'ten' }), /field rank: must be an integer/);
    const noItems = small('no-items');
    rmSync(join(noItems, 'itemFactors'), { recursive: true });
    await fails(noItems, /no-items\/itemFactors: cannot read the factor folder/);
    const wrongColumn = small('wrong-column');
    writePart(join(wrongColumn, 'userFactors', 'part-00001-6b1e-c000.snappy.parquet'), [1], [[1, 2, 3, 4]], { idName: 'user' });
    await fails(wrongColumn, /wrong-column\/userFactors\/part-00001-6b1e-c000.snappy.parquet: field id: missing \(the file has user, features\)/);
    const intFeatures = small('int-features');
    writePart(join(intFeatures, 'itemFactors', 'part-00000-6b1e-c000.snappy.parquet'), [1], [[1, 2, 3, 4]], { featureType: 'INT32' });
    await fails(intFeatures, /int-features\/itemFactors\/part-00000-6b1e-c000.snappy.parquet: field features: must be array<float>/);
    const ragged = small('ragged');
    writePart(join(ragged, 'itemFactors', 'part-00000-6b1e-c000.snappy.parquet'), [1, 2, 3], [[1, 2, 3, 4], [1, 2, 3], [1, 2, 3, 4]]);
    await fails(ragged, /ragged\/itemFactors\/part-00000-6b1e-c000.snappy.parquet: field features: row 1 has 3 values; the model's rank is 4/);
    const dup = small('dup');
    // Part 2 repeats an id of part 0 (ids are k * 7 + 3).
    writePart(join(dup, 'userFactors', 'part-00002-6b1e-c000.snappy.parquet'), [200, 10], [[0, 0, 0, 0], [1, 1, 1, 1]]);
    await fails(dup, /dup\/userFactors\/part-00002-6b1e-c000.snappy.parquet: field id: id 10 \(row 1\) appears twice; also in .*part-00000/);
    const garbage = small('garbage');
    writeFileSync(join(garbage, 'userFactors', 'part-00001-6b1e-c000.snappy.parquet'), 'id,features\n1,"[1,2]"\n');
    await fails(garbage, /garbage\/userFactors\/part-00001-6b1e-c000.snappy.parquet: not a readable Parquet file/);
    // Nothing was written by any failed import.
    expect(() => readFileSync(join(root, 'x.wasmrec'))).toThrow(/ENOENT/);
    renameSync(join(dup, 'userFactors', 'part-00002-6b1e-c000.snappy.parquet'), join(dup, 'userFactors', 'ignored.txt'));
    await run([dup, '--out', join(root, 'dup-ok.wasmrec')]);
  });
});
