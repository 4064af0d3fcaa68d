// A small seeded generator for bench inputs, so every system gets identical data.

/** mulberry32: fast, 32-bit state, good enough for filling buffers. */
export function rng(seed = 1) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** Uniform in [-scale, scale). */
    uniform: (n, scale = 1) => Float32Array.from({ length: n }, () => (2 * next() - 1) * scale),
    /** Integers in [0, bound). */
    ints: (n, bound) => Int32Array.from({ length: n }, () => Math.floor(next() * bound)),
    /** `n` distinct integers in [0, bound), in random order. */
    distinct(n, bound) {
      const all = Int32Array.from({ length: bound }, (_, i) => i);
      for (let i = 0; i < n; i++) {
        const j = i + Math.floor(next() * (bound - i));
        const t = all[i];
        all[i] = all[j];
        all[j] = t;
      }
      return all.slice(0, n);
    },
  };
}
