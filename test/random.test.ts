import { describe, expect, it } from 'vitest';
import { Rng } from '../src/random.js';

describe('Rng.shuffle', () => {
  it.each([0, 1, 2, 17, 1000])('draws what Fisher–Yates with int(i + 1) draws, and leaves the generator where it would (n %i)', (n) => {
    const fast = new Rng(123);
    const slow = new Rng(123);
    const a = Int32Array.from({ length: n }, (_, i) => i);
    const b = a.slice();
    fast.shuffle(a);
    for (let i = b.length - 1; i > 0; i--) {
      const j = slow.int(i + 1);
      const t = b[i];
      b[i] = b[j];
      b[j] = t;
    }
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
    // The state written back: the next draws agree too.
    expect([fast.nextU32(), fast.uniform()]).toEqual([slow.nextU32(), slow.uniform()]);
  });
});
