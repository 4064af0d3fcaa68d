// One cold start, run in a fresh process per sample: V8 caches compiled WASM per process,
// so only a new process shows what a user's first call costs.
// Usage: node [--experimental-wasm-relaxed-simd] first-call.js js|simd|relaxed  → one JSON line.

import { readFileSync } from 'node:fs';
import { loadWasmrec } from '../lib/wasmrec.js';

const system = process.argv[2];
const M = 256;
const K = 64;
const N = 64;

const lib = await loadWasmrec();
const out = { system };
let backend;
if (system === 'js') {
  const t0 = performance.now();
  backend = await lib.createBackend('js');
  out.instantiate_ms = performance.now() - t0;
} else {
  const bytes = readFileSync(new URL(`../../build/wasmrec.${system}.wasm`, import.meta.url));
  out.wasm_bytes = bytes.length;
  const t0 = performance.now();
  const module = await WebAssembly.compile(bytes);
  const t1 = performance.now();
  backend = await lib.createBackend('wasm', { wasm: module });
  out.compile_ms = t1 - t0;
  out.instantiate_ms = performance.now() - t1;
}
const x = backend.allocF32(M * K, new Float32Array(M * K).fill(0.5));
const w = backend.allocF32(K * N, new Float32Array(K * N).fill(0.25));
const y = backend.allocF32(M * N);
const gemm = () => backend.kernels.gemm(y.ptr, x.ptr, w.ptr, 0, M, K, N, 0);
let t = performance.now();
gemm();
out.first_call_ms = performance.now() - t;
// Steady state: warm for 300 ms so the optimising tier has taken over, then time.
t = performance.now();
while (performance.now() - t < 300) gemm();
const calls = 200;
t = performance.now();
for (let i = 0; i < calls; i++) gemm();
out.steady_call_ms = (performance.now() - t) / calls;
console.log(JSON.stringify(out));
