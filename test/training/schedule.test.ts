// Learning-rate schedules, against values worked out by hand.
import { describe, expect, it } from 'vitest';
import { scheduledLr, type LrSchedule } from '../../src/training/schedule.js';

const lrs = (schedule: LrSchedule | undefined, epochs: number[], baseLr: number) => epochs.map((e) => scheduledLr(schedule, e, baseLr));

describe('scheduledLr', () => {
  it('keeps the base rate without a schedule and for constant', () => {
    expect(lrs(undefined, [0, 1, 50], 0.03)).toEqual([0.03, 0.03, 0.03]);
    expect(lrs({ kind: 'constant' }, [0, 7, 1000], 0.5)).toEqual([0.5, 0.5, 0.5]);
  });

  it('step: multiplies by factor once every `every` epochs', () => {
    // ⌊e/3⌋ = 0, 0, 0, 1, 1, 2, 3
    const got = lrs({ kind: 'step', every: 3, factor: 0.5 }, [0, 1, 2, 3, 5, 6, 9], 0.8);
    expect(got).toEqual([0.8, 0.8, 0.8, 0.4, 0.4, 0.2, 0.1]);
  });

  it('exponential: base · decay^epoch', () => {
    const got = lrs({ kind: 'exponential', decay: 0.9 }, [0, 1, 2, 3], 0.1);
    [0.1, 0.09, 0.081, 0.0729].forEach((want, e) => expect(got[e]).toBeCloseTo(want, 12));
  });

  it('cosine: from base down to base · minFactor over `epochs`, then flat', () => {
    // min = 0.1; lr = 0.1 + 0.45 · (1 + cos(π e / 4)); cos(π/4) = √2/2.
    const got = lrs({ kind: 'cosine', epochs: 4, minFactor: 0.1 }, [0, 1, 2, 3, 4, 5, 40], 1);
    const half = Math.SQRT1_2;
    const want = [1, 0.1 + 0.45 * (1 + half), 0.55, 0.1 + 0.45 * (1 - half), 0.1, 0.1, 0.1];
    want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 12));
    // Without minFactor it ends at 0; half way it is half the base.
    expect(lrs({ kind: 'cosine', epochs: 10 }, [5, 10, 11], 0.2)).toEqual([expect.closeTo(0.1, 12), 0, 0]);
    // A zero-length schedule counts as one epoch long instead of dividing by zero.
    expect(lrs({ kind: 'cosine', epochs: 0, minFactor: 0.5 }, [0, 1], 2)).toEqual([2, 1]);
  });

  it('calls a function schedule with the epoch and the base rate', () => {
    const seen: [number, number][] = [];
    const fn = (epoch: number, base: number) => {
      seen.push([epoch, base]);
      return base / (1 + epoch);
    };
    expect(lrs(fn, [0, 1, 3], 0.6)).toEqual([0.6, 0.3, 0.15]);
    expect(seen).toEqual([[0, 0.6], [1, 0.6], [3, 0.6]]);
  });
});
