// Finite-difference gradient checks for nn blocks on the js backend (float32 throughout,
// so central differences with a fairly large step and a loose relative tolerance).
import { expect } from 'vitest';
import type { Backend, F32Buf } from '../../src/backends/index.js';

/** Step of the central differences: f32 rounding (~1e-7 relative) must stay far below eps·|g|. */
export const FD_EPS = 1e-2;
/** Relative tolerance on |analytic - numeric| / max(|analytic|, |numeric|, FLOOR). */
export const FD_REL = 3e-2;
const FLOOR = 1e-2;

/** Σ y·g over n values of y (f64), the scalar loss whose dL/dy is g. */
export function weightedSum(be: Backend, yPtr: number, g: Float32Array): number {
  const f = be.heap.f32;
  let s = 0;
  for (let i = 0; i < g.length; i++) s += f[(yPtr >> 2) + i] * g[i];
  return s;
}

/**
 * Compares `analytic` (read after backward) with (L(x+eps) − L(x−eps)) / 2eps for up to
 * `maxChecks` entries of buffer `x`, where `loss()` runs the forward pass.
 */
export function checkGradient(be: Backend, x: F32Buf, analytic: Float32Array, loss: () => number, label: string, maxChecks = 24): void {
  const n = x.length;
  const step = Math.max(1, Math.floor(n / maxChecks));
  let checked = 0;
  for (let i = 0; i < n; i += step) {
    const ptr = (x.ptr >> 2) + i;
    const orig = be.heap.f32[ptr];
    be.heap.f32[ptr] = orig + FD_EPS;
    const up = loss();
    be.heap.f32[ptr] = orig - FD_EPS;
    const down = loss();
    be.heap.f32[ptr] = orig;
    const numeric = (up - down) / (2 * FD_EPS);
    const a = analytic[i];
    const err = Math.abs(a - numeric) / Math.max(Math.abs(a), Math.abs(numeric), FLOOR);
    expect(err, `${label}[${i}]: analytic ${a} vs numeric ${numeric}`).toBeLessThan(FD_REL);
    checked++;
  }
  expect(checked).toBeGreaterThan(0);
}

/** Fills a buffer with seeded normal values times `scale`. */
export function randomize(be: Backend, buf: F32Buf, rng: { normal(): number }, scale = 1): Float32Array {
  const v = new Float32Array(buf.length);
  for (let i = 0; i < v.length; i++) v[i] = rng.normal() * scale;
  be.write(buf, v);
  return v;
}
