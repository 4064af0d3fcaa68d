// Seeded bench inputs from the library's own generator (src/random.ts, built into dist/),
// so every system gets identical data.

import { Rng } from '../../dist/random.js';

export function rng(seed = 1) {
  const g = new Rng(seed);
  const next = () => g.uniform();
  return {
    next,
    /** Uniform in [-scale, scale). */
    uniform: (n, scale = 1) => Float32Array.from({ length: n }, () => (2 * next() - 1) * scale),
    /** Integers in [0, bound). */
    ints: (n, bound) => Int32Array.from({ length: n }, () => g.int(bound)),
    /** `n` distinct integers in [0, bound), in random order. */
    distinct(n, bound) {
      const all = Int32Array.from({ length: bound }, (_, i) => i);
      for (let i = 0; i < n; i++) {
        const j = i + g.int(bound - i);
        const t = all[i];
        all[i] = all[j];
        all[j] = t;
      }
      return all.slice(0, n);
    },
  };
}
