import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { KERNEL_NAMES } from '../../src/backends/kernels.js';
import { NON_KERNEL_EXPORTS, kernelNameOf } from '../../src/backends/wasm/exports.js';
import { detectSimdFlavor } from '../../src/backends/wasm/features.js';
import { defaultWasmUrl } from '../../src/backends/wasm/source.js';

const simdUrl = defaultWasmUrl('simd');

async function reluWorks(be: Awaited<ReturnType<typeof createBackend>>): Promise<void> {
  const x = be.allocF32(5, [-2, -1, 0, 1, 2]);
  be.kernels.relu(x.ptr, x.ptr, 5);
  expect(Array.from(be.f32(x))).toEqual([0, 0, 0, 1, 2]);
}

describe('loading the WASM core', () => {
  it('loads the bundled build next to the module by default', async () => {
    const be = await createBackend('wasm');
    expect(be.name).toBe('wasm');
    expect(['simd', 'relaxed-simd']).toContain(be.features);
    await reluWorks(be);
  });

  it('accepts bytes, a compiled WebAssembly.Module and a URL (bundlers, edge runtimes)', async () => {
    const bytes = await readFile(simdUrl);
    await reluWorks(await createBackend('wasm', { wasm: bytes }));
    await reluWorks(await createBackend('wasm', { wasm: await WebAssembly.compile(bytes) }));
    await reluWorks(await createBackend('wasm', { wasm: simdUrl }));
    await reluWorks(await createBackend('wasm', { wasm: new Response(bytes, { headers: { 'content-type': 'application/wasm' } }) }));
  });

  it('fails clearly on a bad HTTP response', async () => {
    await expect(createBackend('wasm', { wasm: new Response('nope', { status: 404 }) })).rejects.toThrow(/HTTP 404/);
  });

  it('picks the SIMD build on Node 20 without flags (relaxed SIMD needs a flag there)', () => {
    const major = Number(process.versions.node.split('.')[0]);
    const flag = process.execArgv.some((a) => a.includes('relaxed-simd'));
    if (major === 20 && !flag) expect(detectSimdFlavor()).toBe('simd');
    else expect(['simd', 'relaxed']).toContain(detectSimdFlavor());
  });

  it('gives each backend its own memory', async () => {
    const a = await createBackend('wasm');
    const b = await createBackend('wasm');
    const x = a.allocF32(4, [1, 2, 3, 4]);
    const y = b.allocF32(4, [5, 6, 7, 8]);
    expect(x.ptr).toBe(y.ptr);
    expect(Array.from(a.f32(x))).toEqual([1, 2, 3, 4]);
  });

  it('keeps data when memory grows, with views re-created', async () => {
    const be = await createBackend('wasm');
    const x = be.allocF32(3, [7, 8, 9]);
    const before = be.heap.memory.buffer.byteLength;
    be.allocF32(8_000_000);
    expect(be.heap.memory.buffer.byteLength).toBeGreaterThan(before);
    expect(Array.from(be.f32(x))).toEqual([7, 8, 9]);
  });
});

describe('the kernel ABI', () => {
  it('has exactly one export per kernel, named family_words_dtype', async () => {
    const mod = await WebAssembly.compile(await readFile(simdUrl));
    const exported = WebAssembly.Module.exports(mod)
      .map((e) => e.name)
      .filter((n) => !NON_KERNEL_EXPORTS.has(n));
    for (const name of exported) expect(name).toMatch(/^[a-z]+(_[a-z0-9]+)+_(f32|i32|b32|f64)$/);
    expect(exported.map(kernelNameOf).sort()).toEqual([...KERNEL_NAMES].sort());
  });

  it('maps export names to kernel names', () => {
    expect(kernelNameOf('optim_adam_sparse_f32')).toBe('adamSparse');
    expect(kernelNameOf('fused_mf_sgd_chunk_f32')).toBe('mfSgdChunk');
    expect(kernelNameOf('linalg_gemm_nt_f32')).toBe('gemmNt');
  });

  it('exposes the same kernels on both backends', async () => {
    const js = await createBackend('js');
    const wasm = await createBackend('wasm');
    expect(Object.keys(js.kernels).sort()).toEqual([...KERNEL_NAMES].sort());
    expect(Object.keys(wasm.kernels).sort()).toEqual([...KERNEL_NAMES].sort());
  });

  it('rejects an unknown backend name', async () => {
    await expect(createBackend('gpu' as 'js')).rejects.toThrow(/unknown backend 'gpu'/);
  });
});
