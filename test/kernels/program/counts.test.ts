// Symbolic counts (src/backends/program-counts.ts): a step recorded once with its row count
// symbolic runs for any count as the direct calls with that count do, bit for bit.
import { describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../../src/backends/index.js';
import { ARG, OpList, StepProgram } from '../../../src/backends/program.js';
import { SYMBOLIC_COUNT } from '../../../src/backends/program-counts.js';
import { testRng } from '../twin.js';
import { Dropout } from '../../../src/nn/dropout.js';
import { Rng } from '../../../src/random.js';

const K = 9;
const N = 6;
const MAX = 64;

function setUp(be: Backend) {
  const rng = testRng(8);
  return {
    x: be.allocF32(MAX * K, rng.f32(MAX * K)),
    w: be.allocF32(K * N, rng.f32(K * N)),
    b: be.allocF32(N, rng.f32(N)),
    y: be.allocF32(MAX * N),
    target: be.allocF32(MAX * N, rng.f32(MAX * N)),
    grad: be.allocF32(MAX * N),
    tail: be.allocF32(3 * MAX),
    scale: be.allocF32(2),
  };
}

/** count rows: y = x·W + b, the mse gradient scaled by 1/count, and 2·count values filled at tail + count. */
function direct(be: Backend, t: ReturnType<typeof setUp>, count: number): number {
  const k = be.kernels;
  k.gemm(t.y.ptr, t.x.ptr, t.w.ptr, t.b.ptr, count, K, N, 0);
  const loss = k.mse(t.grad.ptr, t.y.ptr, t.target.ptr, count * N, 1 / count);
  k.fill(t.tail.ptr + 4 * count, 2 * count, 1.5);
  return loss;
}

/** The same calls recorded once with the count symbolic (the scale, 1/count, in an f64 cell). */
function record(be: Backend, t: ReturnType<typeof setUp>): StepProgram {
  const p = new StepProgram(be);
  const S = SYMBOLIC_COUNT;
  const V = ARG.value;
  p.ops.push('gemm', [t.y.ptr, t.x.ptr, t.w.ptr, t.b.ptr, S, K, N, 0]);
  p.ops.push('mse', [t.grad.ptr, t.y.ptr, t.target.ptr, S * N, t.scale.ptr], [V, V, V, V, ARG.f64Cell]);
  p.ops.push('fill', [t.tail.ptr + 4 * S, 2 * S, 1.5]);
  return p;
}

describe('step programs with a symbolic count', () => {
  it.each(['wasm', 'js'] as const)('run for each count as the direct calls with that count (%s)', async (name) => {
    const be1 = await createBackend(name);
    const t1 = setUp(be1);
    const be2 = await createBackend(name);
    const t2 = setUp(be2);
    const p = record(be2, t2);
    for (const count of [17, 3, 64, 1, 40]) {
      const lossDirect = direct(be1, t1, count);
      p.ops.setCount(count);
      new Float64Array(be2.heap.u8.buffer, t2.scale.ptr, 1)[0] = 1 / count;
      const lossProgram = be2.kernels.runOps(p.ops.ptr, p.ops.length, 0);
      expect(lossProgram).toBe(lossDirect);
      for (const key of ['y', 'grad', 'tail'] as const) expect(Array.from(be2.read(t2[key])), `${key} (count ${count})`).toEqual(Array.from(be1.read(t1[key])));
    }
    p.dispose();
  });

  it('refuses what is not a·count + b, and a count whose arguments overflow an i32 cell', async () => {
    const be = await createBackend('js');
    const ops = new OpList(be.heap);
    // 2·count − 1: a negative offset reads as a huge one.
    expect(() => ops.push('fill', [16, 2 * SYMBOLIC_COUNT - 1, 0])).toThrow(/argument 1 of fill is not a·count \+ b/);
    expect(() => ops.push('fill', [16, 2 ** 17 * SYMBOLIC_COUNT, 0])).toThrow(/not a·count \+ b/);
    ops.push('fill', [16, 2 ** 16 * SYMBOLIC_COUNT, 0]);
    ops.setCount(100);
    expect(() => ops.setCount(2 ** 16)).toThrow(/does not fit an i32 cell/);
    ops.dispose();
  });

  it('are refused by dropout, whose mask per row would be drawn differently from the direct step', async () => {
    const be = await createBackend('js');
    const drop = new Dropout(be, 0.2, 4, 8, new Rng(1));
    expect(() => drop.forward(16, SYMBOLIC_COUNT, true)).toThrow(/dropout: rows counted per batch/);
    expect(drop.forward(16, SYMBOLIC_COUNT, false)).toBe(16);
    drop.dispose();
  });
});
