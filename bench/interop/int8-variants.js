// Which int8 scoring kernel: f32 queries against int8 rows widened to f32, or queries quantised
// to int8 too with integer dot products (i32x4.dot_i16x8_s)? Compiles int8-variants.as with asc,
// scores 64 users against generated Gaussian tables (20k and 100k items, dim 32 and 64) and
// prints users/s (median of 7 alternating rounds) and the error of each against f32 scoring.
//   node bench/interop/int8-variants.js

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';

const dir = mkdtempSync(join(tmpdir(), 'wasmrec-int8-variants-'));
copyFileSync(fileURLToPath(new URL('./int8-variants.as', import.meta.url)), join(dir, 'variants.ts'));
const asc = fileURLToPath(new URL('../../node_modules/.bin/asc', import.meta.url));
execFileSync(asc, [join(dir, 'variants.ts'), '-o', join(dir, 'variants.wasm'), '-O3', '--enable', 'simd', '--runtime', 'stub', '--noAssert']);
const { instance } = await WebAssembly.instantiate(readFileSync(join(dir, 'variants.wasm')), { env: { abort() { throw new Error('abort'); } } });
rmSync(dir, { recursive: true, force: true });
const ex = instance.exports;
const nUsers = 64;
const ROUNDS = 7;

let seed = 1;
const uniform = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed / 0x7fffffff);
const gauss = () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());

/** Symmetric per-row quantisation: values / (max|row| / 127), rounded. */
function quantize(values, rows, dim, out) {
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let c = 0; c < dim; c++) max = Math.max(max, Math.abs(values[r * dim + c]));
    scales[r] = Math.fround(max / 127);
    for (let c = 0; c < dim; c++) out[r * dim + c] = scales[r] ? Math.round(values[r * dim + c] / scales[r]) : 0;
  }
  return scales;
}

function top10(scores, nItems, u) {
  const row = Array.from(scores.subarray(u * nItems, (u + 1) * nItems), (s, i) => [s, i]);
  return new Set(row.sort((a, b) => b[0] - a[0]).slice(0, 10).map((x) => x[1]));
}

console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(', ')}; ${nUsers} users per call, scores only (no top-k)\n`);
console.log('| items | dim | f32 × f32 (users/s) | f32 × int8 rows (users/s) | int8 × int8 (users/s) | error f32q / int8q (mean abs ÷ score rms) | top-10 vs f32: f32q / int8q |');
console.log('|---:|---:|---:|---:|---:|---:|---:|');
for (const nItems of [20_000, 100_000]) {
  for (const dim of [32, 64]) {
    const bytes = nItems * dim * 4 * 2 + nUsers * nItems * 4 + nUsers * dim * 8 + nItems * 8 + (1 << 20);
    const mem = ex.memory;
    const have = mem.buffer.byteLength;
    if (have < bytes) mem.grow(Math.ceil((bytes - have) / 65536));
    let at = 65536;
    const take = (n) => ((at += Math.ceil(n / 16) * 16), at - Math.ceil(n / 16) * 16);
    const p = { q: take(nUsers * dim * 4), q16: take(nUsers * dim * 2), qs: take(nUsers * 4), t8: take(nItems * dim), sc: take(nItems * 4), bias: take(nItems * 4), t32: take(nItems * dim * 4), out: take(nUsers * nItems * 4) };
    const items = Float32Array.from({ length: nItems * dim }, gauss);
    const users = Float32Array.from({ length: nUsers * dim }, gauss);
    new Float32Array(mem.buffer, p.t32, items.length).set(items);
    new Float32Array(mem.buffer, p.q, users.length).set(users);
    new Float32Array(mem.buffer, p.sc, nItems).set(quantize(items, nItems, dim, new Int8Array(mem.buffer, p.t8, items.length)));
    new Float32Array(mem.buffer, p.qs, nUsers).set(quantize(users, nUsers, dim, new Int16Array(mem.buffer, p.q16, users.length)));
    new Float32Array(mem.buffer, p.bias, nItems).fill(0);
    const run = {
      f32: () => ex.score_f32(p.out, p.q, p.t32, p.bias, nUsers, nItems, dim),
      f32q: () => ex.score_f32q(p.out, p.q, p.t8, p.sc, p.bias, nUsers, nItems, dim),
      i16q: () => ex.score_i16q(p.out, p.q16, p.qs, p.t8, p.sc, p.bias, nUsers, nItems, dim),
    };
    const scores = {};
    for (const k of Object.keys(run)) {
      run[k]();
      scores[k] = new Float32Array(mem.buffer, p.out, nUsers * nItems).slice();
    }
    const times = { f32: [], f32q: [], i16q: [] };
    for (let r = 0; r < ROUNDS; r++) for (const k of Object.keys(run)) {
      const t = performance.now();
      run[k]();
      times[k].push(performance.now() - t);
    }
    const rate = (k) => Math.round((nUsers / times[k].sort((a, b) => a - b)[ROUNDS >> 1]) * 1000).toLocaleString('en');
    let ss = 0;
    for (const v of scores.f32) ss += v * v;
    const rms = Math.sqrt(ss / scores.f32.length);
    const err = (k) => (scores[k].reduce((s, v, j) => s + Math.abs(v - scores.f32[j]), 0) / scores.f32.length / rms).toExponential(1);
    const agree = (k) => {
      let hit = 0;
      for (let u = 0; u < nUsers; u++) {
        const ref = top10(scores.f32, nItems, u);
        for (const i of top10(scores[k], nItems, u)) hit += ref.has(i) ? 1 : 0;
      }
      return (hit / (nUsers * 10)).toFixed(3);
    };
    console.log(`| ${nItems.toLocaleString('en')} | ${dim} | ${rate('f32')} | ${rate('f32q')} | ${rate('i16q')} | ${err('f32q')} / ${err('i16q')} | ${agree('f32q')} / ${agree('i16q')} |`);
  }
}
