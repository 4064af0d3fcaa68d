import { describe, expect, it } from 'vitest';
import { ImplicitEpoch } from '../../src/training/implicit-epoch.js';
import { resolveLoss } from '../../src/training/losses.js';
import { Rng } from '../../src/random.js';
import type { Interactions } from '../../src/data/interactions.js';

/** 53 positives of 7 users over 40 items. */
function positives(): Interactions {
  const rng = new Rng(3);
  const n = 53;
  const users = Int32Array.from({ length: n }, () => rng.int(7));
  const items = Int32Array.from({ length: n }, () => rng.int(40));
  return { users, items, ratings: new Float32Array(n).fill(1), length: n } as unknown as Interactions;
}

describe('ImplicitEpoch BPR layout', () => {
  it('cut into per-thread pair blocks, holds the same pairs and negatives as one block per batch', () => {
    const train = positives();
    const loss = resolveLoss({ name: 'bpr', negatives: 2 });
    const order = Int32Array.from({ length: train.length }, (_, i) => (i * 17) % train.length);
    const batch = 20; // 106 pairs: batches of 20, 20, …, 6
    const one = new ImplicitEpoch(loss, train, 40).layout(order, batch, new Rng(9), 1);
    const triples = (ep: ImplicitEpoch, parts: number) => {
      const out: string[][] = [];
      const nPairs = ep.length / 2;
      for (let b0 = 0; b0 < nPairs; b0 += batch) {
        const size = Math.min(batch, nPairs - b0);
        const share = Math.ceil(size / parts);
        const rows: string[] = [];
        for (let g = 0; g * share < size; g++) {
          const count = Math.min(share, size - g * share);
          const start = 2 * b0 + 2 * g * share;
          for (let t = 0; t < count; t++) {
            const pos = start + t;
            const neg = pos + count;
            expect(ep.users[neg]).toBe(ep.users[pos]);
            rows.push(`${ep.users[pos]}:${ep.items[pos]}>${ep.items[neg]}`);
          }
        }
        out.push(rows);
      }
      return out;
    };
    const want = triples(one, 1);
    const three = new ImplicitEpoch(loss, train, 40).layout(order, batch, new Rng(9), 3);
    const got = triples(three, 3);
    // Same pairs in the same order (groups are consecutive runs of the batch's pairs).
    expect(got).toEqual(want);
    // canonicalRows maps each row to where it sits with one block per batch.
    const wantUsers = one.users.slice();
    const wantItems = one.items.slice();
    const canonical = three.canonicalRows!;
    for (let r = 0; r < three.length; r++) {
      expect(three.users[r]).toBe(wantUsers[canonical[r]]);
      expect(three.items[r]).toBe(wantItems[canonical[r]]);
    }
    expect(new Set(canonical).size).toBe(three.length);
    expect(one.canonicalRows).toBeNull();
    expect(want.flat().length).toBe(train.length * 2);
  });
});
