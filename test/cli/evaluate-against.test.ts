// `wasmrec evaluate --against`: each list metric's difference to popularity or to another
// saved model, paired over the same test users, with its standard error.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { DATA_DIR, HAVE_ML100K } from '../data/datadir.js';

type Difference = { difference: number; standard_error: number };
type Result = {
  test: Record<'p_at_10' | 'r_at_10' | 'ndcg_at_10' | 'auc' | 'users', number>;
  against?: { against: string; users: number } & Record<'p_at_10' | 'r_at_10' | 'ndcg_at_10' | 'auc', Difference>;
};
const METRICS = ['p_at_10', 'r_at_10', 'ndcg_at_10', 'auc'] as const;

async function run(args: string[]): Promise<Result> {
  const io = memoryIO();
  await main(['node', 'wasmrec', ...args, '--json'], io);
  return JSON.parse(io.stdout[io.stdout.length - 1]) as Result;
}

function checkAgainst(r: Result, other: Result['test']): void {
  const a = r.against!;
  // Cold users have no training items to exclude, so both rank the same candidates for the
  // same users: the paired mean is the difference of the two means.
  expect(a.users).toBe(r.test.users);
  for (const m of METRICS) expect(a[m].difference, m).toBeCloseTo(r.test[m] - other[m], 9);
}

describe('wasmrec evaluate --against on generated data', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmrec-against-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const split = ['--data', 'synthetic', '--split', 'cold-users', '--seed', '3'];
  const tt = join(dir, 'tt.wasmrec');
  const pop = join(dir, 'pop.wasmrec');

  it('differences to popularity, to a popularity file and to itself', async () => {
    await run(['train', ...split, '--model', 'two-tower', '--implicit', '--epochs', '2', '--save', tt]);
    const popTrained = await run(['train', ...split, '--model', 'popularity', '--implicit', '--save', pop]);
    const vsPop = await run(['evaluate', '--model-file', tt, ...split, '--against', 'popularity']);
    checkAgainst(vsPop, popTrained.test);
    for (const m of METRICS) expect(vsPop.against![m].standard_error, m).toBeGreaterThan(0);
    const vsFile = await run(['evaluate', '--model-file', tt, ...split, '--against', pop]);
    expect(vsFile.against!.against).toBe(pop);
    for (const m of METRICS) expect(vsFile.against![m].difference, m).toBeCloseTo(vsPop.against![m].difference, 9);
    const vsSelf = await run(['evaluate', '--model-file', tt, ...split, '--against', tt]);
    for (const m of METRICS) expect(vsSelf.against![m]).toEqual({ difference: 0, standard_error: 0 });
  });

  it('the text output names the comparison; a missing file fails before any work', async () => {
    const io = memoryIO();
    await main(['node', 'wasmrec', 'evaluate', '--model-file', tt, ...split, '--against', 'popularity'], io);
    expect(io.stdout.join('\n')).toMatch(/against popularity, paired over \d+ test users \(this model − the other\)/);
    expect(io.stdout.join('\n')).toMatch(/AUC +[+-]\d\.\d{4} +\d\.\d{4}/);
    await expect(main(['node', 'wasmrec', 'evaluate', '--model-file', tt, ...split, '--against', join(dir, 'nope.wasmrec')], memoryIO())).rejects.toThrow(/--against .*nope\.wasmrec/);
    // Another split's test users were this model's training users: both models are told.
    const other = memoryIO();
    await main(['node', 'wasmrec', 'evaluate', '--model-file', tt, '--data', 'synthetic', '--split', 'cold-users', '--seed', '4', '--against', pop], other);
    expect(other.stderr.join('\n')).toMatch(/note: the model was trained on \d+ of these \d+ test rows/);
    expect(other.stderr.join('\n')).toMatch(/note: .*pop\.wasmrec was trained on \d+ of these test rows/);
  });
});

describe.runIf(HAVE_ML100K)('wasmrec evaluate --against popularity on MovieLens 100K brand-new users', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmrec-against-ml-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const split = ['--data', DATA_DIR, '--split', 'cold-users', '--seed', '7'];

  it("the two-tower's lift, and how finely 189 users measure it", async () => {
    const tt = join(dir, 'tt.wasmrec');
    await run(['train', ...split, '--model', 'two-tower', '--implicit', '--save', tt]);
    const popTrained = await run(['train', ...split, '--model', 'popularity', '--implicit']);
    const r = await run(['evaluate', '--model-file', tt, ...split, '--against', 'popularity']);
    checkAgainst(r, popTrained.test);
    const a = r.against!;
    // Measured: P@10 +0.0222 ± 0.0074, AUC +0.0078 ± 0.0013 over 189 users (docs/tuning.md, sixth round).
    expect(a.users).toBe(189);
    expect(a.p_at_10.difference).toBeGreaterThan(0.01);
    expect(a.auc.difference).toBeGreaterThan(0.004);
    expect(a.p_at_10.standard_error).toBeGreaterThan(0.005);
    expect(a.p_at_10.standard_error).toBeLessThan(0.01);
    expect(a.auc.standard_error).toBeGreaterThan(0.0008);
    expect(a.auc.standard_error).toBeLessThan(0.002);
  });
});
