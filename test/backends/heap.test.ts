import { describe, expect, it } from 'vitest';
import { ALIGN, Heap, arrayLinearMemory } from '../../src/backends/heap.js';

describe('Heap', () => {
  it('hands out 16-byte aligned, non-overlapping, zeroed blocks and never address 0', () => {
    const h = new Heap(arrayLinearMemory(64), 3);
    const a = h.alloc(5);
    const b = h.alloc(40);
    expect(a).toBeGreaterThan(0);
    expect(a % ALIGN).toBe(0);
    expect(b % ALIGN).toBe(0);
    expect(b).toBeGreaterThanOrEqual(a + 16);
    h.u8.fill(0xff, a, a + 16);
    h.free(a);
    const c = h.alloc(16);
    expect(c).toBe(a);
    expect(Array.from(h.u8.subarray(c, c + 16))).toEqual(new Array(16).fill(0));
  });

  it('grows the memory and keeps the contents', () => {
    const h = new Heap(arrayLinearMemory(64), 16);
    const a = h.alloc(16);
    h.f32[a >> 2] = 1.5;
    const view = h.f32;
    h.alloc(1 << 20);
    expect(h.memory.buffer.byteLength).toBeGreaterThanOrEqual(1 << 20);
    expect(h.f32).not.toBe(view);
    expect(h.f32[a >> 2]).toBe(1.5);
  });

  it('grows an ArrayBuffer memory in whole 16-byte blocks, so that every view fits it', () => {
    // 112 → 168 → 252 → 378 bytes by 1.5× growth: 378 is no whole number of floats.
    const h = new Heap(arrayLinearMemory(112), 16);
    for (let n = 0; n < 40; n++) {
      h.alloc(16);
      expect(h.memory.buffer.byteLength % ALIGN).toBe(0);
      expect(h.f32.length).toBe(h.memory.buffer.byteLength / 4);
    }
  });

  it('rejects invalid sizes and double frees', () => {
    const h = new Heap(arrayLinearMemory(), 16);
    expect(() => h.alloc(-1)).toThrow(/invalid size/);
    const a = h.alloc(8);
    h.free(a);
    expect(() => h.free(a)).toThrow(/not an allocated block/);
  });
});
