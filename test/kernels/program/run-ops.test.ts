import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../../src/backends/index.js';
import { ARG, BATCH_BASE, OpList, StepProgram } from '../../../src/backends/program.js';
import { testRng } from '../twin.js';

const M = 37;
const K = 9;
const N = 6;
const ROWS = 20;
const START = 11;

/** Buffers of a little training step: a batch of M rows at START inside 64-row columns. */
function setUp(be: Backend) {
  const rng = testRng(5);
  return {
    x: be.allocF32(64 * K, rng.f32(64 * K)),
    w: be.allocF32(K * N, rng.f32(K * N)),
    b: be.allocF32(N, rng.f32(N)),
    y: be.allocF32(M * N),
    target: be.allocF32(64 * N, rng.f32(64 * N)),
    grad: be.allocF32(M * N),
    idx: be.allocI32(64, rng.i32(64, ROWS)),
    table: be.allocF32(ROWS * N, rng.f32(ROWS * N)),
    tableGrad: be.allocF32(ROWS * N, rng.f32(ROWS * N, 0.1)),
    m1: be.allocF32(ROWS * N),
    v1: be.allocF32(ROWS * N),
    stamp: be.allocI32(ROWS),
    state: be.allocI32(2, [0, 1]),
    rows: be.allocI32(ROWS),
    cells: be.allocF32(6),
  };
}

const LR = 0.01;
const C1 = 0.1;
const C2 = 0.001;

/** The step called kernel by kernel, as TypeScript code does without a program. */
function direct(be: Backend, t: ReturnType<typeof setUp>): number {
  const k = be.kernels;
  const at = 4 * START;
  k.gemm(t.y.ptr, t.x.ptr + at, t.w.ptr, t.b.ptr, M, K, N, 0);
  const loss = k.mse(t.grad.ptr, t.y.ptr, t.target.ptr + at, M * N, 1 / M);
  k.markRows(t.state.ptr, t.rows.ptr, t.stamp.ptr, t.idx.ptr + at, 0, M);
  const nRows = be.heap.i32[t.state.ptr >> 2];
  k.adamSparse(t.table.ptr, t.tableGrad.ptr, t.m1.ptr, t.v1.ptr, t.rows.ptr, nRows, N, LR, 0.9, 0.999, 1e-8, 0.01, 0, C1, C2);
  k.fill(t.grad.ptr, 3, 0);
  return loss;
}

/** The same step as a program: batch addresses relative to the start, scalars and the row count read from memory. */
function record(be: Backend, t: ReturnType<typeof setUp>): StepProgram {
  const p = new StepProgram(be);
  const B = BATCH_BASE;
  const V = ARG.value;
  const cell = (i: number) => t.cells.ptr + 8 * i;
  p.ops.push('gemm', [t.y.ptr, t.x.ptr + B, t.w.ptr, t.b.ptr, M, K, N, 0]);
  p.ops.push('mse', [t.grad.ptr, t.y.ptr, t.target.ptr + B, M * N, 1 / M]);
  p.ops.push('markRows', [t.state.ptr, t.rows.ptr, t.stamp.ptr, t.idx.ptr + B, 0, M]);
  p.ops.push(
    'adamSparse',
    [t.table.ptr, t.tableGrad.ptr, t.m1.ptr, t.v1.ptr, t.rows.ptr, t.state.ptr, N, cell(0), 0.9, 0.999, 1e-8, 0.01, 0, cell(1), cell(2)],
    [V, V, V, V, V, ARG.i32Cell, V, ARG.f64Cell, V, V, V, V, V, ARG.f64Cell, ARG.f64Cell],
  );
  p.ops.push('fill', [t.grad.ptr, 3, 0]);
  new Float64Array(be.heap.u8.buffer, t.cells.ptr, 3).set([LR, C1, C2]);
  return p;
}

const OUTPUTS = ['y', 'grad', 'rows', 'state', 'stamp', 'table', 'm1', 'v1'] as const;

function outputs(be: Backend, t: ReturnType<typeof setUp>): number[][] {
  return OUTPUTS.map((name) => Array.from(t[name].dtype === 'f32' ? be.read(t[name] as never) : be.read(t[name] as never)));
}

describe('runOps (a recorded step run in one call)', () => {
  it.each(['wasm', 'js'] as const)('gives bit for bit what the direct calls give (%s), batch addresses moved to the batch start', async (name) => {
    const be1 = await createBackend(name);
    const t1 = setUp(be1);
    const lossDirect = direct(be1, t1);
    const be2 = await createBackend(name);
    const t2 = setUp(be2);
    const p = record(be2, t2);
    const lossProgram = be2.kernels.runOps(p.ops.ptr, p.ops.length, 4 * START);
    expect(lossProgram).toBe(lossDirect);
    expect(outputs(be2, t2)).toEqual(outputs(be1, t1));
    expect(be2.heap.i32[t2.state.ptr >> 2]).toBeGreaterThan(5);
  });

  it('agrees between the WASM core and the reference', async () => {
    const res = await Promise.all(
      (['wasm', 'js'] as const).map(async (name) => {
        const be = await createBackend(name);
        const t = setUp(be);
        const p = record(be, t);
        return { loss: be.kernels.runOps(p.ops.ptr, p.ops.length, 4 * START), out: outputs(be, t) };
      }),
    );
    expect(res[0].loss).toBeCloseTo(res[1].loss, 3);
    res[0].out.forEach((values, o) => values.forEach((v, i) => expect(v, `${OUTPUTS[o]}[${i}]`).toBeCloseTo(res[1].out[o][i], 4)));
  });

  it('refuses a batch-relative value in an argument that is not an address', async () => {
    const be = await createBackend('js');
    const ops = new OpList(be.heap);
    expect(() => ops.push('fill', [16, BATCH_BASE + 3, 0])).toThrow(/argument 1 of fill \(i32\) depends on the batch start/);
    expect(() => ops.push('fill', [16, 3])).toThrow(/fill takes 3 arguments, got 2/);
    // An address that moves more than 4 bytes per batch row cannot be made relative.
    expect(() => ops.push('fill', [16 + 2 * BATCH_BASE, 3, 0])).toThrow(/4 bytes per batch row/);
  });

  it('is dispatched by generated code that matches the kernel list (scripts/gen-program.mjs --check)', () => {
    expect(() => execFileSync(process.execPath, ['scripts/gen-program.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
